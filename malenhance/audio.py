"""Audio files: probing, block reading and atomic writing through soundfile.

Outputs keep the input's rate, channel count, container and subtype. Every write goes
to a hidden temporary file in the destination folder that is renamed into place only
when complete, so an interrupted run never leaves a partial output.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
import soundfile as sf
from numpy.typing import DTypeLike

from malenhance.errors import AudioError

AUDIO_EXTENSIONS = frozenset(
    {".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".aifc", ".au", ".w64",
     ".caf"}
)
#: Audio that libsndfile does not read: folders report these files, and a file named
#: directly gets the conversion hint (:data:`CONVERT_HINT`).
UNREAD_AUDIO_EXTENSIONS = frozenset(
    {".m4a", ".aac", ".mp4", ".m4b", ".alac", ".wma", ".ape", ".amr", ".3gp", ".ac3", ".mka",
     ".webm", ".mpc", ".dsf", ".dff"}
)
CONVERT_HINT = "not read by libsndfile; convert with ffmpeg first"
FLOAT_SUBTYPES = frozenset({"FLOAT", "DOUBLE", "VORBIS", "OPUS", "MPEG_LAYER_III"})


def is_audio(path: Path) -> bool:
    """An audio file name (by extension), not a hidden one (partial outputs are hidden)."""
    return path.suffix.lower() in AUDIO_EXTENSIONS and not path.name.startswith(".")


def find_audio(folder: str | os.PathLike) -> list[Path]:
    """Audio files under ``folder``, recursively, sorted (see :func:`is_audio`)."""
    return sorted(p for p in Path(folder).rglob("*") if is_audio(p) and p.is_file())


def ignored_files(folder: str | os.PathLike) -> dict[str, list[Path]]:
    """The files under ``folder`` that :func:`find_audio` leaves out, by reason:

    ``"hidden"`` (a name starting with a dot: partial outputs, system files), ``"unread"``
    (audio libsndfile does not read, e.g. .m4a) and ``"other"`` (not audio by its name).
    """
    found: dict[str, list[Path]] = {"hidden": [], "unread": [], "other": []}
    for path in sorted(Path(folder).rglob("*")):
        if is_audio(path) or not path.is_file():
            continue
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if hidden:
            found["hidden"].append(path)
        elif path.suffix.lower() in UNREAD_AUDIO_EXTENSIONS:
            found["unread"].append(path)
        else:
            found["other"].append(path)
    return found


def _unread_container(path: Path) -> str | None:
    """A hint when ``path`` holds AAC/M4A (MP4 ``ftyp`` box or ADTS frames), whatever its name."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return None
    adts = len(head) >= 2 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0
    if head[4:8] == b"ftyp" or adts or path.suffix.lower() in UNREAD_AUDIO_EXTENSIONS:
        what = "AAC/M4A" if head[4:8] == b"ftyp" or adts else path.suffix.lower()
        return (f"{what} is {CONVERT_HINT}: ffmpeg -i {path.name} "
                f"{path.with_suffix('.flac').name}")
    return None


def to_mono(audio: np.ndarray, dtype: DTypeLike = np.float64) -> np.ndarray:
    """``(frames,)`` or ``(frames, channels)`` -> ``(frames,)`` of ``dtype`` (channel average).

    The array is converted to ``dtype`` first, so the average is computed in it.
    """
    audio = np.asarray(audio, dtype=dtype)
    return audio.mean(axis=1) if audio.ndim == 2 else audio


@dataclass(frozen=True)
class AudioInfo:
    """What soundfile says about a file."""

    path: Path
    sample_rate: int
    channels: int
    frames: int
    format: str
    subtype: str
    warning: str | None = None  # read, but worth saying (a placeholder header)
    data_offset: int | None = None  # a WAV read as raw PCM from here (libsndfile sees none)

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate


def probe(path: str | os.PathLike) -> AudioInfo:
    """Read a file's header, raising :class:`AudioError` with a reason users understand."""
    path = Path(path)
    if not path.exists():
        raise AudioError(f"{path}: file not found")
    if path.is_dir():
        raise AudioError(f"{path}: is a directory, not an audio file")
    if not path.is_file():  # a FIFO would block the reader forever, a device never ends
        raise AudioError(f"{path}: not a regular file")
    if path.stat().st_size == 0:
        raise AudioError(f"{path}: empty file (0 bytes)")
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError) as err:
        hint = _unread_container(path)
        raise AudioError(
            f"{path}: not a readable audio file ({_reason(err)})" + (f"; {hint}" if hint else "")
        ) from None
    if info.frames <= 0 and info.format == "WAV":
        crashed = _crashed_wav(path)
        if crashed is not None:
            return crashed
    if info.frames <= 0:
        raise AudioError(f"{path}: contains no audio samples")
    if info.samplerate <= 0 or info.channels <= 0:
        raise AudioError(f"{path}: invalid header (rate {info.samplerate}, {info.channels} ch)")
    placeholder = _check_not_truncated(path, info.extra_info)
    warning = None
    if placeholder is not None:
        warning = (f"{path}: the header declares {placeholder:#x} bytes of audio, as a "
                   f"recorder that was stopped abruptly leaves it; read to the end of the file "
                   f"({info.frames / info.samplerate:.1f} s)")
    return AudioInfo(path, info.samplerate, info.channels, info.frames, info.format, info.subtype,
                     warning=warning)


