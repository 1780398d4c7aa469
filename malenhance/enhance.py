"""Enhancement of tensors, arrays and files, in bounded memory.

Signals of any rate and channel count go through one streaming pipeline: resample to the
model rate, enhance every channel with carried state (with one common gain when the
channels are linked), resample back, add the upper band above the model's Nyquist
frequency (full band), mix with the dry input for ``strength < 1`` or an attenuation
limit (everywhere, or only while someone speaks). Files are read and written block by
block, so memory does not grow with length, and the output equals whole-signal
processing (see :mod:`malenhance.streaming` and :mod:`malenhance.resample`).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from malenhance.audio import (
    AtomicAudioWriter,
    output_format,
    probe,
    read_blocks,
    remove_partial_files,
)
from malenhance.defaults import DEFAULT_BLOCK_SECONDS
from malenhance.errors import AudioError, OutputClipped
from malenhance.frames import Engine, FrameStream
from malenhance.resample import StreamResampler, workable_rate
from malenhance.speech_gate import SpeechGate, speech_dry_share

#: Whether channels share one gain by default (:mod:`malenhance.stereo_link`).
STEREO_LINK = True

if TYPE_CHECKING:
    from torch import Tensor

    from malenhance.model import MalNet
    from malenhance.stereo_link import LinkedStream, LinkSource


ProgressFn = Callable[[int, int], None]
"""Called as ``progress(frames_done, frames_total)`` while a file is processed."""


def as_engine(model: MalNet | Engine) -> Engine:
    """An :class:`~malenhance.frames.Engine` for ``model``: a :class:`MalNet` runs in PyTorch
    (:class:`~malenhance.streaming.TorchEngine`); an engine (e.g. the onnxruntime one that
    :func:`malenhance.light.load_engine` returns) is used as it is."""
    if hasattr(model, "frame_core"):
        return model  # type: ignore[return-value]
    from malenhance.streaming import TorchEngine

    return TorchEngine(model)  # type: ignore[arg-type]


class EnhancePipeline:
    """Streaming enhancement of ``channels`` signals at ``sample_rate`` (numpy float32).

    ``push((channels, n))`` returns the output that is final, ``flush()`` the rest; the
    output has exactly as many samples as the input, aligned with it. Everything but the
    model's own transform (resampling, upper band, stereo link, mixing, framing) is the
    same code whichever engine runs the model. This is the streaming API at any rate and
    channel count; the options are :func:`enhance_tensor`'s (``link_source``: what a linked
    gain is measured on, :mod:`malenhance.stereo_link`).
    """

    def __init__(
        self,
        model: MalNet | Engine,
        sample_rate: int,
        channels: int,
        strength: float = 1.0,
        gain: float = 1.0,
        full_band: bool = True,
        stereo_link: bool = STEREO_LINK,
        atten_lim_db: float | None = None,
        link_source: LinkSource = "power",
        speech_lim_db: float | None = None,
    ) -> None:
        if not 0.0 <= strength <= 1.0:
            raise ValueError(f"strength must be within 0..1, got {strength}")
        strength = atten_lim_strength(atten_lim_db, strength)
        engine = as_engine(model)
        self.engine = engine
        self.channels = channels
        self.strength = strength
        self.gain = gain
        self.speech_dry = speech_dry_share(speech_lim_db)
        self.speech_gate = SpeechGate(sample_rate) if self.speech_dry else None
        inner = workable_rate(sample_rate, engine.sample_rate)  # odd rates: a close one
        self.to_model = StreamResampler(inner, engine.sample_rate)
        self.from_model = StreamResampler(engine.sample_rate, inner)
        linked = stereo_link and channels > 1
        if linked:  # one gain for every channel (malenhance.stereo_link)
            from malenhance.stereo_link import LinkedStream

            self.streamer: FrameStream | LinkedStream = LinkedStream(engine, channels, link_source)
        else:
            self.streamer = FrameStream(engine, channels)
        # Above the model's Nyquist: the input's upper band, cleaned with its own noise estimate.
        self.upper = None
        if full_band and inner > engine.sample_rate:
            from malenhance.upper_band import UpperBand  # scipy.signal: only when needed

            self.upper = UpperBand(engine.sample_rate, inner, channels, linked=linked)
        # Below the model's rate: the band the input lacks gets quiet noise (band_fill.py).
        self.fill = None
        if inner < engine.sample_rate:
            from malenhance.band_fill import BandFill

            self.fill = BandFill(inner, engine.sample_rate, channels)
        self._pending = np.zeros((channels, 0), np.float32)  # model input not yet matched
        self._dry: deque[np.ndarray] = deque()
        self._received = 0
        self._emitted = 0

    def _mix(self, wet: np.ndarray, final: bool, low: np.ndarray | None = None) -> np.ndarray:
        if final:
            wet = wet[:, : self._received - self._emitted]
        n = wet.shape[1]
        dry_parts = []
        while n > sum(p.shape[1] for p in dry_parts):
            dry_parts.append(self._dry.popleft())
        dry = np.concatenate(dry_parts, axis=1) if dry_parts else wet[:, :0]
        if dry.shape[1] > n:
            self._dry.appendleft(dry[:, n:])
            dry = dry[:, :n]
        self._emitted += n
        if low is not None:
            wet = wet + self.upper.clean(dry - low[:, :n])
        if self.speech_gate is None:
            out = self.strength * wet + (1.0 - self.strength) * dry
        else:  # the stricter of the two limits, sample by sample
            speaking = self.speech_gate.push(wet)
            dry_share = np.maximum(1.0 - self.strength, speaking * self.speech_dry)
            out = wet + dry_share * (dry - wet)
        return (out * self.gain).astype(np.float32, copy=False)

    def push(self, chunk: np.ndarray) -> np.ndarray:
        chunk = np.asarray(chunk, dtype=np.float32)
        self._received += chunk.shape[1]
        self._dry.append(chunk)
        if self.strength == 0.0:
            return self._mix(chunk, final=False)
        x = self._to_model(chunk)
        y = self.streamer.process(x)
        return self._mix(self.from_model.push(y), False, self._upper(x, y))

    def _to_model(self, chunk: np.ndarray | None) -> np.ndarray:
        """The input at the model's rate (``None``: the resampler's last samples)."""
        x = self.to_model.flush() if chunk is None else self.to_model.push(chunk)
        return x if self.fill is None else self.fill.push(x)

    def _upper(self, x: np.ndarray, y: np.ndarray, final: bool = False) -> np.ndarray | None:
        """The input's low band at the output rate, for model input ``x`` as far as the
        model output ``y`` is ready (the dry input minus it is the upper band)."""
        if self.upper is None:
            return None
        self._pending = np.concatenate([self._pending, x], axis=1)
        aligned, self._pending = self._pending[:, : y.shape[1]], self._pending[:, y.shape[1]:]
        low = self.upper.push(aligned)
        if final:
            low = np.concatenate([low, self.upper.flush()], axis=1)
        return low

    def flush(self) -> np.ndarray:
        if self.strength == 0.0:
            return self._mix(np.zeros((self.channels, 0), np.float32), final=True)
        x = self._to_model(None)
        y = np.concatenate([self.streamer.process(x), self.streamer.flush()], axis=1)
        wet = np.concatenate([self.from_model.push(y), self.from_model.flush()], axis=1)
        return self._mix(wet, True, self._upper(x, y, final=True))


def atten_lim_strength(atten_lim_db: float | None, strength: float = 1.0) -> float:
    """The strength that takes at most ``atten_lim_db`` dB away (DeepFilterNet's convention).

    The output mixes the enhanced and the original signal; where the model removes
    everything (noise alone), what is left is the original at ``strength_dry = 10^(-lim/20)``,
    i.e. ``lim`` dB down, and speech the model keeps passes as before. ``None`` or 0: no
    limit. The stricter of the limit and ``strength`` wins.
    """
    if not atten_lim_db:
        return strength
    if atten_lim_db < 0:
        raise ValueError(f"the attenuation limit is a positive number of dB, got {atten_lim_db}")
    return min(strength, 1.0 - 10 ** (-atten_lim_db / 20))


@dataclass(frozen=True)
class EnhanceOptions:
    """What the pipeline does around the model, for every file of a batch (picklable, so
    worker processes get it as it is); the fields are :func:`enhance_tensor`'s."""

    strength: float = 1.0
    atten_lim_db: float | None = None
    full_band: bool = True
    stereo_link: bool = STEREO_LINK
    speech_lim_db: float | None = None

    def pipeline(self, model: MalNet | Engine, sample_rate: int, channels: int,
                 gain: float = 1.0) -> EnhancePipeline:
        return EnhancePipeline(model, sample_rate, channels, self.strength, gain,
                               full_band=self.full_band, stereo_link=self.stereo_link,
                               atten_lim_db=self.atten_lim_db, speech_lim_db=self.speech_lim_db)


def enhance_signal(
    model: MalNet | Engine,
    audio: np.ndarray,
    sample_rate: int,
    *,
    strength: float = 1.0,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
    full_band: bool = True,
    stereo_link: bool = STEREO_LINK,
    atten_lim_db: float | None = None,
    speech_lim_db: float | None = None,
) -> np.ndarray:
    """Enhance a ``(samples,)`` or ``(channels, samples)`` float array held in memory.

    The numpy form of :func:`enhance_tensor` (same arguments), which needs no torch with an
    onnxruntime engine (:func:`malenhance.light.load_engine`).
    """
    x = np.asarray(audio, dtype=np.float32)
    squeeze = x.ndim == 1
    x = x[None] if squeeze else x
    if x.ndim != 2:
        raise ValueError(f"expected (samples,) or (channels, samples), got {tuple(audio.shape)}")
    if not np.isfinite(x).all():
        raise ValueError("waveform contains NaN or infinite samples")
    pipeline = EnhancePipeline(model, sample_rate, x.shape[0], strength, full_band=full_band,
                               stereo_link=stereo_link, atten_lim_db=atten_lim_db,
                               speech_lim_db=speech_lim_db)
    block = max(int(block_seconds * sample_rate), 1)
    outs = [pipeline.push(x[:, i : i + block]) for i in range(0, x.shape[1], block)]
    outs.append(pipeline.flush())
    out = np.concatenate(outs, axis=1)
    return out[0] if squeeze else out


def enhance_tensor(
    model: MalNet | Engine,
    wav: Tensor,
    sample_rate: int,
    *,
    strength: float = 1.0,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
    full_band: bool = True,
    stereo_link: bool = STEREO_LINK,
    atten_lim_db: float | None = None,
    speech_lim_db: float | None = None,
) -> Tensor:
    """Enhance a waveform held in memory.

    Args:
        model: the enhancement model (or an engine, :func:`as_engine`).
        wav: ``(samples,)`` or ``(channels, samples)`` float waveform at ``sample_rate``.
        sample_rate: rate of ``wav``; resampled to the model's rate inside.
        strength: 1 removes what the model removes, 0 returns the input unchanged.
        block_seconds: processing block; bounds memory for long signals.
        full_band: above 16 kHz, keep the band above the model's 8 kHz, cleaned with a gain
            from its own noise estimate (:mod:`malenhance.upper_band`); off: that band is
            removed.
        stereo_link: with several channels, one gain for all of them, so that the image
            (level difference, correlation between channels) is kept
            (:mod:`malenhance.stereo_link`); off: each channel is enhanced on its own.
        atten_lim_db: the most the enhancer takes away, in dB (:func:`atten_lim_strength`);
            None: no limit.
        speech_lim_db: the most it takes away while someone speaks, in dB; the pauses are
            cleaned fully (:mod:`malenhance.speech_gate`). None: no limit.

    Returns:
        The enhanced waveform, same shape and rate as ``wav``.
    """
    import torch

    if wav.dim() not in (1, 2):
        raise ValueError(f"expected (samples,) or (channels, samples), got {tuple(wav.shape)}")
    audio = wav.detach().to("cpu", torch.float32).numpy()
    out = enhance_signal(model, audio, sample_rate, strength=strength,
                         block_seconds=block_seconds, full_band=full_band,
                         stereo_link=stereo_link, atten_lim_db=atten_lim_db,
                         speech_lim_db=speech_lim_db)
    return torch.from_numpy(out)


def enhance_array(
    model: MalNet | Engine, audio: np.ndarray, sample_rate: int, *, strength: float = 1.0,
    full_band: bool = True, stereo_link: bool = STEREO_LINK, atten_lim_db: float | None = None,
    speech_lim_db: float | None = None,
) -> np.ndarray:
    """Enhance a ``(frames,)`` or ``(frames, channels)`` numpy array (soundfile's layout);
    the options are :func:`enhance_tensor`'s."""
    x = np.ascontiguousarray(audio, dtype=np.float32)
    out = enhance_signal(model, x if x.ndim == 1 else x.T, sample_rate, strength=strength,
                         full_band=full_band, stereo_link=stereo_link, atten_lim_db=atten_lim_db,
                         speech_lim_db=speech_lim_db)
    return out if out.ndim == 1 else np.ascontiguousarray(out.T)


@dataclass(frozen=True)
class EnhanceResult:
    """What happened to one file."""

    source: Path
    destination: Path
    duration: float  # seconds of audio
    elapsed: float  # seconds of processing
    scaled: bool  # True if the output was scaled down to avoid clipping
    warning: str | None = None  # about the input, e.g. a placeholder header read to the end

    @property
    def rtf(self) -> float:
        return self.elapsed / self.duration if self.duration else 0.0


def _enhance_pass(
    model: MalNet | Engine,
    info: Any,
    destination: Path,
    options: EnhanceOptions,
    gain: float,
    block_frames: int,
    progress: ProgressFn | None,
) -> float:
    container, subtype = output_format(destination, info)
    pipeline = options.pipeline(model, info.sample_rate, info.channels, gain)
    peak = 0.0
    done = 0
    with AtomicAudioWriter(destination, info.sample_rate, info.channels, container, subtype) as out:
        for block in read_blocks(info, block_frames):
            y = pipeline.push(block.T)
            if y.shape[1]:
                peak = max(peak, float(np.abs(y).max()))
                out.write(y.T)
            done += block.shape[0]
            if progress:
                progress(done, info.frames)
        y = pipeline.flush()
        if y.shape[1]:
            peak = max(peak, float(np.abs(y).max()))
            out.write(y.T)
        if peak > 1.0 and subtype not in ("FLOAT", "DOUBLE"):
            # Signal the caller to redo the pass with a gain; the partial file is dropped.
            raise OutputClipped(peak)
    return peak


def enhance_file(
    model: MalNet | Engine,
    source: str | Path,
    destination: str | Path,
    *,
    strength: float = 1.0,
    overwrite: bool = False,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
    progress: ProgressFn | None = None,
    full_band: bool = True,
    stereo_link: bool = STEREO_LINK,
    atten_lim_db: float | None = None,
    speech_lim_db: float | None = None,
) -> EnhanceResult:
    """Enhance one audio file into ``destination``, keeping rate, channels and format.

    The file is streamed in blocks of ``block_seconds``; the output appears only when it
    is complete. If the enhanced signal would clip in an integer format, it is scaled
    down just enough (a second pass), never clipped. ``strength``, ``full_band``,
    ``stereo_link``, ``atten_lim_db`` and ``speech_lim_db`` are :func:`enhance_tensor`'s.

    Raises:
        AudioError: the input cannot be read, is refused, or the output cannot be written.
    """
    source, destination = Path(source), Path(destination)
    options = EnhanceOptions(strength, atten_lim_db, full_band, stereo_link, speech_lim_db)
    model = as_engine(model)
    info = probe(source)
    try:
        workable_rate(info.sample_rate, model.sample_rate)
    except ValueError as err:
        raise AudioError(f"{source}: {err}") from None
    if destination.exists():
        if destination.resolve() == source.resolve():
            raise AudioError(f"{destination}: output would overwrite the input")
        if not overwrite:
            raise AudioError(f"{destination}: output exists (use --overwrite or --skip-existing)")
        if destination.is_dir():
            raise AudioError(f"{destination}: output path is a directory")
    block_frames = max(int(block_seconds * info.sample_rate), 1)
    start = time.perf_counter()
    scaled = False
    try:
        _enhance_pass(model, info, destination, options, 1.0, block_frames, progress)
    except OutputClipped as clipped:
        scaled = True
        gain = 0.999 / clipped.peak
        _enhance_pass(model, info, destination, options, gain, block_frames, progress)
    remove_partial_files(destination)  # what an earlier, killed run left for this output
    return EnhanceResult(source, destination, info.duration, time.perf_counter() - start, scaled,
                         info.warning)


def warm_up(model: MalNet | Engine, sample_rate: int | None = None) -> None:
    """Run 0.1 s of silence through the pipeline: the engine's first-call costs (torch's
    about 3 s on a CPU, onnxruntime's first session run) then belong to loading, not to the
    first file's real-time factor."""
    engine = as_engine(model)
    rate = sample_rate or engine.sample_rate
    pipeline = EnhancePipeline(engine, rate, 1)
    pipeline.push(np.zeros((1, rate // 10), np.float32))
    pipeline.flush()
