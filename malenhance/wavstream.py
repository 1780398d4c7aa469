"""WAV and raw PCM over byte streams (stdin, stdout, pipes) without seeking.

Streaming writers (``arecord``, ``sox -t wav -``, this module) cannot know the length
when they write the header, so they put 0, 0xFFFFFFFF or a large placeholder (``arecord``:
0x80000000) in the size fields. The reader therefore treats the ``data`` size as an upper
bound and reads until it or the end of the stream, whichever comes first. The writer
puts 0xFFFFFFFF in both size fields and corrects them at the end if the output can seek
(a regular file).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np
import soundfile as sf

from malenhance.errors import AudioError

# encoding name -> (numpy dtype, bytes per sample, WAV format tag)
ENCODINGS: dict[str, tuple[str, int, int]] = {
    "u8": ("u1", 1, 1),
    "s16le": ("<i2", 2, 1),
    "s24le": ("<i4", 3, 1),  # unpacked to int32 by hand
    "s32le": ("<i4", 4, 1),
    "f32le": ("<f4", 4, 3),
    "f64le": ("<f8", 8, 3),
}
_UNKNOWN = 0xFFFFFFFF
_EXTENSIBLE = 0xFFFE
_SOUNDFILE_SUBTYPES = {
    "PCM_U8": "u8", "PCM_S8": "s16le", "PCM_16": "s16le", "PCM_24": "s24le",
    "PCM_32": "s32le", "FLOAT": "f32le", "DOUBLE": "f64le",
}


@dataclass(frozen=True)
class PcmFormat:
    """Interleaved little-endian PCM: rate, channels and sample encoding."""

    sample_rate: int
    channels: int
    encoding: str = "s16le"

    def __post_init__(self) -> None:
        if self.encoding not in ENCODINGS:
            raise AudioError(
                f"unknown PCM encoding {self.encoding!r}; expected one of {', '.join(ENCODINGS)}"
            )
        if self.sample_rate <= 0 or self.channels <= 0:
            raise AudioError(f"invalid PCM format: rate {self.sample_rate}, {self.channels} ch")

    @property
    def sample_bytes(self) -> int:
        return ENCODINGS[self.encoding][1]

    @property
    def frame_bytes(self) -> int:
        return self.sample_bytes * self.channels

    @property
    def is_float(self) -> bool:
        return self.encoding.startswith("f")

    def decode(self, data: bytes) -> np.ndarray:
        """Bytes (a whole number of frames) -> ``(frames, channels)`` float32 in [-1, 1)."""
        dtype, width, _ = ENCODINGS[self.encoding]
        if self.encoding == "s24le":
            raw = np.frombuffer(data, np.uint8).reshape(-1, 3)
            padded = np.zeros((raw.shape[0], 4), np.uint8)
            padded[:, 1:] = raw  # shift into the top three bytes: sign comes for free
            values = padded.view("<i4").reshape(-1).astype(np.float32) / 2**31
        else:
            values = np.frombuffer(data, dtype)
            if self.encoding == "u8":
                values = (values.astype(np.float32) - 128.0) / 128.0
            elif not self.is_float:
                values = values.astype(np.float32) / 2 ** (8 * width - 1)
            else:
                values = values.astype(np.float32)
        return values.reshape(-1, self.channels)

    def encode(self, block: np.ndarray) -> bytes:
        """``(frames, channels)`` float -> bytes; integer encodings are clipped to full scale."""
        dtype, width, _ = ENCODINGS[self.encoding]
        block = np.asarray(block, np.float64).reshape(-1)
        if self.is_float:
            return block.astype(dtype).tobytes()
        scale = 2 ** (8 * width - 1)
        ints = np.clip(np.round(block * scale), -scale, scale - 1).astype(np.int64)
        if self.encoding == "u8":
            return (ints + 128).astype(np.uint8).tobytes()
        if self.encoding == "s24le":
            return ints.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
        return ints.astype(dtype).tobytes()

    @property
    def subtype(self) -> str:
        """The soundfile subtype that matches this encoding (for writing files)."""
        reverse = {"u8": "PCM_U8", "s16le": "PCM_16", "s24le": "PCM_24", "s32le": "PCM_32",
                   "f32le": "FLOAT", "f64le": "DOUBLE"}
        return reverse[self.encoding]


class PcmSource:
    """Blocks of ``(frames, channels)`` float32 samples from a byte stream.

    Args:
        stream: where the PCM bytes come from (positioned at the first sample).
        fmt: their format.
        limit: at most this many bytes are read (``None``: until the end of the stream).
        name: how error messages call the stream.
        output_encoding: the encoding an output should use (default: ``fmt.encoding``;
            e.g. ``s16le`` for 16-bit FLAC decoded to float).
    """

    def __init__(
        self,
        stream: BinaryIO,
        fmt: PcmFormat,
        limit: int | None = None,
        name: str = "stdin",
        output_encoding: str | None = None,
    ) -> None:
        self.stream = stream
        self.format = fmt
        self.limit = limit
        self.name = name
        self.output_encoding = output_encoding or fmt.encoding

    def blocks(self, block_frames: int) -> Iterator[np.ndarray]:
        """Yield blocks of at most ``block_frames`` frames as soon as they arrive.

        With ``read1`` (buffered streams) a block holds what the stream has ready, so a
        live source is passed on with little delay and a file in big blocks. A trailing
        partial frame is dropped.

        Raises:
            AudioError: NaN or infinite samples (refused, as for files) or a read error.
        """
        frame_bytes = self.format.frame_bytes
        read = getattr(self.stream, "read1", self.stream.read)
        left = self.limit  # bytes still to read from the stream
        pending = b""
        while left is None or left > 0:
            want = block_frames * frame_bytes - len(pending)
            if left is not None:
                want = min(want, left)
            try:
                chunk = read(want)
            except OSError as err:
                raise AudioError(f"{self.name}: read failed ({err.strerror or err})") from None
            if not chunk:
                return
            if left is not None:
                left -= len(chunk)
            data = pending + chunk
            usable = len(data) - len(data) % frame_bytes
            pending = data[usable:]
            if not usable:
                continue
            block = self.format.decode(data[:usable])
            if not np.isfinite(block).all():
                raise AudioError(f"{self.name}: contains NaN or infinite samples (refused)")
            yield block


def _read_exactly(stream: BinaryIO, n: int, name: str) -> bytes:
    try:
        data = stream.read(n)
    except OSError as err:
        raise AudioError(f"{name}: read failed ({err.strerror or err})") from None
    return data or b""


def open_wav_stream(stream: BinaryIO, name: str = "stdin") -> PcmSource:
    """Parse a WAV header from a non-seekable stream; the data may follow for ever.

    Other containers that libsndfile reads (FLAC, OGG, ...) are accepted too, but read
    into memory whole first (their headers need seeking).

    Raises:
        AudioError: empty stream, not audio, or an encoding this reader does not handle.
    """
    head = _read_exactly(stream, 12, name)
    if not head:
        raise AudioError(f"{name}: no input (0 bytes)")
    if head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
        return _read_whole(head, stream, name)
    fmt: PcmFormat | None = None
    while True:
        chunk = _read_exactly(stream, 8, name)
        if len(chunk) < 8:
            raise AudioError(f"{name}: WAV stream ends before its data chunk")
        chunk_id, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if chunk_id == b"data":
            if fmt is None:
                raise AudioError(f"{name}: WAV data chunk before its fmt chunk")
            # 0 and 0xFFFFFFFF (and RF64's placeholder) mean "until the end of the stream"
            unknown = size in (0, _UNKNOWN) or head[:4] == b"RF64"
            return PcmSource(stream, fmt, None if unknown else size, name)
        if size == _UNKNOWN:
            raise AudioError(f"{name}: WAV chunk {chunk_id!r} of unknown size before the data")
        body = _read_exactly(stream, size + (size & 1), name)
        if len(body) < size:
            raise AudioError(f"{name}: WAV stream ends inside its {chunk_id!r} chunk")
        if chunk_id == b"fmt ":
            fmt = _parse_fmt(body, name)


def _parse_fmt(body: bytes, name: str) -> PcmFormat:
    if len(body) < 16:
        raise AudioError(f"{name}: WAV fmt chunk too short ({len(body)} bytes)")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", body[:16])
    if tag == _EXTENSIBLE and len(body) >= 26:
        tag = struct.unpack("<H", body[24:26])[0]  # first two bytes of the sub-format GUID
    encodings = {(1, 8): "u8", (1, 16): "s16le", (1, 24): "s24le", (1, 32): "s32le",
                 (3, 32): "f32le", (3, 64): "f64le"}
    encoding = encodings.get((tag, bits))
    if encoding is None:
        raise AudioError(
            f"{name}: unsupported WAV encoding (format tag {tag:#x}, {bits} bits); "
            "PCM 8/16/24/32-bit and float 32/64-bit are supported"
        )
    if channels == 0 or rate == 0:
        raise AudioError(f"{name}: invalid WAV header (rate {rate}, {channels} ch)")
    return PcmFormat(rate, channels, encoding)


def _read_whole(head: bytes, stream: BinaryIO, name: str) -> PcmSource:
    """Any container libsndfile reads, decoded in memory and served as float32 PCM."""
    data = head + _read_exactly(stream, -1, name)
    try:
        with sf.SoundFile(io.BytesIO(data)) as handle:
            audio = handle.read(dtype="float32", always_2d=True)
            rate, subtype = handle.samplerate, handle.subtype
    except (sf.LibsndfileError, RuntimeError, TypeError) as err:
        reason = str(err).split(": ", 1)[-1].strip() or type(err).__name__
        raise AudioError(
            f"{name}: not WAV or other readable audio ({reason}); for raw PCM give --raw-rate"
        ) from None
    source = PcmFormat(rate, audio.shape[1], "f32le")
    encoding = _SOUNDFILE_SUBTYPES.get(subtype, "f32le")
    data = io.BytesIO(audio.astype("<f4").tobytes())
    return PcmSource(data, source, name=name, output_encoding=encoding)


class WavStreamWriter:
    """Write a WAV to a byte stream as blocks arrive; exact sizes if the stream can seek."""

    def __init__(self, stream: BinaryIO, fmt: PcmFormat) -> None:
        self.stream = stream
        self.format = fmt
        self.data_bytes = 0
        self._start = self._tell(stream)
        tag = ENCODINGS[fmt.encoding][2]
        bits = 8 * fmt.sample_bytes
        fmt_chunk = struct.pack(
            "<HHIIHH", tag, fmt.channels, fmt.sample_rate,
            fmt.sample_rate * fmt.frame_bytes, fmt.frame_bytes, bits,
        )
        self._header = (
            b"RIFF" + struct.pack("<I", _UNKNOWN) + b"WAVE"
            + b"fmt " + struct.pack("<I", len(fmt_chunk)) + fmt_chunk
            + b"data" + struct.pack("<I", _UNKNOWN)
        )
        self._header_written = False

    @staticmethod
    def _tell(stream: BinaryIO) -> int | None:
        """0 if the header can be fixed later (a seekable stream at its start), else None."""
        try:
            return 0 if stream.seekable() and stream.tell() == 0 else None
        except (OSError, ValueError):
            return None

    def _write(self, data: bytes) -> None:
        # The header goes out with the first samples, so an input that turns out to be
        # empty or bad leaves nothing at all on the output.
        if not self._header_written:
            data = self._header + data
            self._header_written = True
        try:
            self.stream.write(data)
            self.stream.flush()
        except BrokenPipeError:
            raise AudioError("stdout: closed by the reader (broken pipe)") from None
        except (OSError, ValueError) as err:
            raise AudioError(f"output write failed ({err})") from None

    def write(self, block: np.ndarray) -> None:
        """Append ``(frames, channels)`` float samples and push them downstream at once."""
        data = self.format.encode(block)
        self._write(data)
        self.data_bytes += len(data)

    def close(self) -> None:
        """Fix the size fields if the stream is seekable (a file); leave them unknown if not."""
        self._write(b"\0" if self.data_bytes & 1 else b"")  # chunks have an even length
        if self._start == 0:
            size = len(self._header)
            riff = min(size - 8 + self.data_bytes + (self.data_bytes & 1), _UNKNOWN)
            self.stream.seek(4)
            self.stream.write(struct.pack("<I", riff))
            self.stream.seek(size - 4)
            self.stream.write(struct.pack("<I", min(self.data_bytes, _UNKNOWN)))
            self.stream.seek(0, io.SEEK_END)
            self.stream.flush()
