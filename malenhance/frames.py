"""The frame bookkeeping of streaming enhancement, shared by every engine (torch-free).

An engine (:class:`Engine`) runs the model's transform on a span of samples: analysis
windows one hop apart, the model with its state carried, the windowed inverse transforms
overlap-added (:class:`FrameCore`). PyTorch runs it with the model itself
(:class:`malenhance.streaming.TorchEngine`), onnxruntime with the graph exported from the
same model (:class:`malenhance.light.OnnxEngine`). What lies around it, the same for both,
is here: :class:`FrameStream` accepts chunks of any size, keeps the input a frame needs,
adds the overlap-add tail carried from the previous call and returns the samples no later
input can change; ``flush()`` returns the rest. Concatenated, its output equals the
model's whole-signal output (``MalNet.forward``), because the model is causal.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np


def num_frames(length: int, hop: int) -> int:
    """Frames needed so that every one of ``length`` samples is fully overlap-added."""
    return math.ceil(length / hop) + 1


class FrameCore(Protocol):
    """The model's transform with carried state, for one stream of ``batch`` signals."""

    def reset(self, batch: int) -> None:
        """Start from the model's zero state for ``batch`` signals."""

    def __call__(self, span: np.ndarray) -> np.ndarray:
        """``(batch, (T - 1) * hop + n_fft)`` float32 samples -> the ``T`` enhanced frames,
        windowed and overlap-added, of the same shape (the state advances ``T`` frames)."""


class Engine(Protocol):
    """A model ready for inference: its rates and framing, and a fresh :class:`FrameCore`.

    An engine may also set ``frames_per_call``: its core then takes exactly that many frames
    per call, except the last call of a signal (:class:`malenhance.batch.BatchedEngine`,
    whose calls from many signals are stacked into one batch).
    """

    sample_rate: int
    hop: int
    n_fft: int

    def frame_core(self) -> FrameCore: ...


class FrameStream:
    """Stateful enhancement of ``batch`` parallel signals at the model rate, in numpy.

    ``process((batch, n))`` returns ``(batch, m)`` float32, the output delayed by
    ``n_fft - hop`` samples until ``flush()``, which also resets for a new signal.
    """

    def __init__(self, engine: Engine, batch: int = 1) -> None:
        self.batch = batch
        self.hop = engine.hop
        self.n_fft = engine.n_fft
        self.frames_per_call: int | None = getattr(engine, "frames_per_call", None)
        self.core = engine.frame_core()
        self.reset()

    def reset(self) -> None:
        """Forget all history: the next sample starts a new signal."""
        lead = self.n_fft - self.hop
        self.core.reset(self.batch)
        self._input = np.zeros((self.batch, lead), np.float32)
        self._tail = np.zeros((self.batch, lead), np.float32)
        self._received = 0
        self._emitted = 0
        self._frames_done = 0
        self._to_discard = lead

    def check(self, chunk: np.ndarray) -> np.ndarray:
        if chunk.ndim != 2 or chunk.shape[0] != self.batch:
            raise ValueError(
                f"expected a chunk of shape ({self.batch}, n), got {tuple(chunk.shape)}"
            )
        return chunk.astype(np.float32, copy=False)

    def _run_frames(self, n_frames: int) -> np.ndarray:
        step = self.frames_per_call or n_frames
        if n_frames <= step:
            return self._run_span(n_frames)
        # the model is causal with its state carried: pieces give the same output
        pieces = []
        while n_frames > 0:
            pieces.append(self._run_span(min(step, n_frames)))
            n_frames -= step
        return np.concatenate(pieces, axis=1)

    def _run_span(self, n_frames: int) -> np.ndarray:
        span = (n_frames - 1) * self.hop + self.n_fft
        out = self.core(np.ascontiguousarray(self._input[:, :span]))
        out[:, : self._tail.shape[1]] += self._tail
        done = n_frames * self.hop
        self._tail = out[:, done:]
        self._input = self._input[:, done:]
        self._frames_done += n_frames
        return out[:, :done]

    def _emit(self, ready: np.ndarray, limit: int | None = None) -> np.ndarray:
        skip = min(self._to_discard, ready.shape[1])
        self._to_discard -= skip
        ready = ready[:, skip:]
        if limit is not None:
            ready = ready[:, : max(limit - self._emitted, 0)]
        self._emitted += ready.shape[1]
        return ready

    def process(self, chunk: np.ndarray) -> np.ndarray:
        """Feed samples; return every output sample that no later input can change."""
        chunk = self.check(chunk)
        self._received += chunk.shape[1]
        self._input = np.concatenate([self._input, chunk], axis=1)
        n_frames = (self._input.shape[1] - self.n_fft) // self.hop + 1
        if self.frames_per_call:  # whole calls only; the rest waits for more input or flush
            n_frames -= n_frames % self.frames_per_call
        if n_frames <= 0:
            return np.zeros((self.batch, 0), np.float32)
        return self._emit(self._run_frames(n_frames))

    def flush(self) -> np.ndarray:
        """Finish the signal: return the remaining output, then reset for a new signal."""
        total_frames = num_frames(self._received, self.hop) if self._received else 0
        remaining = total_frames - self._frames_done
        out = np.zeros((self.batch, 0), np.float32)
        if remaining > 0:
            need = (remaining - 1) * self.hop + self.n_fft
            pad = need - self._input.shape[1]
            if pad > 0:
                self._input = np.pad(self._input, ((0, 0), (0, pad)))
            out = self._emit(self._run_frames(remaining), limit=self._received)
        self.reset()
        return out
