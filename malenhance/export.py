"""ONNX export: a streaming (frame-in/frame-out) graph and a whole-utterance graph.

ONNX has no complex tensors, so both graphs compute the model's STFT and its inverse as
matrix products with fixed DFT bases (window included) and apply the complex filter with
real arithmetic: the model's own :meth:`MalNet.enhance_ri`. The graphs take and return
samples at the model rate, so onnxruntime alone (with numpy) can run them;
``examples/onnx_stream.py`` shows how.

Streaming graph (batch 1, one hop per call; every input but ``samples`` is state that
starts at zeros and is replaced by the output of the same name with ``_out`` appended):

    samples (1, hop) -> enhanced (1, hop)
    input_history (1, n_fft - hop), output_tail (1, n_fft - hop),
    conv_0 ... conv_{2D-1} (1, C, time_kernel - 1, F), gru (layers, 1, hidden),
    and for models with ``df_order > 1`` df_history (1, 2, df_order - 1, F),
    for models with ``level_norm_s > 0`` level_history (1, level_frames - 1)

Call ``k`` returns the output for the samples of call ``k - 1`` (one hop of delay; the
first hop returned is discarded), so a signal of ``L`` samples needs
``ceil(L / hop) + 1`` calls with zero padding; output sample ``i`` is ``enhanced`` sample
``hop + i`` of the concatenated calls.

Utterance graph: ``wav (B, L) -> enhanced (B, L)``, any batch and length.

Block graph (kind ``block``, what ``malenhance enhance`` runs on the CPU without torch,
:mod:`malenhance.light`): ``samples (B, (T + 1) * hop)``, the samples of ``T`` whole frames,
and the model state (the streaming graph's names, any batch) in; ``synthesis`` (same shape),
the enhanced frames windowed and overlap-added, and the new state (``NAME_out``) out: the
:class:`~malenhance.frames.FrameCore` that :class:`~malenhance.frames.FrameStream` drives.
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import Tensor, nn

from malenhance.errors import ExportError
from malenhance.model import MalNet

KINDS = ("streaming", "utterance", "block")
OPSET = 17
TOLERANCE = 1e-4


def _dft_bases(n_fft: int, window: Tensor) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Analysis (window * DFT) and synthesis (inverse real DFT * window) matrices.

    Returns ``fwd_re, fwd_im`` of shape ``(n_fft, bins)`` and ``inv_re, inv_im`` of shape
    ``(bins, n_fft)`` such that ``frame @ fwd`` is ``rfft(frame * window)`` and
    ``re @ inv_re + im @ inv_im`` is ``irfft(re + i im, n_fft) * window``.
    """
    bins = n_fft // 2 + 1
    n = torch.arange(n_fft, dtype=torch.float64)
    k = torch.arange(bins, dtype=torch.float64)
    angle = 2 * math.pi * torch.outer(n, k) / n_fft  # (n_fft, bins)
    win = window.to(torch.float64).unsqueeze(1)
    fwd_re = win * torch.cos(angle)
    fwd_im = -win * torch.sin(angle)
    # irfft: DC and Nyquist count once and their imaginary parts are ignored.
    weight = torch.full((bins,), 2.0 / n_fft, dtype=torch.float64)
    weight[0] = 1.0 / n_fft
    if n_fft % 2 == 0:
        weight[-1] = 1.0 / n_fft
    inv_re = (weight.unsqueeze(1) * torch.cos(angle).T) * win.T
    sin_weight = weight.clone()
    sin_weight[0] = 0.0
    if n_fft % 2 == 0:
        sin_weight[-1] = 0.0
    inv_im = -(sin_weight.unsqueeze(1) * torch.sin(angle).T) * win.T
    return tuple(b.to(torch.float32).contiguous() for b in (fwd_re, fwd_im, inv_re, inv_im))


