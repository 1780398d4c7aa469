"""The band above the model's Nyquist frequency, kept and cleaned with its own noise estimate.

The model works at 16 kHz, so a 44.1 or 48 kHz input loses everything above 8 kHz when the
enhanced signal is resampled back. Instead, the input is split into the part the model saw
(its 16 kHz version resampled back up) and the rest (input minus that part: the upper band).

The upper band gets a gain from its own noise estimate, per sub-band (edges
:data:`SUB_BAND_EDGES_HZ`, none by default: one band; sub-bands sum back to it exactly):

- its power per ~1 ms frame, smoothed over ~10 ms;
- a noise floor that follows that power down at once and rises at most
  :data:`RISE_SLOW_DB_S` dB/s (a minimum tracker, recursive and causal);
- a spectral-subtraction gain from the two, ``sqrt(1 - 1.25 noise / power)`` (the factor
  :data:`OVERSUBTRACT` makes up for the minimum lying below the noise's mean), at least
  :data:`GAIN_FLOOR`.

The model's own decision can steer the floor: where its top band (5.5-8 kHz) gain is low
(noise), the floor may rise up to :data:`RISE_FAST_DB_S` dB/s. That gain, the square root of
the enhanced over the input energy there smoothed over ~10 ms, was this module's whole gain
until 2026-12 (as in the WebRTC and RNNoise suppressors); it cut speech above 8 kHz wherever
5.5-8 kHz held mostly noise. On the full-band development set, steering the floor with it,
multiplying the gain by it, and four sub-bands instead of one all scored lower above 8 kHz
(experiments/2026-12-05-fullband), so by default the model's decision is not used here and
not computed.

The split is exact: with gains of 1, the output is the input. Everything is causal and
streams with carried state, so blocks of any size give the same output: a frame's gain
applies from the sample after its end.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal  # imported only for inputs above the model rate (malenhance.enhance)

from malenhance.resample import StreamResampler

#: Lower edge of the model's top band whose gain may steer the noise floor, in Hz.
GAIN_BAND_HZ = 5500.0
#: Time constant of the energy envelopes, in seconds.
SMOOTHING_S = 0.010
#: Energy (per sample, full scale 1) below which a band counts as silent: -100 dBFS.
SILENCE = 1e-10
#: Edges between the upper sub-bands, in Hz (those above 0.9 x the Nyquist frequency unused);
#: e.g. (10000.0, 13000.0, 17000.0) for four.
SUB_BAND_EDGES_HZ: tuple[float, ...] = ()
#: Hop of the noise tracker, in seconds.
FRAME_S = 0.001
#: How fast the noise floor may rise while the model hears speech / noise, in dB per second
#: (the same: the model's decision is not used).
RISE_SLOW_DB_S = 3.0
RISE_FAST_DB_S = 3.0
#: Over-subtraction: the gain is ``sqrt(1 - OVERSUBTRACT * noise / power)`` (tried 0.7-3).
OVERSUBTRACT = 1.25
#: The least gain of a sub-band (amplitude).
GAIN_FLOOR = 0.1
#: How linked channels share one gain: "max", the largest of the channels' own gains (each
#: channel tracks its own noise: speech that either channel hears is kept), or "power", the
#: gain of their summed powers. On stereo scenes with different noise per channel
#: (benchmarks/bench_stereo_link.py) "max" scored 13.2 dB band SNR above 8 kHz, "power" 9.1
#: and the least gain 9.1, all three with the input's level-difference error.
LINK = "max"


class UpperBand:
    """Stateful upper-band path of one stream of ``channels`` signals.

    ``push(x, y)`` takes equally long, aligned chunks of the model's input ``x`` and output
    ``y`` (model rate) and returns, at ``rate``, the low band of the input (the part to
    subtract from the dry input to get the upper band) and the model's top-band gain (ones
    where it is not used: :data:`RISE_FAST_DB_S`); both have as many samples as the model
    output resampled to ``rate``. ``clean(upper, gain)``
    then takes the upper band (dry input minus that low band) with that gain, in order, and
    returns it cleaned.

    With ``linked``, one gain for all channels (:mod:`malenhance.stereo_link`): the largest
    of the channels' own gains (:data:`LINK`).
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
        # The sub-band split of the upper band, and its noise tracker.
        edges = [f for f in SUB_BAND_EDGES_HZ if f < 0.45 * rate]
        self.splits = [signal.butter(4, f, "lowpass", fs=rate, output="sos").astype(np.float32)
                       for f in edges]
        self._split_state = [np.zeros((s.shape[0], channels, 2), np.float32)
                             for s in self.splits]
        bands = len(edges) + 1
        self.rows = 1 if linked else channels  # rows of the model's gain
        # rows of the noise tracker: one per channel unless linked through summed powers
        self.tracked = rows = 1 if linked and LINK == "power" else channels
        self.frame = max(1, round(FRAME_S * rate))
        frame_alpha = 1.0 - math.exp(-FRAME_S / SMOOTHING_S)
        self.frame_smooth = (np.array([frame_alpha]), np.array([1.0, frame_alpha - 1.0]))
        db_per_frame = math.log(10.0) / 10.0 * FRAME_S  # natural-log power units per dB/s
        self.rise = (RISE_SLOW_DB_S * db_per_frame, RISE_FAST_DB_S * db_per_frame)
        self.steered = RISE_FAST_DB_S != RISE_SLOW_DB_S
        self._phase = 0  # samples of the frame under way, their power and model gain
        self._pending_power: np.ndarray | float = 0.0
        self._pending_heard: np.ndarray | float = 0.0
        self._frame_env = np.zeros((bands, rows, 1))
        self._log_noise = np.full((bands, rows), np.inf)  # none yet: the first frame sets it
        self._last_gain = np.ones((bands, rows, 1))  # before the first frame ends: pass

    def _envelope(self, key: str, audio: np.ndarray) -> np.ndarray:
        band, self._band_state[key] = signal.sosfilt(
            self.sos, audio, axis=-1, zi=self._band_state[key])
        env, self._env_state[key] = signal.lfilter(
            *self.smooth, np.square(band), axis=-1, zi=self._env_state[key])
        return env

    def band_gain(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The model's top-band gain, per model-rate sample, in 0..1 (float32 arrays); one
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
        low = self.low.push(x)
        if not self.steered:  # the model's decision unused: ones, not computed
            return low, np.ones((self.rows, low.shape[-1]), np.float32)
        return low, self.gain.push(self.band_gain(x, y))

    def flush(self) -> tuple[np.ndarray, np.ndarray]:
        low = self.low.flush()
        if not self.steered:
            return low, np.ones((self.rows, low.shape[-1]), np.float32)
        return low, self.gain.flush()

    def split(self, upper: np.ndarray) -> np.ndarray:
        """The sub-bands of ``upper`` (channels, n), lowest first: (bands, channels, n); they
        sum to ``upper`` exactly."""
        if not self.splits:
            return upper[None]
        parts = np.empty((len(self.splits) + 1, *upper.shape), np.float32)
        for i, sos in enumerate(self.splits):
            parts[i], self._split_state[i] = signal.sosfilt(sos, upper, axis=-1,
                                                            zi=self._split_state[i])
        parts[-1] = upper
        parts[1:] -= parts[:-1].copy()
        return parts

    def sub_band_gains(self, bands: np.ndarray, model_gain: np.ndarray) -> np.ndarray:
        """The gain of each sub-band per sample (bands, rows, n) for sub-bands (bands,
        channels, n) and the model's top-band gain (rows, n)."""
        n, frame = bands.shape[-1], self.frame
        summed = self.linked and LINK == "power"
        power = np.einsum("kcn,kcn->kn" if summed else "kcn,kcn->kcn", bands, bands)
        power = power.reshape(bands.shape[0], -1, n)
        # Segments of the block: the rest of the frame under way, whole frames, a part.
        phase = self._phase
        starts = np.arange((frame - phase) % frame, n, frame)
        if phase or not starts.size:
            starts = np.concatenate([[0], starts[starts > 0]])
        lengths = np.diff(np.append(starts, n))
        sums = np.add.reduceat(power, starts, axis=-1).astype(np.float64)
        heard = np.add.reduceat(model_gain, starts, axis=-1).astype(np.float64)
        sums[..., 0] += self._pending_power
        heard[..., 0] += self._pending_heard
        lengths[0] += phase
        frames = int(np.count_nonzero(lengths == frame))  # complete: all but maybe the last
        self._phase = int(lengths[-1]) % frame
        self._pending_power = sums[..., -1] if self._phase else 0.0
        self._pending_heard = heard[..., -1] if self._phase else 0.0
        gains = self._last_gain
        if frames:
            frame_power = sums[..., :frames] / frame
            if np.isinf(self._log_noise).all():  # the first frame: the envelope starts there
                self._frame_env = (1.0 - self.frame_smooth[0][0]) * frame_power[..., :1]
            env, self._frame_env = signal.lfilter(*self.frame_smooth, frame_power, axis=-1,
                                                  zi=self._frame_env)
            log_env = np.log(env + SILENCE)
            # The floor rises fast where the model hears noise (its gain is low), slowly
            # where it hears speech, and never above the power itself.
            slow, fast = self.rise
            steps = np.cumsum(fast + (slow - fast) * np.minimum(heard[..., :frames] / frame, 1.0),
                              axis=-1)
            floor = np.minimum(self._log_noise[..., None],
                               np.minimum.accumulate(log_env - steps, axis=-1))
            log_noise = steps + floor
            self._log_noise = log_noise[..., -1]
            frame_gain = np.sqrt(np.maximum(1.0 - OVERSUBTRACT * np.exp(log_noise - log_env),
                                            GAIN_FLOOR ** 2))
            gains = np.concatenate([gains, frame_gain], axis=-1)
            self._last_gain = frame_gain[..., -1:]
        # A frame's gain applies from the sample after its end: segment i takes gains[i].
        lengths[0] -= phase
        return np.repeat(gains[..., : len(lengths)].astype(np.float32), lengths, axis=-1)

    def clean(self, upper: np.ndarray, model_gain: np.ndarray) -> np.ndarray:
        """The upper band (channels, n) at ``rate`` cleaned, with the model's top-band gain
        from :meth:`push` for the same samples; in order, block after block."""
        upper = np.asarray(upper, np.float32)
        if upper.shape[-1] == 0:
            return upper.copy()
        bands = self.split(upper)
        gains = self.sub_band_gains(bands, np.asarray(model_gain, np.float32))
        if not self.linked:
            return np.einsum("kcn,kcn->cn", gains, bands)
        return np.einsum("kn,kcn->cn", gains.max(axis=1), bands)  # one row if summed
