"""Where someone is speaking, for the speech-only attenuation limit (``speech_lim_db``).

``--atten-lim`` mixes the input back in everywhere, so the voice keeps its detail but the
pauses keep their noise. Applied only while someone speaks, the same mix keeps the voice
and lets the pauses be cleaned fully: on the real-speech development set, 18 dB in speech
frames keeps more of clean voices than a uniform 30 dB limit (PESQ-wb +0.12 ±0.04) and scores
higher on DNSMOS OVRL (+0.06 ±0.04), paired over 120 clips (experiments, round 48; round 51:
DistillMOS prefers the uniform limit).

The detector is causal so that it works on streams: 20 ms frames every 10 ms of the
enhanced signal (all channels together); a frame is speech if it is within 30 dB of the
loud level (a peak that falls 3 dB/s), 10 dB above the quiet level (a minimum that rises
3 dB/s: a steady residual the model left is not speech) and above -70 dBFS;
speech holds 100 ms after its last frame and the result is averaged over 50 ms. A sample's
gate comes from the frames completed before it (ramped across the hop), so nothing waits
for later input.
"""

from __future__ import annotations

from collections import deque

import numpy as np

HOP_SECONDS = 0.010
RANGE_DB = 30.0  # below the loud level
ABOVE_QUIET_DB = 10.0
FLOOR_DB = -70.0  # dBFS
TRACK_DB_PER_SECOND = 3.0  # how fast the loud level falls and the quiet level rises
HOLD_HOPS = 10  # 100 ms
AVERAGE_HOPS = 5  # 50 ms


def speech_dry_share(speech_lim_db: float | None) -> float:
    """The share of the input mixed back in while someone speaks (0: no limit)."""
    if not speech_lim_db:
        return 0.0
    if speech_lim_db < 0:
        raise ValueError(f"the speech attenuation limit is a positive number of dB, "
                         f"got {speech_lim_db}")
    return 10 ** (-speech_lim_db / 20)


class SpeechGate:
    """Streaming speech presence, 0..1 per sample, of a ``(channels, n)`` signal."""

    def __init__(self, sample_rate: int) -> None:
        self.hop = max(1, round(sample_rate * HOP_SECONDS))
        self.frame = 2 * self.hop
        self.track = TRACK_DB_PER_SECOND * HOP_SECONDS
        self._power = np.zeros(0)  # the last frame's per-sample power
        self._filled = 0  # samples of the hop under way
        self._peak, self._quiet = -np.inf, np.inf
        self._since_speech = HOLD_HOPS + 1
        self._recent: deque[float] = deque([0.0] * AVERAGE_HOPS, maxlen=AVERAGE_HOPS)
        self._before, self._last = 0.0, 0.0  # the gates of the two hops last completed

    def push(self, signal: np.ndarray) -> np.ndarray:
        power = np.mean(np.square(signal, dtype=np.float64), axis=0)
        gate = np.empty(power.shape[0])
        done = 0
        while done < power.shape[0]:
            take = min(self.hop - self._filled, power.shape[0] - done)
            ramp = (self._filled + np.arange(1, take + 1)) / self.hop
            gate[done:done + take] = self._before + (self._last - self._before) * ramp
            self._power = np.concatenate([self._power, power[done:done + take]])[-self.frame:]
            self._filled += take
            done += take
            if self._filled == self.hop:
                self._filled = 0
                self._before, self._last = self._last, self._complete_hop()
        return gate

    def _complete_hop(self) -> float:
        level = 10 * np.log10(np.mean(self._power) + 1e-12)
        self._peak = max(level, self._peak - self.track)
        self._quiet = min(level, self._quiet + self.track)
        speaking = (level > self._peak - RANGE_DB and level > self._quiet + ABOVE_QUIET_DB
                    and level > FLOOR_DB)
        self._since_speech = 0 if speaking else self._since_speech + 1
        self._recent.append(1.0 if self._since_speech <= HOLD_HOPS else 0.0)
        return sum(self._recent) / AVERAGE_HOPS