class _SplitPReLU(nn.Module):
    """``nn.PReLU`` as ``a * x + (1 - a) * relu(x)``, the same function: onnxruntime's
    per-channel PRelu kernel took ~12 % of the block graph's time on one thread, and this
    form makes the whole graph ~9 % faster (Relu, Mul and Add run in the convolutions'
    blocked layout)."""

    def __init__(self, prelu: nn.PReLU) -> None:
        super().__init__()
        slope = prelu.weight.detach().clone()
        self.register_buffer("slope", slope)
        self.register_buffer("keep", 1.0 - slope)

    def forward(self, x: Tensor) -> Tensor:
        # PReLU's slopes run along dim 1 (channels); a single slope broadcasts as it is
        shape = (-1,) + (1,) * (x.dim() - 2) if self.slope.numel() > 1 else (1,)
        return x * self.slope.reshape(shape) + torch.relu(x) * self.keep.reshape(shape)


def _split_prelus(module: nn.Module) -> None:
    """Replace every ``nn.PReLU`` inside ``module`` (in place) with :class:`_SplitPReLU`."""
    for name, child in module.named_children():
        if isinstance(child, nn.PReLU):
            setattr(module, name, _SplitPReLU(child))
        else:
            _split_prelus(child)


class _RealCore(nn.Module):
    """Spectrum in, enhanced spectrum out, real-valued: what both graphs share."""

    def __init__(self, model: MalNet) -> None:
        super().__init__()
        self.model = model
        fwd_re, fwd_im, inv_re, inv_im = _dft_bases(model.n_fft, model.window.cpu())
        self.register_buffer("fwd_re", fwd_re)
        self.register_buffer("fwd_im", fwd_im)
        self.register_buffer("inv_re", inv_re)
        self.register_buffer("inv_im", inv_im)

    def enhance(self, frames: Tensor, state: list[Tensor]) -> tuple[Tensor, list[Tensor]]:
        """Windowed time frames ``(B, T, n_fft)`` -> enhanced, windowed frames, new state."""
        re = frames @ self.fwd_re
        im = frames @ self.fwd_im
        out_re, out_im, state = self.model.enhance_ri(re, im, state)
        return out_re @ self.inv_re + out_im @ self.inv_im, state


class StreamingGraph(nn.Module):
    """One hop of samples in, one hop of enhanced samples out, all state explicit."""

    def __init__(self, model: MalNet) -> None:
        super().__init__()
        self.core = _RealCore(model)
        self.hop = model.hop

    def forward(self, samples: Tensor, input_history: Tensor, output_tail: Tensor, *state):
        frame = torch.cat([input_history, samples], dim=1)  # (1, n_fft)
        out, new_state = self.core.enhance(frame.unsqueeze(1), list(state))
        out = out.squeeze(1)
        hop = self.hop
        # n_fft == 2 * hop: the tail is exactly one hop
        enhanced = out[:, :hop] + output_tail
        return (enhanced, frame[:, hop:], out[:, hop:], *new_state)


class UtteranceGraph(nn.Module):
    """Whole waveform in, whole enhanced waveform out; equals ``model(wav)``."""

    def __init__(self, model: MalNet) -> None:
        super().__init__()
        self.core = _RealCore(model)
        self.model = model
        eye = torch.eye(model.n_fft).unsqueeze(1)  # (n_fft, 1, n_fft): framing by conv1d
        self.register_buffer("framer", eye)

    def forward(self, wav: Tensor) -> Tensor:
        model = self.model
        hop, n_fft = model.hop, model.n_fft
        b = wav.shape[0]
        # A fixed right pad of n_fft gives at least num_frames(L) frames; the causal model
        # makes the extra frames irrelevant to the samples kept.
        padded = torch.nn.functional.pad(wav, (n_fft - hop, n_fft)).unsqueeze(1)
        frames = torch.nn.functional.conv1d(padded, self.framer, stride=hop).transpose(1, 2)
        state = model.initial_state(b, wav.device)
        out, _ = self.core.enhance(frames, state)
        signal = torch.nn.functional.conv_transpose1d(
            out.transpose(1, 2), self.framer, stride=hop
        ).squeeze(1)
        start = n_fft - hop
        return signal[:, start : start + wav.shape[1]]


