"""Enhancement of a byte stream: WAV (or raw PCM) in, WAV out, incrementally.

This is what ``malenhance enhance -`` runs: samples are enhanced and written as they
arrive, with the model state carried between blocks (:class:`~malenhance.enhance.EnhancePipeline`),
so a live pipe (``arecord | malenhance enhance - | aplay``) has bounded latency: the
model's 20 ms plus the resampler's delay at other rates plus how long a block takes.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np

from malenhance.audio import AtomicAudioWriter, AudioInfo, output_format, remove_partial_files
from malenhance.enhance import DEFAULT_BLOCK_SECONDS, STEREO_LINK, EnhanceOptions
from malenhance.errors import AudioError
from malenhance.frames import Engine
from malenhance.wavstream import PcmFormat, PcmSource, WavStreamWriter, open_wav_stream

if TYPE_CHECKING:
    from malenhance.model import MalNet


@dataclass(frozen=True)
class StreamResult:
    """What happened to one stream."""

    frames: int
    sample_rate: int
    channels: int
    elapsed: float  # seconds from the first byte read to the last written
    clipped: int  # output samples beyond full scale, clipped (integer outputs only)

    @property
    def duration(self) -> float:
        return self.frames / self.sample_rate

    @property
    def rtf(self) -> float:
        return self.elapsed / self.duration if self.duration else 0.0


def open_source(stream: BinaryIO, raw: PcmFormat | None = None, name: str = "stdin") -> PcmSource:
    """A WAV stream (or any container, read whole), or raw PCM of format ``raw``."""
    return PcmSource(stream, raw, name=name) if raw else open_wav_stream(stream, name)


def enhance_stream(
    model: MalNet | Engine,
    source: PcmSource,
    sink: BinaryIO | str | os.PathLike,
    *,
    strength: float = 1.0,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
    full_band: bool = True,
    stereo_link: bool = STEREO_LINK,
    atten_lim_db: float | None = None,
    speech_lim_db: float | None = None,
) -> StreamResult:
    """Enhance ``source`` block by block into ``sink`` (a binary stream or a file path).

    A stream gets a WAV whose samples are written (and flushed) as soon as they are
    enhanced, in the input's encoding; integer samples beyond full scale are clipped and
    counted (a stream cannot be rewritten with a gain as files are). A path gets an
    atomically written file in the format its extension names (WAV by default).
    ``strength``, ``full_band``, ``stereo_link``, ``atten_lim_db`` and ``speech_lim_db`` are
    :func:`~malenhance.enhance.enhance_tensor`'s.

    Raises:
        AudioError: the input is empty, bad, or the output cannot be written.
    """
    fmt = PcmFormat(source.format.sample_rate, source.format.channels, source.output_encoding)
    options = EnhanceOptions(strength, atten_lim_db, full_band, stereo_link, speech_lim_db)
    pipeline = options.pipeline(model, fmt.sample_rate, fmt.channels)
    block_frames = max(int(block_seconds * fmt.sample_rate), 1)
    if isinstance(sink, str | os.PathLike):
        path = Path(sink)
        like = AudioInfo(path, fmt.sample_rate, fmt.channels, 0, "WAV", fmt.subtype)
        container, subtype = output_format(path, like)
        with AtomicAudioWriter(path, fmt.sample_rate, fmt.channels, container,
                               subtype) as writer:
            result = _run(pipeline, source, writer, fmt, block_frames)
        remove_partial_files(path)  # what an earlier, killed run left for this output
        return result
    return _run(pipeline, source, WavStreamWriter(sink, fmt), fmt, block_frames)


def _run(pipeline, source: PcmSource, writer, fmt: PcmFormat, block_frames: int) -> StreamResult:
    start = time.perf_counter()
    frames = clipped = 0

    def emit(y: np.ndarray) -> None:
        nonlocal clipped
        if y.shape[1]:
            block = y.T
            if not fmt.is_float:
                clipped += int(np.count_nonzero(np.abs(block) > 1.0))
            writer.write(block)

    for block in source.blocks(block_frames):
        frames += block.shape[0]
        emit(pipeline.push(block.T))
    if frames == 0:
        raise AudioError(f"{source.name}: contains no audio samples")
    emit(pipeline.flush())
    if isinstance(writer, WavStreamWriter):
        writer.close()
    elapsed = time.perf_counter() - start
    return StreamResult(frames, fmt.sample_rate, fmt.channels, elapsed, clipped)