def _crashed_wav(path: Path) -> AudioInfo | None:
    """A WAV whose data chunk declares 0 bytes (a killed recorder), read to the file's end."""
    from malenhance.wavstream import open_wav_stream

    try:
        with open(path, "rb") as handle:
            source = open_wav_stream(handle, str(path))
            offset = handle.tell()
    except (AudioError, OSError):
        return None
    fmt = source.format
    frames = (path.stat().st_size - offset) // fmt.frame_bytes
    if source.limit is not None or frames <= 0:
        return None
    seconds = frames / fmt.sample_rate
    warning = (f"{path}: the header declares 0 bytes of audio, as a recorder that was stopped "
               f"abruptly leaves it; read to the end of the file ({seconds:.1f} s)")
    return AudioInfo(path, fmt.sample_rate, fmt.channels, frames, "WAV", fmt.subtype,
                     warning=warning, data_offset=offset)


# libsndfile silently shortens a WAV/AIFF whose data chunk is cut off, logging
# "data : 32000 (should be 1000)". 0 and 0xFFFFFFFF are placeholders streaming writers leave.
_CHUNK_SHORT = re.compile(r"^\s*(data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
_PLACEHOLDER_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF - 1})


def _check_not_truncated(path: Path, log: str) -> int | None:
    """Refuse a cut-off file; return the placeholder size a streaming writer left, if any."""
    placeholder = None
    for _, declared, actual in _CHUNK_SHORT.findall(log or ""):
        declared, actual = int(declared), int(actual)
        if declared > actual and declared not in _PLACEHOLDER_SIZES:
            raise AudioError(
                f"{path}: truncated file (header declares {declared} bytes of audio, "
                f"only {actual} present)"
            )
        if declared > actual:
            placeholder = declared
    return placeholder


def _reason(err: Exception) -> str:
    text = str(err)
    # libsndfile messages repeat the file name; keep only the part after it.
    return text.split(": ", 1)[-1].strip() or type(err).__name__


def read_blocks(info: AudioInfo, block_frames: int) -> Iterator[np.ndarray]:
    """Yield ``(frames, channels)`` float32 blocks; refuse NaN or infinite samples."""
    if info.data_offset is not None:
        yield from _read_raw_blocks(info, block_frames)
        return
    done = 0
    try:
        with sf.SoundFile(str(info.path)) as handle:
            while True:
                block = handle.read(block_frames, dtype="float32", always_2d=True)
                if block.shape[0] == 0:
                    # Decoders (FLAC, Ogg) may stop early on a cut-off file without an error.
                    if done < info.frames and info.format != "MP3":
                        raise AudioError(
                            f"{info.path}: truncated file (header declares {info.frames} "
                            f"frames, only {done} readable)"
                        )
                    return
                done += block.shape[0]
                if not np.isfinite(block).all():
                    raise AudioError(
                        f"{info.path}: contains NaN or infinite samples (refused; "
                        "repair the file, e.g. replace them with zeros)"
                    )
                yield block
    except (sf.LibsndfileError, RuntimeError) as err:
        raise AudioError(
            f"{info.path}: read failed, corrupt or truncated audio data ({_reason(err)})"
        ) from None


def _read_raw_blocks(info: AudioInfo, block_frames: int) -> Iterator[np.ndarray]:
    """The PCM of a WAV with a placeholder header, from ``info.data_offset`` to the end."""
    from malenhance.wavstream import PcmFormat, PcmSource

    encodings = {"PCM_U8": "u8", "PCM_16": "s16le", "PCM_24": "s24le", "PCM_32": "s32le",
                 "FLOAT": "f32le", "DOUBLE": "f64le"}
    fmt = PcmFormat(info.sample_rate, info.channels, encodings[info.subtype])
    try:
        with open(info.path, "rb") as handle:
            handle.seek(info.data_offset)
            source = PcmSource(handle, fmt, info.frames * fmt.frame_bytes, str(info.path))
            yield from source.blocks(block_frames)
    except OSError as err:
        raise AudioError(f"{info.path}: read failed ({err.strerror or err})") from None


def read_audio(path: str | os.PathLike) -> tuple[np.ndarray, int]:
    """Whole file as ``(frames, channels)`` float32 and its rate (for short files)."""
    info = probe(path)
    blocks = list(read_blocks(info, 1 << 20))
    return np.concatenate(blocks, axis=0), info.sample_rate


