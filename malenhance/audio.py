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
    {".wav", ".flac", ".ogg", ".oga", ".opus", ".mp3", ".aif", ".aiff", ".au", ".w64", ".caf"}
)
FLOAT_SUBTYPES = frozenset({"FLOAT", "DOUBLE", "VORBIS", "OPUS", "MPEG_LAYER_III"})


def is_audio(path: Path) -> bool:
    """An audio file name (by extension), not a hidden one (partial outputs are hidden)."""
    return path.suffix.lower() in AUDIO_EXTENSIONS and not path.name.startswith(".")


def find_audio(folder: str | os.PathLike) -> list[Path]:
    """Audio files under ``folder``, recursively, sorted (see :func:`is_audio`)."""
    return sorted(p for p in Path(folder).rglob("*") if is_audio(p) and p.is_file())


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
        raise AudioError(f"{path}: not a readable audio file ({_reason(err)})") from None
    if info.frames <= 0:
        raise AudioError(f"{path}: contains no audio samples")
    if info.samplerate <= 0 or info.channels <= 0:
        raise AudioError(f"{path}: invalid header (rate {info.samplerate}, {info.channels} ch)")
    _check_not_truncated(path, info.extra_info)
    return AudioInfo(path, info.samplerate, info.channels, info.frames, info.format, info.subtype)


# libsndfile silently shortens a WAV/AIFF whose data chunk is cut off, logging
# "data : 32000 (should be 1000)". 0 and 0xFFFFFFFF are placeholders streaming writers leave.
_CHUNK_SHORT = re.compile(r"^\s*(data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
_PLACEHOLDER_SIZES = frozenset({0, 0xFFFFFFFF, 0x7FFFFFFF, 0xFFFFFFFF - 1})


def _check_not_truncated(path: Path, log: str) -> None:
    for _, declared, actual in _CHUNK_SHORT.findall(log or ""):
        declared, actual = int(declared), int(actual)
        if declared > actual and declared not in _PLACEHOLDER_SIZES:
            raise AudioError(
                f"{path}: truncated file (header declares {declared} bytes of audio, "
                f"only {actual} present)"
            )


def _reason(err: Exception) -> str:
    text = str(err)
    # libsndfile messages repeat the file name; keep only the part after it.
    return text.split(": ", 1)[-1].strip() or type(err).__name__


def read_blocks(info: AudioInfo, block_frames: int) -> Iterator[np.ndarray]:
    """Yield ``(frames, channels)`` float32 blocks; refuse NaN or infinite samples."""
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
        # mkstemp makes the file private; give the output the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.tmp, 0o666 & ~umask)
        try:
            self._file = sf.SoundFile(
                str(self.tmp), "w", sample_rate, channels, subtype=subtype, format=container
            )
        except (sf.LibsndfileError, RuntimeError, OSError) as err:
            self.tmp.unlink(missing_ok=True)
            raise AudioError(f"{self.path}: cannot write {container}/{subtype} ({err})") from None
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
            self._file.close()
        except (sf.LibsndfileError, RuntimeError, OSError, AssertionError) as err:
            if exc is None:
                self.tmp.unlink(missing_ok=True)
                raise AudioError(f"{self.path}: write failed ({self._why(err)})") from None
        if exc is not None:
            self.tmp.unlink(missing_ok=True)
            return
        try:
            self._verify()
        except AudioError:
            self.tmp.unlink(missing_ok=True)
            raise
        try:
            os.replace(self.tmp, self.path)
        except OSError as err:
            self.tmp.unlink(missing_ok=True)
            raise AudioError(
                f"{self.path}: cannot move output into place ({err.strerror})"
            ) from None
