"""Frame-by-frame enhancement with carried state, in PyTorch.

:class:`Streamer` accepts chunks of any size and returns the samples that are final;
``flush()`` returns the rest. Concatenated, the output equals ``model(wav)`` on the
whole signal (up to float rounding), because the model is causal and every piece of
history it needs (conv frames, GRU state, overlap-add tail) is carried between calls.

The bookkeeping is :class:`malenhance.frames.FrameStream`, the same for the onnxruntime
engine (:mod:`malenhance.light`); here :class:`TorchEngine` runs the model's own transform.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor

from malenhance.fast_gru import runner_for
from malenhance.frames import FrameStream
from malenhance.model import MalNet


class TorchCore:
    """:class:`~malenhance.frames.FrameCore` of a :class:`MalNet`: its analysis, network and
    synthesis, on the model's device; on the CPU the GRU runs in onnxruntime (fast_gru)."""

    def __init__(self, model: MalNet) -> None:
        self.model = model
        self.device = next(model.parameters()).device
        self._rnn = runner_for(model.rnn)  # None: the module itself
        self._state: list[Tensor] = []

    def reset(self, batch: int) -> None:
        self._state = self.model.initial_state(batch, self.device)

    @torch.inference_mode()
    def __call__(self, span: np.ndarray) -> np.ndarray:
        model = self.model
        samples = torch.from_numpy(span).to(self.device, torch.float32)
        spec, self._state = model.forward_frames(model.analyze(samples), self._state, self._rnn)
        return model.synthesize(spec).cpu().numpy()


class TorchEngine:
    """A :class:`MalNet` as an :class:`~malenhance.frames.Engine`: PyTorch runs it."""

    name = "torch"

    def __init__(self, model: MalNet) -> None:
        self.model = model
        self.sample_rate = model.sample_rate
        self.hop = model.hop
        self.n_fft = model.n_fft

    def frame_core(self) -> TorchCore:
        return TorchCore(self.model)


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
        self.device = next(model.parameters()).device
        self.hop = model.hop
        self.n_fft = model.n_fft
        self._stream = FrameStream(TorchEngine(model), batch)
        self._squeeze = False

    @property
    def _rnn(self):
        """The GRU runner in use: onnxruntime's (fast_gru), or None for the module itself."""
        return self._stream.core._rnn

    def reset(self) -> None:
        """Forget all history: the next sample starts a new signal."""
        self._stream.reset()
        self._squeeze = False

    def _out(self, out: np.ndarray, squeeze: bool) -> Tensor:
        tensor = torch.from_numpy(out).to(self.device)
        return tensor[0] if squeeze else tensor

    def process(self, chunk: Tensor) -> Tensor:
        """Feed samples; return every output sample that no later input can change."""
        squeeze = chunk.dim() == 1
        chunk = chunk.unsqueeze(0) if squeeze else chunk
        self._squeeze = squeeze
        samples = chunk.detach().to("cpu", torch.float32).numpy()
        return self._out(self._stream.process(samples), squeeze)

    def flush(self) -> Tensor:
        """Finish the signal: return the remaining output, then reset for a new signal."""
        squeeze = self._squeeze
        out = self._stream.flush()
        self._squeeze = False
        return self._out(out, squeeze)
