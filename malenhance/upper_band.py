"""The band above the model's Nyquist frequency, kept and cleaned with the model's own gain.

The model works at 16 kHz, so a 44.1 or 48 kHz input loses everything above 8 kHz when the
enhanced signal is resampled back. Instead, the input is split into the part the model saw
(its 16 kHz version resampled back up) and the rest (input minus that part: the upper band).
The upper band is kept, multiplied by a gain that follows the model's own decision in its top
band (5.5-8 kHz): per sample, the square root of the enhanced over the input energy there,
smoothed over ~10 ms and at most 1. The WebRTC and RNNoise suppressors derive their upper
band gains from the lower band the same way.

The split is exact: with a gain of 1 and an enhancer that changes nothing, the output is the
input. Everything is causal and streams with carried state, so blocks of any size give the
same output.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal  # imported only for inputs above the model rate (malenhance.enhance)

from malenhance.resample import StreamResampler

#: Lower edge of the model's top band whose gain the upper band follows, in Hz.
GAIN_BAND_HZ = 5500.0
#: Time constant of the energy envelopes, in seconds.
SMOOTHING_S = 0.010
#: Energy (per sample, full scale 1) below which a band counts as silent: -100 dBFS.
SILENCE = 1e-10


class UpperBand:
    """Stateful upper-band path of one stream of ``channels`` signals.

    ``push(x, y)`` takes equally long, aligned chunks of the model's input ``x`` and output
    ``y`` (model rate) and returns, at ``rate``, the low band of the input (the part to
    subtract from the dry input to get the upper band) and the gain to apply to that upper
    band; both have as many samples as the model output resampled to ``rate``.

    With ``linked``, the band energies are summed over the channels first: one gain for
    all of them, returned as one row (:mod:`malenhance.stereo_link`).
    """

    def __init__(self, model_rate: int, rate: int, channels: int, linked: bool = False) -> None:
        self.linked = linked
        self.low = StreamResampler(model_rate, rate)
        self.gain = StreamResampler(model_rate, rate)
        self.sos = signal.butter(4, GAIN_BAND_HZ, "highpass", fs=model_rate, output="sos")
        alpha = 1.0 - math.exp(-1.0 / (SMOOTHING_S * model_rate))
        self.smooth = (np.array([alpha]), np.array([1.0, alpha - 1.0]))
        zeros_sos = np.zeros((self.sos.shape[0], channels, 2))
        self._band_state = {"x": zeros_sos.copy(), "y": zeros_sos.copy()}
        self._env_state = {"x": np.zeros((channels, 1)), "y": np.zeros((channels, 1))}

    def _envelope(self, key: str, audio: np.ndarray) -> np.ndarray:
        band, self._band_state[key] = signal.sosfilt(
            self.sos, audio, axis=-1, zi=self._band_state[key])
        env, self._env_state[key] = signal.lfilter(
            *self.smooth, np.square(band), axis=-1, zi=self._env_state[key])
        return env

    def band_gain(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The gain for the upper band, per model-rate sample, in 0..1 (float32 arrays); one
        row per channel, or one row for all of them when ``linked``."""
        x, y = np.asarray(x), np.asarray(y)
        if x.shape[-1] == 0:  # scipy's filters refuse empty blocks; nothing to carry over
            return np.zeros((1 if self.linked else x.shape[0], 0), np.float32)
        ex = self._envelope("x", x.astype(np.float64))
        ey = self._envelope("y", y.astype(np.float64))
        if self.linked:
            ex, ey = ex.sum(axis=0, keepdims=True), ey.sum(axis=0, keepdims=True)
        gain = np.sqrt((ey + SILENCE) / (ex + SILENCE))
        return np.minimum(gain, 1.0).astype(np.float32)

    def push(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        gain = self.band_gain(x, y)
        return self.low.push(x), self.gain.push(gain)

    def flush(self) -> tuple[np.ndarray, np.ndarray]:
        return self.low.flush(), self.gain.flush()
