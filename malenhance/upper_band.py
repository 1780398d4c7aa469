"""The band above the model's Nyquist frequency, kept and cleaned with its own noise estimate.

The model works at 16 kHz, so a 44.1 or 48 kHz input loses everything above 8 kHz when the
enhanced signal is resampled back. Instead, the input is split into the part the model saw
(its 16 kHz version resampled back up) and the rest (input minus that part: the upper band).

The upper band gets a gain from its own noise estimate:

- its power per ~1 ms frame, smoothed over ~10 ms;
- a noise floor that follows that power down at once and rises at most
  :data:`RISE_DB_S` dB/s (a minimum tracker, recursive and causal);
- a spectral-subtraction gain from the two, ``sqrt(1 - 1.25 noise / power)`` (the factor
  :data:`OVERSUBTRACT` makes up for the minimum lying below the noise's mean), at least
  :data:`GAIN_FLOOR`.

Until 2026-12 the gain here was the model's own 5.5-8 kHz gain (as in the WebRTC and RNNoise
suppressors); it cut speech above 8 kHz wherever 5.5-8 kHz held mostly noise. Letting that
gain steer the floor, multiplying by it, and four sub-bands instead of one all scored lower
above 8 kHz on the full-band development set (experiments/2026-12-05-fullband, run on
commit 6e72f35, the last that had those options).

The split is exact: with a gain of 1, the output is the input. Everything is causal and
streams with carried state, so blocks of any size give the same output: a frame's gain
applies from the sample after its end.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import signal  # imported only for inputs above the model rate (malenhance.enhance)

from malenhance.resample import StreamResampler

#: Time constant of the power envelope, in seconds.
SMOOTHING_S = 0.010
#: Power (per sample, full scale 1) below which the band counts as silent: -100 dBFS.
SILENCE = 1e-10
#: Hop of the noise tracker, in seconds.
FRAME_S = 0.001
#: How fast the noise floor may rise, in dB per second.
RISE_DB_S = 3.0
#: Over-subtraction: the gain is ``sqrt(1 - OVERSUBTRACT * noise / power)`` (tried 0.7-3).
OVERSUBTRACT = 1.25
#: The least gain (amplitude).
GAIN_FLOOR = 0.1


class UpperBand:
    """Stateful upper-band path of one stream of ``channels`` signals.

    ``push(x)`` takes a chunk of the model's input ``x`` (model rate) and returns its low
    band at ``rate``: the part to subtract from the dry input to get the upper band.
    ``clean(upper)`` then takes the upper band (dry input minus that low band), in order,
    and returns it cleaned.

    Each channel tracks its own noise. With ``linked``, every channel takes the largest of
    the channels' own gains (:mod:`malenhance.stereo_link`): speech that either channel
    hears is kept, and the level difference between the channels stays the input's. (The
    gain of their summed powers let a loud hiss in one channel take the other's sibilants:
    8-20 kHz band SNR 9.1 dB against 13.2 on benchmarks/bench_stereo_link.py.)
    """

    def __init__(self, model_rate: int, rate: int, channels: int, linked: bool = False) -> None:
        self.linked = linked
        self.low = StreamResampler(model_rate, rate)
        self.frame = max(1, round(FRAME_S * rate))
        alpha = 1.0 - math.exp(-FRAME_S / SMOOTHING_S)
        self.smooth = (np.array([alpha]), np.array([1.0, alpha - 1.0]))
        self.rise = RISE_DB_S * math.log(10.0) / 10.0 * FRAME_S  # natural-log power per frame
        self._phase = 0  # samples of the frame under way, and their summed power
        self._pending_power: np.ndarray | float = 0.0
        self._env = np.zeros((channels, 1))
        self._log_noise = np.full(channels, np.inf)  # none yet: the first frame sets it
        self._last_gain = np.ones((channels, 1))  # before the first frame ends: pass

    def push(self, x: np.ndarray) -> np.ndarray:
        return self.low.push(x)

    def flush(self) -> np.ndarray:
        return self.low.flush()

    def gains(self, upper: np.ndarray) -> np.ndarray:
        """Each channel's own gain per sample (channels, n) for the upper band (channels, n)."""
        n, frame, phase = upper.shape[-1], self.frame, self._phase
        power = np.square(upper)
        # Segments of the block: the rest of the frame under way, whole frames, a part.
        starts = np.arange((frame - phase) % frame, n, frame)
        if phase or not starts.size:
            starts = np.concatenate([[0], starts[starts > 0]])
        lengths = np.diff(np.append(starts, n))
        sums = np.add.reduceat(power, starts, axis=-1).astype(np.float64)
        sums[:, 0] += self._pending_power
        lengths[0] += phase
        frames = int(np.count_nonzero(lengths == frame))  # complete: all but maybe the last
        self._phase = int(lengths[-1]) % frame
        self._pending_power = sums[:, -1] if self._phase else 0.0
        gains = self._last_gain
        if frames:
            frame_power = sums[:, :frames] / frame
            if np.isinf(self._log_noise).all():  # the first frame: the envelope starts there
                self._env = (1.0 - self.smooth[0][0]) * frame_power[:, :1]
            env, self._env = signal.lfilter(*self.smooth, frame_power, axis=-1, zi=self._env)
            log_env = np.log(env + SILENCE)
            # The floor follows the power down at once and rises at most `rise` per frame.
            steps = self.rise * np.arange(1, frames + 1)
            floor = np.minimum(self._log_noise[:, None],
                               np.minimum.accumulate(log_env - steps, axis=-1))
            log_noise = steps + floor
            self._log_noise = log_noise[:, -1]
            frame_gain = np.sqrt(np.maximum(1.0 - OVERSUBTRACT * np.exp(log_noise - log_env),
                                            GAIN_FLOOR ** 2))
            gains = np.concatenate([gains, frame_gain], axis=-1)
            self._last_gain = frame_gain[:, -1:]
        # A frame's gain applies from the sample after its end: segment i takes gains[i].
        lengths[0] -= phase
        return np.repeat(gains[:, : len(lengths)].astype(np.float32), lengths, axis=-1)

    def clean(self, upper: np.ndarray) -> np.ndarray:
        """The upper band (channels, n) at ``rate`` cleaned; in order, block after block."""
        upper = np.asarray(upper, np.float32)
        if upper.shape[-1] == 0:
            return upper.copy()
        gains = self.gains(upper)
        if self.linked:
            gains = gains.max(axis=0, keepdims=True)
        return gains * upper