class BlockGraph(nn.Module):
    """The samples of ``T`` frames in (``n_fft == 2 * hop``), their enhanced frames
    overlap-added out, all state explicit: :class:`~malenhance.frames.FrameCore` as a graph."""

    def __init__(self, model: MalNet) -> None:
        super().__init__()
        self.core = _RealCore(model)
        self.hop = model.hop

    def forward(self, samples: Tensor, *state: Tensor):
        hop = self.hop
        b = samples.shape[0]
        # frame t is hops t and t + 1: halves of a (B, T + 1, hop) view, without a copy
        first = samples[:, :-hop].reshape(b, -1, hop)
        second = samples[:, hop:].reshape(b, -1, hop)
        out, new_state = self.core.enhance(torch.cat([first, second], dim=2), list(state))
        pad = torch.nn.functional.pad
        # overlap-add: the first half of frame t and the second half of frame t - 1
        added = pad(out[..., :hop], (0, 0, 0, 1)) + pad(out[..., hop:], (0, 0, 1, 0))
        return (added.reshape(b, -1), *new_state)


def state_names(model: MalNet) -> list[str]:
    """Names of the model-state inputs of the streaming graph, in order."""
    n_conv = len(model.encoder) + len(model.decoder)
    names = [f"conv_{i}" for i in range(n_conv)] + ["gru"]
    if model.df_order > 1:
        names.append("df_history")
    return names + ["level_history"] if model.level_frames else names


def _atomic_onnx(path: Path, write) -> None:
    """Write through ``write(tmp_path)`` to a temporary sibling, then rename into place."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=parent)
    except OSError as err:
        raise ExportError(f"{parent}: output folder is not writable ({err.strerror})") from None
    os.close(fd)
    try:
        write(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as err:
        raise ExportError(f"cannot write ({err.strerror or err})") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _metadata(model: MalNet, kind: str) -> dict[str, str]:
    return {
        "malenhance_kind": kind,
        "sample_rate": str(model.sample_rate),
        "hop": str(model.hop),
        "n_fft": str(model.n_fft),
        "latency_samples": str(model.latency_samples),
    }


def export_onnx(
    model: MalNet, path: str | Path, kind: str = "streaming", verify: bool = True,
    metadata: dict[str, str] | None = None,
) -> float | None:
    """Export ``model`` as an ONNX graph of ``kind`` (``streaming``, ``utterance`` or
    ``block``), with ``metadata`` added to the file's own.

    The file carries the model rate, hop, window length and latency as metadata. It is
    written to a temporary sibling and, with ``verify``, compared with the PyTorch model
    through onnxruntime (:func:`verify_onnx`) before it is renamed into place, so a graph
    that fails the check never appears at ``path``.

    Returns:
        The max abs difference to PyTorch (``None`` without ``verify``).

    Raises:
        ExportError: onnx is missing, or the export, the write or the check fails.
    """
    if kind not in KINDS:
        raise ExportError(f"unknown export kind {kind!r}; expected one of {', '.join(KINDS)}")
    try:
        import onnx
    except ImportError:
        raise ExportError(
            "ONNX export needs the onnx package (a malenhance dependency): pip install onnx"
        ) from None
    original = model  # verified against as it is, so the rewrite below is checked too
    model = copy.deepcopy(model).to("cpu").eval()  # .to() is in place: leave the caller's alone
    _split_prelus(model)
    if kind == "streaming":
        graph: nn.Module = StreamingGraph(model).eval()
        lead = model.n_fft - model.hop
        states = model.initial_state(1)
        args = (torch.zeros(1, model.hop), torch.zeros(1, lead), torch.zeros(1, lead), *states)
        names = ["input_history", "output_tail", *state_names(model)]
        inputs = ["samples", *names]
        outputs = ["enhanced", *(f"{n}_out" for n in names)]
        dynamic = None
    elif kind == "block":
        graph = BlockGraph(model).eval()
        names = state_names(model)
        states = model.initial_state(2)
        args = (torch.zeros(2, 8 * model.hop), *states)
        inputs, outputs = ["samples", *names], ["synthesis", *(f"{n}_out" for n in names)]
        dynamic = {"samples": {0: "batch", 1: "samples"}, "synthesis": {0: "batch", 1: "samples"}}
        for name in names:
            axis = 1 if name == "gru" else 0  # the GRU state is (layers, batch, hidden)
            dynamic[name] = dynamic[f"{name}_out"] = {axis: "batch"}
    else:
        graph = UtteranceGraph(model).eval()
        args = (torch.zeros(1, 3 * model.n_fft),)
        inputs, outputs = ["wav"], ["enhanced"]
        dynamic = {"wav": {0: "batch", 1: "samples"}, "enhanced": {0: "batch", 1: "samples"}}

    def write(tmp: str) -> None:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer and deprecation chatter; verified below
            torch.onnx.export(
                graph, args, tmp, input_names=inputs, output_names=outputs,
                dynamic_axes=dynamic, opset_version=OPSET, dynamo=False,
            )
        proto = onnx.load(tmp)
        for key, value in {**_metadata(model, kind), **(metadata or {})}.items():
            entry = proto.metadata_props.add()
            entry.key, entry.value = key, value
        onnx.checker.check_model(proto)
        onnx.save(proto, tmp)
        if verify:
            diffs.append(verify_onnx(tmp, original, kind))

    diffs: list[float] = []
    try:
        _atomic_onnx(Path(path), write)
    except ExportError:
        raise
    except Exception as err:  # noqa: BLE001  (exporter failures are many and varied)
        raise ExportError(f"ONNX export failed: {type(err).__name__}: {err}") from None
    return diffs[0] if diffs else None


def onnx_session(path: str | Path, threads: int = 1):
    """An onnxruntime CPU session on ``path`` with ``threads`` intra-op threads."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run_streaming_onnx(session, wav: np.ndarray, hop: int) -> np.ndarray:
    """Enhance mono ``wav`` (model rate) hop by hop through a streaming-graph session."""
    state = {
        i.name: np.zeros(i.shape, np.float32) for i in session.get_inputs() if i.name != "samples"
    }
    out_names = [o.name for o in session.get_outputs()]
    calls = math.ceil(len(wav) / hop) + 1
    padded = np.zeros(calls * hop, np.float32)
    padded[: len(wav)] = wav
    pieces = []
    for k in range(calls):
        chunk = padded[None, k * hop : (k + 1) * hop]
        results = session.run(out_names, {"samples": chunk, **state})
        pieces.append(results[0][0])
        state = {
            name.removesuffix("_out"): value
            for name, value in zip(out_names[1:], results[1:], strict=True)
        }
    return np.concatenate(pieces)[hop : hop + len(wav)]


