"""The bottleneck GRU on the CPU through onnxruntime, for inference.

PyTorch's CPU GRU pays a fixed cost at every time step; at batch 1 that time loop was about
60 % of ``malenhance enhance``'s time. onnxruntime's fused GRU kernel runs the same
recurrence with the same weights about three times faster (README "Speed and memory"), so
inference on the CPU hands the GRU to it. Outputs match PyTorch's to float rounding (about
1e-5). Training, GPUs and gradients keep PyTorch's GRU.

:func:`runner_for` builds (and caches) a runner from an ``nn.GRU``; it returns ``None``
when onnx or onnxruntime is missing or ``MALENHANCE_TORCH_GRU=1`` is set, and callers then
use the module itself.
"""

from __future__ import annotations

import os
import weakref

import numpy as np
import torch
from torch import Tensor, nn

DISABLE_ENV = "MALENHANCE_TORCH_GRU"
_OPSET = 17
_cache: weakref.WeakKeyDictionary[nn.GRU, tuple[tuple, OnnxGRU]] = weakref.WeakKeyDictionary()


def _onnx_gates(w: Tensor) -> np.ndarray:
    """PyTorch stacks the gates as (reset, update, new); ONNX as (update, reset, hidden)."""
    r, z, n = w.detach().float().cpu().chunk(3, 0)
    return torch.cat([z, r, n], 0).numpy()


def _graph(gru: nn.GRU) -> bytes:
    """A serialized ONNX model: one GRU node per layer, time-major, with initial states."""
    from onnx import TensorProto, helper, numpy_helper

    hidden, layers = gru.hidden_size, gru.num_layers
    nodes, weights = [], []

    def const(name: str, value: np.ndarray) -> str:
        weights.append(numpy_helper.from_array(value, name))
        return name

    axis0 = const("axis0", np.array([0], np.int64))
    axis1 = const("axis1", np.array([1], np.int64))
    x = "x"
    for k in range(layers):
        w = const(f"W{k}", _onnx_gates(getattr(gru, f"weight_ih_l{k}"))[None])
        r = const(f"R{k}", _onnx_gates(getattr(gru, f"weight_hh_l{k}"))[None])
        b = const(f"B{k}", np.concatenate([_onnx_gates(getattr(gru, f"bias_ih_l{k}")),
                                           _onnx_gates(getattr(gru, f"bias_hh_l{k}"))])[None])
        start = const(f"start{k}", np.array([k], np.int64))
        end = const(f"end{k}", np.array([k + 1], np.int64))
        nodes.append(helper.make_node("Slice", ["h0", start, end, axis0], [f"h0_{k}"]))
        # linear_before_reset=1 is PyTorch's form of the new gate: r * (W_hn h + b_hn)
        nodes.append(helper.make_node("GRU", [x, w, r, b, "", f"h0_{k}"], [f"y{k}", f"hn{k}"],
                                      hidden_size=hidden, linear_before_reset=1))
        nodes.append(helper.make_node("Squeeze", [f"y{k}", axis1], [f"x{k + 1}"]))
        x = f"x{k + 1}"
    nodes.append(helper.make_node("Identity", [x], ["y"]))
    nodes.append(helper.make_node("Concat", [f"hn{k}" for k in range(layers)], ["hn"], axis=0))
    graph = helper.make_graph(
        nodes, "malnet_gru",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", "batch", hidden]),
         helper.make_tensor_value_info("h0", TensorProto.FLOAT, [layers, "batch", hidden])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["time", "batch", hidden]),
         helper.make_tensor_value_info("hn", TensorProto.FLOAT, [layers, "batch", hidden])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", _OPSET)])
    return model.SerializeToString()


class OnnxGRU:
    """Calls like a batch-first ``nn.GRU`` in inference: ``(z, h0) -> (y, h_n)``.

    Shape:
        ``z`` ``(B, T, H)``, ``h0`` ``(layers, B, H)``; returns ``(B, T, H)`` and
        ``(layers, B, H)``, float32 on the CPU.
    """

    def __init__(self, gru: nn.GRU, threads: int = 1) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Without the arena and memory patterns, buffers are freed after each run: peak
        # memory then stays near the model's own (README "Speed and memory").
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        self.session = ort.InferenceSession(_graph(gru), options,
                                            providers=["CPUExecutionProvider"])

    def __call__(self, z: Tensor, h0: Tensor) -> tuple[Tensor, Tensor]:
        x = np.ascontiguousarray(z.detach().float().numpy().transpose(1, 0, 2))
        y, hn = self.session.run(None, {"x": x, "h0": h0.detach().float().contiguous().numpy()})
        return torch.from_numpy(y.transpose(1, 0, 2).copy()), torch.from_numpy(hn)


def _supported(gru: nn.GRU) -> bool:
    dropout_active = gru.training and gru.dropout > 0
    return (gru.batch_first and gru.bias and not gru.bidirectional and not dropout_active
            and getattr(gru, "proj_size", 0) == 0)


def runner_for(gru: nn.GRU) -> OnnxGRU | None:
    """An onnxruntime runner with ``gru``'s current weights, or ``None`` to use ``gru`` itself.

    ``None`` when the GRU is not on the CPU in float32, has an unsupported form, onnx or
    onnxruntime cannot be imported, or ``MALENHANCE_TORCH_GRU=1``. Runners are cached per
    module and rebuilt when its weights change (in place or replaced) or the thread count does.
    """
    if os.environ.get(DISABLE_ENV, "") not in ("", "0") or not _supported(gru):
        return None
    params = list(gru.parameters())
    if any(p.device.type != "cpu" or p.dtype != torch.float32 for p in params):
        return None
    key = (torch.get_num_threads(), tuple(p.data_ptr() for p in params),
           tuple(p._version for p in params))
    cached = _cache.get(gru)
    if cached is not None and cached[0] == key:
        return cached[1]
    try:
        runner = OnnxGRU(gru, threads=key[0])
    except ImportError:
        return None
    _cache[gru] = (key, runner)
    return runner


def forget(gru: nn.GRU) -> None:
    """Drop ``gru``'s cached runner: the next :func:`runner_for` builds one anew (or not)."""
    _cache.pop(gru, None)


__all__ = ["DISABLE_ENV", "OnnxGRU", "forget", "runner_for"]
