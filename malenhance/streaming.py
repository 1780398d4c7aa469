"""Frame-by-frame enhancement with carried state.

:class:`Streamer` accepts chunks of any size and returns the samples that are final;
``flush()`` returns the rest. Concatenated, the output equals ``model(wav)`` on the
whole signal (up to float rounding), because the model is causal and every piece of
history it needs (conv frames, GRU state, overlap-add tail) is carried between calls.
"""

from __future__ import annotations

import torch
from torch import Tensor

from malenhance.fast_gru import runner_for
from malenhance.model import MalNet


class Streamer:
    """Stateful enhancer for a stream of ``batch`` parallel signals at the model rate.

    Args:
        model: the enhancement model (used in inference mode).
        batch: number of parallel signals (e.g. channels of one file).

    Shape:
        ``process``: ``(batch, n)`` or ``(n,)`` for ``batch == 1``, any ``n >= 0``;
        returns ``(batch, m)`` (or ``(m,)``) with the output delayed by
        ``model.latency_samples - model.hop`` samples until ``flush()``.
    """

    def __init__(self, model: MalNet, batch: int = 1) -> None:
        self.model = model
        self.batch = batch
        device = next(model.parameters()).device
        self.device = device
        self.hop = model.hop
        self.n_fft = model.n_fft
        self.reset()
        # On the CPU the GRU runs in onnxruntime (fast_gru); elsewhere, or without it, in torch.
        self._rnn = runner_for(model.rnn)

    def reset(self) -> None:
        """Forget all history: the next sample starts a new signal."""
        lead = self.n_fft - self.hop
        self._state = self.model.initial_state(self.batch, self.device)
        self._input = torch.zeros(self.batch, lead, device=self.device)
        self._tail = torch.zeros(self.batch, lead, device=self.device)
        self._received = 0
        self._emitted = 0
        self._frames_done = 0
        self._to_discard = lead
        self._squeeze = False

    def _as_batch(self, chunk: Tensor) -> tuple[Tensor, bool]:
        squeeze = chunk.dim() == 1
        chunk = chunk.unsqueeze(0) if squeeze else chunk
        if chunk.dim() != 2 or chunk.shape[0] != self.batch:
            raise ValueError(
                f"expected a chunk of shape ({self.batch}, n), got {tuple(chunk.shape)}"
            )
        return chunk.to(self.device, torch.float32), squeeze

    @torch.inference_mode()
    def _run_frames(self, n_frames: int) -> Tensor:
        # The model's own transform: its analysis, and its overlap-add with the tail carried.
        span = (n_frames - 1) * self.hop + self.n_fft
        spec, self._state = self.model.forward_frames(
            self.model.analyze(self._input[:, :span]), self._state, self._rnn
        )
        out = self.model.synthesize(spec)
        out[:, : self._tail.shape[1]] += self._tail
        done = n_frames * self.hop
        self._tail = out[:, done:]
        self._input = self._input[:, done:]
        self._frames_done += n_frames
        return out[:, :done]

    def _emit(self, ready: Tensor, limit: int | None = None) -> Tensor:
        skip = min(self._to_discard, ready.shape[1])
        self._to_discard -= skip
        ready = ready[:, skip:]
        if limit is not None:
            ready = ready[:, : max(limit - self._emitted, 0)]
        self._emitted += ready.shape[1]
        return ready

    def process(self, chunk: Tensor) -> Tensor:
        """Feed samples; return every output sample that no later input can change."""
        chunk, squeeze = self._as_batch(chunk)
        self._squeeze = squeeze
        self._received += chunk.shape[1]
        self._input = torch.cat([self._input, chunk], dim=1)
        n_frames = (self._input.shape[1] - self.n_fft) // self.hop + 1
        if n_frames <= 0:
            out = self._input.new_zeros(self.batch, 0)
        else:
            out = self._emit(self._run_frames(n_frames))
        return out[0] if squeeze else out

    def flush(self) -> Tensor:
        """Finish the signal: return the remaining output, then reset for a new signal."""
        total_frames = self.model.num_frames(self._received) if self._received else 0
        remaining = total_frames - self._frames_done
        outputs = []
        if remaining > 0:
            need = (remaining - 1) * self.hop + self.n_fft
            pad = need - self._input.shape[1]
            if pad > 0:
                self._input = torch.nn.functional.pad(self._input, (0, pad))
            outputs.append(self._emit(self._run_frames(remaining), limit=self._received))
        out = torch.cat(outputs, dim=1) if outputs else self._input.new_zeros(self.batch, 0)
        squeeze = self._squeeze
        self.reset()
        return out[0] if squeeze else out
