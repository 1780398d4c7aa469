"""Stereo link: one gain for every channel, so a multichannel recording keeps its image.

Enhanced channel by channel, each channel gets its own time-frequency gains: a voice
panned left is suppressed differently in the two channels, and the level difference and
correlation between them (where the voice sits) wander with each channel's noise. Linked,
every channel gets the same gain per time-frequency bin and keeps its own phase:

- ``"mean"``: the model runs once, on the channel mean; the gain is
  ``|enhanced mean| / |mean|`` per bin.
- ``"power"``: the model runs on every channel; the gain is
  ``sqrt(sum |enhanced|^2 / sum |input|^2)`` over the channels per bin (a mean of the
  channels' gains weighted by their energy, unaffected by delays between channels).

Both measure the spectra with the model's own framing (20 ms sqrt-Hann windows, 10 ms hop)
and cap the gain at 1 (a suppressor never boosts). The gain stage is a second
:class:`~malenhance.frames.FrameStream` (the same causal bookkeeping as the model's), so
linking adds one hop (10 ms) of latency and streams with any block size.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from malenhance.frames import Engine, FrameStream

LinkSource = Literal["mean", "power"]

#: Energy per sample (full scale 1) below which a bin counts as silent: -100 dBFS.
SILENCE = 1e-10


class GainCore:
    """:class:`~malenhance.frames.FrameCore` applying a common gain: rows are the ``channels``
    inputs, then ``sources`` model inputs and their ``sources`` model outputs; the output's
    first ``channels`` rows are the gained inputs (the other rows are zeros)."""

    def __init__(self, n_fft: int, hop: int, channels: int, sources: int) -> None:
        if n_fft != 2 * hop:
            raise ValueError(f"the gain stage needs hop = n_fft / 2, got {n_fft}, {hop}")
        self.n_fft, self.hop = n_fft, hop
        self.channels, self.sources = channels, sources
        self.window = np.sqrt(np.hanning(n_fft + 1)[:-1]).astype(np.float32)  # periodic
        self.eps = SILENCE * n_fft / 2  # a silent bin's energy under this window

    def reset(self, batch: int) -> None:
        pass  # no state: everything it carries is in FrameStream

    def __call__(self, span: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(span, self.n_fft, axis=-1)
        spec = np.fft.rfft(frames[:, :: self.hop] * self.window, axis=-1)
        c, k = self.channels, self.sources
        power = np.square(np.abs(spec[c:]))
        gain = np.sqrt((power[k:].sum(0) + self.eps) / (power[:k].sum(0) + self.eps))
        framed = np.fft.irfft(spec[:c] * np.minimum(gain, 1.0), n=self.n_fft, axis=-1)
        framed = (framed * self.window).astype(np.float32)
        t, hop = framed.shape[1], self.hop  # overlap-add; hop is n_fft / 2 (MalNet's rule)
        out = np.zeros_like(span)
        out[:c, : t * hop] += framed[..., :hop].reshape(c, -1)
        out[:c, hop : (t + 1) * hop] += framed[..., hop:].reshape(c, -1)
        return out


class GainEngine:
    """The :class:`~malenhance.frames.Engine` of :class:`GainCore` (framing of ``engine``)."""

    name = "stereo-link"

    def __init__(self, engine: Engine, channels: int, sources: int) -> None:
        self.sample_rate, self.hop, self.n_fft = engine.sample_rate, engine.hop, engine.n_fft
        self.channels, self.sources = channels, sources

    def frame_core(self) -> GainCore:
        return GainCore(self.n_fft, self.hop, self.channels, self.sources)


class LinkedStream:
    """A drop-in for :class:`~malenhance.frames.FrameStream` over ``channels`` signals whose
    output has one common gain per time-frequency bin (see the module docstring)."""

    def __init__(self, engine: Engine, channels: int, source: LinkSource = "power") -> None:
        if source not in ("mean", "power"):
            raise ValueError(f"unknown stereo link source {source!r}")
        self.channels = channels
        self.source = source
        sources = 1 if source == "mean" else channels
        self.model = FrameStream(engine, sources)
        self.gain = FrameStream(GainEngine(engine, channels, sources), channels + 2 * sources)
        self._pending = np.zeros((channels + sources, 0), np.float32)  # waits for the model

    def _rows(self, x: np.ndarray) -> np.ndarray:
        """The channels and, below them, what the model runs on."""
        x = np.asarray(x, np.float32)
        if x.ndim != 2 or x.shape[0] != self.channels:
            raise ValueError(f"expected a chunk of shape ({self.channels}, n), got {x.shape}")
        source = x.mean(axis=0, keepdims=True) if self.source == "mean" else x
        return np.concatenate([x, source], axis=0)

    def _link(self, y: np.ndarray, final: bool) -> np.ndarray:
        n = y.shape[1]
        ready, self._pending = self._pending[:, :n], self._pending[:, n:]
        out = self.gain.process(np.concatenate([ready, y], axis=0))
        if final:
            out = np.concatenate([out, self.gain.flush()], axis=1)
        return out[: self.channels]

    def process(self, chunk: np.ndarray) -> np.ndarray:
        """Feed ``(channels, n)`` samples; return the output no later input can change."""
        rows = self._rows(chunk)
        self._pending = np.concatenate([self._pending, rows], axis=1)
        return self._link(self.model.process(rows[self.channels :]), final=False)

    def flush(self) -> np.ndarray:
        """Finish the signal: return the rest of the output, then reset for a new signal."""
        return self._link(self.model.flush(), final=True)
