"""Resampling for enhancement: streamed, equal to whole-signal resampling, torch-free.

:class:`StreamResampler` is the one resampler of the enhancement pipeline, whichever engine
runs the model (PyTorch or onnxruntime): libsoxr's streaming resampler (the ``soxr``
package, high quality), whose output for a chunked signal equals its output for the whole
signal (tested), with memory bounded by the chunk size.

The rate helpers below (:func:`workable_rate`, :func:`manageable_rates`) size torchaudio's
sinc kernel, which training data and metrics still resample with.
"""

from __future__ import annotations

import math

import numpy as np

LOWPASS_FILTER_WIDTH = 6
ROLLOFF = 0.99


MIN_RATE, MAX_RATE = 1000, 1_536_000  # sample rates enhancement accepts, in Hz
KERNEL_LIMIT = 1 << 21  # floats in one resampling kernel (8 MB)
RATE_TOLERANCE = 0.005  # how far the rate the resampler assumes may be from the real one


def kernel_floats(orig: int, new: int) -> int:
    """Size of torchaudio's sinc kernel from ``orig`` to ``new`` Hz (both directions differ)."""
    g = math.gcd(orig, new)
    unit_in, unit_out = orig // g, new // g
    width = math.ceil(LOWPASS_FILTER_WIDTH * unit_in / (min(unit_in, unit_out) * ROLLOFF))
    return unit_out * (2 * width + unit_in)


def workable_rate(rate: int, target: int) -> int:
    """``rate``, or a rate within 0.5 % of it that resamples to and from ``target`` cheaply.

    An odd rate such as 44101 Hz shares no factor with 16 kHz: its exact kernel would hold
    ~700 M floats. Resampling as if it were 44100 Hz changes pitch by 0.002 %, which the
    model cannot hear, and the output still has the input's rate and length.

    Raises:
        ValueError: ``rate`` is outside MIN_RATE..MAX_RATE.
    """
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(
            f"sample rate {rate} Hz is outside the {MIN_RATE}..{MAX_RATE} Hz malenhance supports"
        )
    for step in (1, 10, 100, 1000, target):
        near = max(round(rate / step), 1) * step
        cost = max(kernel_floats(near, target), kernel_floats(target, near))
        if cost <= KERNEL_LIMIT and abs(near - rate) <= RATE_TOLERANCE * rate:
            return near
    raise ValueError(f"sample rate {rate} Hz cannot be resampled to {target} Hz in bounded memory")


def manageable_rates(orig: int, new: int) -> tuple[int, int]:
    """``(orig, new)``, or rates within 0.5 % of them whose resampling kernel is small.

    For whole-signal resampling (training data, metrics) where no range check applies.
    """
    for step in (1, 10, 100, 1000):
        o, n = (max(round(r / step), 1) * step for r in (orig, new))
        close = abs(o - orig) <= RATE_TOLERANCE * orig and abs(n - new) <= RATE_TOLERANCE * new
        if close and kernel_floats(o, n) <= KERNEL_LIMIT:
            return o, n
    return orig, new


class StreamResampler:
    """Resample a stream of ``(channels, n)`` float32 chunks from ``orig`` to ``new`` Hz.

    ``push`` returns the output samples that are final; ``flush`` the rest, then the
    resampler is ready for a new stream. The concatenated output has
    ``ceil(length * new / orig)`` samples, aligned with the input (libsoxr removes its
    filter delay), whatever the chunking.
    """

    QUALITY = "HQ"

    def __init__(self, orig: int, new: int) -> None:
        self.orig, self.new = orig, new
        self._stream = None
        self._channels = 1
        self._received = 0
        self._emitted = 0

    @property
    def identity(self) -> bool:
        return self.orig == self.new

    def _run(self, chunk: np.ndarray, last: bool) -> np.ndarray:
        if self._stream is None:
            import soxr

            self._stream = soxr.ResampleStream(self.orig, self.new, self._channels,
                                               dtype="float32", quality=self.QUALITY)
        frames = np.ascontiguousarray(chunk.T, dtype=np.float32)
        out = self._stream.resample_chunk(frames, last=last)
        return out.reshape(-1, self._channels).T

    def push(self, chunk: np.ndarray) -> np.ndarray:
        self._channels = chunk.shape[0]
        if self.identity:
            return chunk
        self._received += chunk.shape[1]
        if chunk.shape[1] == 0:
            return np.zeros((self._channels, 0), np.float32)
        out = self._run(chunk, last=False)
        self._emitted += out.shape[1]
        return out

    def flush(self) -> np.ndarray:
        channels = self._channels
        if self.identity or self._stream is None:
            self.__init__(self.orig, self.new)
            return np.zeros((channels, 0), np.float32)
        out = self._run(np.zeros((channels, 0), np.float32), last=True)
        # Exactly ceil(length * new / orig) samples in all: trim or pad the last ones.
        want = math.ceil(self._received * self.new / self.orig) - self._emitted
        if out.shape[1] >= want:
            out = out[:, : max(want, 0)]
        else:
            out = np.concatenate([out, np.zeros((channels, want - out.shape[1]), np.float32)], 1)
        self.__init__(self.orig, self.new)  # ready for a new stream
        return out