def verify_onnx(path: str | Path, model: MalNet, kind: str, seconds: float = 2.0) -> float:
    """Max abs difference between the ONNX graph and ``model`` on a test signal.

    Raises :class:`ExportError` if it exceeds :data:`TOLERANCE`.
    """
    generator = torch.Generator().manual_seed(0)
    n = int(seconds * model.sample_rate)
    t = torch.arange(n) / model.sample_rate
    # a voiced-like tone with noise: exercises the mask away from its limits
    wav = 0.1 * torch.sin(2 * math.pi * 150 * t) + 0.03 * torch.randn(n, generator=generator)
    device = next(model.parameters()).device
    with torch.inference_mode():
        reference = model(wav.unsqueeze(0).to(device))[0].cpu().numpy()
    session = onnx_session(path)
    if kind == "block":
        from malenhance.light import OnnxEngine, run_blocks

        # Two channels, fed in uneven blocks: the carried state and the batch axis both count.
        other = 0.05 * torch.randn(n, generator=generator)
        with torch.inference_mode():
            reference = np.stack([reference, model(other[None].to(device))[0].cpu().numpy()])
        out = run_blocks(OnnxEngine(session), np.stack([wav.numpy(), other.numpy()]),
                         sizes=(1, 159, 4000, 321, 9000))
    elif kind == "streaming":
        out = run_streaming_onnx(session, wav.numpy(), model.hop)
    else:
        out = session.run(["enhanced"], {"wav": wav.numpy()[None]})[0][0]
    diff = float(np.abs(out - reference).max())
    if not diff <= TOLERANCE:
        raise ExportError(f"ONNX output differs from PyTorch by {diff:.2e} (> {TOLERANCE:g})")
    return diff