def output_format(path: Path, like: AudioInfo) -> tuple[str, str]:
    """Container and subtype for ``path``: the input's, unless the extension asks otherwise."""
    ext = path.suffix.lower().lstrip(".")
    formats = {name.lower(): name for name in sf.available_formats()}
    aliases = {"oga": "ogg", "opus": "ogg", "aif": "aiff"}
    container = formats.get(aliases.get(ext, ext), like.format)
    if container == like.format and sf.check_format(container, like.subtype):
        return container, like.subtype
    if sf.check_format(container, like.subtype):
        return container, like.subtype
    return container, sf.default_subtype(container)


def _partial_pattern(path: Path) -> re.Pattern[str]:
    # Exactly what mkstemp makes for ``path`` below: ".NAME." + 8 random characters + ".part",
    # so that the partial files of "a.wav.x.wav" never match those of "a.wav".
    return re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.part")


def partial_files(path: str | os.PathLike) -> list[Path]:
    """Temporary files that :class:`AtomicAudioWriter` left for ``path`` (a killed run)."""
    path = Path(path)
    pattern = _partial_pattern(path)
    try:
        siblings = list(path.parent.iterdir())
    except OSError:
        return []
    return sorted(p for p in siblings if pattern.fullmatch(p.name))


def remove_partial_files(path: str | os.PathLike) -> None:
    """Delete what a killed run left for ``path``; a file in use elsewhere may be gone."""
    for stale in partial_files(path):
        stale.unlink(missing_ok=True)


class AtomicAudioWriter:
    """Write audio blocks to a temporary sibling of ``path``; rename into place on success.

    Use as a context manager: an exception inside the block removes the temporary file and
    leaves any existing ``path`` untouched.
    """

    def __init__(
        self, path: Path, sample_rate: int, channels: int, container: str, subtype: str
    ) -> None:
        self.path = Path(path)
        if self.path.is_symlink() or (self.path.exists() and not self.path.is_file()):
            # os.replace would swap out a device node, FIFO or link (even /dev/null as root).
            raise AudioError(f"{self.path}: output path exists and is not a regular file")
        parent = self.path.parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise AudioError(
                    f"{parent}: cannot create output folder ({err.strerror})"
                ) from None
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".part", dir=parent)
        except OSError as err:
            raise AudioError(f"{parent}: output folder is not writable ({err.strerror})") from None
        os.close(fd)
        self.tmp = Path(tmp)
        try:  # an interrupt (Ctrl-C, SIGTERM) here must not leave the file behind either
            # mkstemp makes the file private; give the output the permissions open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)
            self._file = sf.SoundFile(
                str(self.tmp), "w", sample_rate, channels, subtype=subtype, format=container
            )
        except (sf.LibsndfileError, RuntimeError, OSError) as err:
            self.tmp.unlink(missing_ok=True)
            raise AudioError(f"{self.path}: cannot write {container}/{subtype} ({err})") from None
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise
        self._clip = subtype not in FLOAT_SUBTYPES
        self._frames = 0

    def write(self, block: np.ndarray) -> None:
        """Append ``(frames, channels)`` samples."""
        if self._clip:
            block = np.clip(block, -1.0, 1.0)
        try:
            self._file.write(block)
        except (sf.LibsndfileError, RuntimeError, OSError, AssertionError) as err:
            raise AudioError(f"{self.path}: write failed ({self._why(err)})") from None
        self._frames += len(block)

    def _why(self, err: BaseException) -> str:
        """libsndfile reports a full disk as "System error."; say what it most likely was."""
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return err.strerror or str(err)
        try:
            room = os.statvfs(self.tmp.parent)
            full = room.f_bavail * room.f_frsize < (1 << 20)
        except OSError:
            full = False
        text = str(err) or type(err).__name__
        hint = "no space left on device" if full else "disk full or file too large?"
        return f"{text}; {hint}"

    def _verify(self) -> None:
        """Refuse an incomplete temporary file: FLAC and Ogg encoders ignore failed writes."""
        try:
            with sf.SoundFile(str(self.tmp)) as check:
                frames = check.frames
                if frames == self._frames and frames > 0:
                    check.seek(frames - 1)
                    last = check.read(1)
                    if len(last) != 1:
                        frames = -1
        except (sf.LibsndfileError, RuntimeError, OSError):
            frames = -1
        if frames != self._frames:
            raise AudioError(
                f"{self.path}: write failed (output incomplete after writing "
                f"{self._frames} frames; disk full or file too large?)"
            )

    def __enter__(self) -> AtomicAudioWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._finish(exc)
        finally:  # a failed block, an AudioError or an interrupt while finishing: no .part
            self.tmp.unlink(missing_ok=True)  # (once moved into place, nothing is there)

    def _finish(self, exc: BaseException | None) -> None:
        """Close the file; if the block succeeded, verify it and move it into place."""
        try:
            self._file.close()
        except (sf.LibsndfileError, RuntimeError, OSError, AssertionError) as err:
            if exc is None:
                raise AudioError(f"{self.path}: write failed ({self._why(err)})") from None
        if exc is not None:
            return
        self._verify()
        try:
            os.replace(self.tmp, self.path)
        except OSError as err:
            raise AudioError(
                f"{self.path}: cannot move output into place ({err.strerror})"
            ) from None
