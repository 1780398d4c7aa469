"""Chunked resampling that equals torchaudio's whole-signal resampling.

``torchaudio.functional.resample`` computes each block of ``new/g`` output samples from
a window of ``2 * width + orig/g`` input samples. Cutting the input at multiples of
``orig/g`` and giving every cut ``width`` samples of context on each side therefore
reproduces the whole-signal result, with memory bounded by the chunk size.
"""

from __future__ import annotations

import math

import torch
import torchaudio.functional as AF
from torch import Tensor

LOWPASS_FILTER_WIDTH = 6
ROLLOFF = 0.99
MIN_BLOCK = 256  # input samples per resampling call, at least


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
    """Resample a stream of ``(channels, n)`` chunks from ``orig`` to ``new`` Hz.

    ``push`` returns the output samples that are final; ``flush`` the rest. The
    concatenated output has ``ceil(length * new / orig)`` samples, as torchaudio gives.
    """

    def __init__(self, orig: int, new: int) -> None:
        self.orig, self.new = orig, new
        g = math.gcd(orig, new)
        self.unit_in, self.unit_out = orig // g, new // g
        base = min(self.unit_in, self.unit_out) * ROLLOFF
        width = math.ceil(LOWPASS_FILTER_WIDTH * self.unit_in / base)
        # Context on each side, rounded up to whole input units.
        self.context = math.ceil(width / self.unit_in) * self.unit_in
        self._buffer: Tensor | None = None
        self._buffer_start = 0  # absolute input index of _buffer[:, 0]
        self._received = 0
        self._done_units = 0  # input units whose output has been returned

    @property
    def identity(self) -> bool:
        return self.orig == self.new

    def _resample(self, x: Tensor) -> Tensor:
        return AF.resample(
            x, self.orig, self.new, lowpass_filter_width=LOWPASS_FILTER_WIDTH, rolloff=ROLLOFF
        )

    def _emit(self, end_unit: int, final: bool) -> Tensor:
        assert self._buffer is not None
        start_in = self._done_units * self.unit_in
        seg_start = max(start_in - self.context, 0)
        seg_end = self._received if final else end_unit * self.unit_in + self.context
        segment = self._buffer[:, seg_start - self._buffer_start : seg_end - self._buffer_start]
        out = self._resample(segment)
        first = (start_in - seg_start) // self.unit_in * self.unit_out
        if final:
            count = (
                math.ceil(self._received * self.new / self.orig) - self._done_units * self.unit_out
            )
        else:
            count = (end_unit - self._done_units) * self.unit_out
        out = out[:, first : first + count]
        self._done_units = end_unit
        keep_from = max(self._done_units * self.unit_in - self.context, 0)
        self._buffer = self._buffer[:, keep_from - self._buffer_start :]
        self._buffer_start = keep_from
        return out

    def push(self, chunk: Tensor) -> Tensor:
        self._channels = chunk.shape[0]
        if self.identity:
            return chunk
        if self._buffer is None:
            self._buffer = chunk.new_zeros(chunk.shape[0], 0)
        self._buffer = torch.cat([self._buffer, chunk], dim=1)
        self._received += chunk.shape[1]
        end_unit = (self._received - self.context) // self.unit_in
        # Resampling tiny pieces costs a kernel build each; wait for a useful amount.
        if (end_unit - self._done_units) * self.unit_in < MIN_BLOCK:
            return chunk.new_zeros(chunk.shape[0], 0)
        return self._emit(end_unit, final=False)

    def flush(self) -> Tensor:
        if self.identity or self._buffer is None:
            return torch.zeros(getattr(self, "_channels", 1), 0)
        end_unit = math.ceil(self._received / self.unit_in)
        out = self._emit(end_unit, final=True)
        self.__init__(self.orig, self.new)  # ready for a new stream
        return out
