"""Inference on the CPU without torch: onnxruntime over the graph exported from the model.

``malenhance enhance`` on the CPU runs the model as the ONNX *block graph* that
:func:`malenhance.export.export_onnx` generates from the model itself (the model's own
``enhance_ri``, its transform as fixed DFT bases): no second hand-written copy of the
model. Everything around it (resampling, framing, upper band, mixing, file formats) is the
code the PyTorch path runs too (:mod:`malenhance.enhance`, :mod:`malenhance.frames`), so
both give the same output within 1e-4 (tested at every rate and channel count the tests
use) and the same errors.

Where the graph comes from, for a model directory (``config.json`` + ``model.safetensors``):

1. ``model.onnx`` next to the weights (the bundled model ships one), or
2. ``<cache>/graphs/<key>.onnx``, the standard cache (``$MALENHANCE_CACHE``, else
   ``$XDG_CACHE_HOME/malenhance``, else ``~/.cache/malenhance``),

each used only if its metadata carries the model's *key*: a SHA-256 of the config, the
weights and the code that defines the graph (``model.py``, ``export.py``), so a graph can
never run with other weights or after the model code changed. Otherwise the graph is built
once with torch (this run pays its import), verified against the PyTorch model through
onnxruntime (max abs difference <= 1e-4, else it is not used) and renamed into the cache
atomically; if that fails (no onnx, a read-only cache), the run goes on with PyTorch.

``MALENHANCE_ENGINE=torch`` makes the CPU use PyTorch (the reference path) instead.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Callable, Iterable
from itertools import cycle
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from malenhance.ensemble import EnsembleEngine, ensemble_members
from malenhance.errors import ExportError, ModelError
from malenhance.frames import FrameStream

if TYPE_CHECKING:
    from malenhance.frames import Engine

ENGINE_ENV = "MALENHANCE_ENGINE"
CACHE_ENV = "MALENHANCE_CACHE"
GRAPH_NAME = "model.onnx"
KEY_METADATA = "malenhance_model_key"
#: Bump when the block graph's inputs or outputs change meaning.
GRAPH_VERSION = 1
_PACKAGE = Path(__file__).resolve().parent
_GRAPH_SOURCES = ("model.py", "export.py")
MAX_ENSEMBLE_DEPTH = 4


def cache_root() -> Path:
    """Where built graphs are cached: ``$MALENHANCE_CACHE`` or the XDG cache folder."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "malenhance"


def model_key(directory: str | Path) -> str | None:
    """The key of the graph for the model in ``directory``; None if a file is missing."""
    directory = Path(directory)
    digest = hashlib.sha256(f"malenhance block graph {GRAPH_VERSION}\n".encode())
    try:
        for name in ("config.json", "model.safetensors"):
            digest.update((directory / name).read_bytes())
            digest.update(b"\0")
    except OSError:
        return None
    for name in _GRAPH_SOURCES:  # the code the graph is generated from
        try:
            digest.update((_PACKAGE / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


class OnnxCore:
    """:class:`~malenhance.frames.FrameCore` of a block-graph session: state as arrays."""

    def __init__(self, session: Any, states: list[tuple[str, list[int | None]]]) -> None:
        self.session = session
        self.states = states  # (name, shape with None where the batch goes)
        self.outputs = [o.name for o in session.get_outputs()]
        self._state: dict[str, np.ndarray] = {}

    def reset(self, batch: int) -> None:
        self._state = {
            name: np.zeros([batch if d is None else d for d in shape], np.float32)
            for name, shape in self.states
        }

    def __call__(self, span: np.ndarray) -> np.ndarray:
        results = self.session.run(self.outputs, {"samples": span, **self._state})
        self._state = {name.removesuffix("_out"): value
                       for name, value in zip(self.outputs[1:], results[1:], strict=True)}
        return results[0]


class OnnxEngine:
    """An :class:`~malenhance.frames.Engine` on an onnxruntime session of a block graph."""

    name = "onnxruntime"

    def __init__(self, session: Any, path: Path | None = None) -> None:
        meta = session.get_modelmeta().custom_metadata_map
        if meta.get("malenhance_kind") != "block":
            raise ExportError(f"{path or 'graph'}: not a malenhance block graph")
        self.session = session
        self.path = path
        self.key = meta.get(KEY_METADATA)
        self.sample_rate = int(meta["sample_rate"])
        self.hop = int(meta["hop"])
        self.n_fft = int(meta["n_fft"])
        self._states = [
            (i.name, [d if isinstance(d, int) else None for d in i.shape])
            for i in session.get_inputs() if i.name != "samples"
        ]

    @classmethod
    def open(cls, path: str | Path, threads: int | None = None) -> OnnxEngine:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or 0  # 0: onnxruntime's choice (the cores)
        options.inter_op_num_threads = 1
        # Buffers are freed after each run: peak memory stays near the model's own.
        options.enable_cpu_mem_arena = False
        options.enable_mem_pattern = False
        try:
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as err:  # noqa: BLE001  (a truncated or foreign file: not usable)
            raise ExportError(f"{path}: not a usable ONNX graph ({err})") from None
        return cls(session, Path(path))

    def frame_core(self) -> OnnxCore:
        return OnnxCore(self.session, self._states)


def run_blocks(engine: Engine, audio: np.ndarray, sizes: Iterable[int] = (16000,)) -> np.ndarray:
    """``(channels, n)`` model-rate audio through ``engine``, fed in blocks of ``sizes``
    (cycled): the model's whole-signal output, e.g. to verify a graph."""
    stream = FrameStream(engine, audio.shape[0])
    parts, start = [], 0
    for size in cycle(sizes):
        if start >= audio.shape[1]:
            break
        parts.append(stream.process(audio[:, start : start + size]))
        start += size
    parts.append(stream.flush())
    return np.concatenate(parts, axis=1)


def _open_matching(path: Path, key: str, threads: int | None) -> OnnxEngine | None:
    if not path.is_file():
        return None
    try:
        engine = OnnxEngine.open(path, threads)
    except ExportError:
        return None
    return engine if engine.key == key else None


def build_graph(directory: Path, path: Path, key: str) -> float:
    """Build ``directory``'s block graph with torch, verify it, write it to ``path`` atomically.

    Returns the verified max abs difference to PyTorch. Raises :class:`ModelError` for a
    model that does not load (the PyTorch path's errors) and :class:`ExportError` if the
    graph cannot be built, verified or written.
    """
    from malenhance.export import export_onnx
    from malenhance.hub import load_model_dir

    model = load_model_dir(directory)
    diff = export_onnx(model, path, kind="block", metadata={KEY_METADATA: key})
    assert diff is not None
    return diff


def load_engine(spec: str = "default", threads: int | None = None,
                cache_dir: str | Path | None = None) -> OnnxEngine | EnsembleEngine:
    """The onnxruntime engine of model ``spec`` (see :func:`malenhance.hub.resolve_model_dir`);
    for an ensemble folder (:mod:`malenhance.ensemble`), its members' engines side by side.

    Raises:
        ModelError: the spec or the model is bad (as :func:`~malenhance.hub.load_model` says).
        ExportError: no verified graph could be found or built.
    """
    from malenhance.hub import resolve_model_dir

    directory = resolve_model_dir(spec, cache_dir)
    members = ensemble_members(directory)
    if members is not None:
        return _ensemble(members, lambda member: load_engine(member, threads, cache_dir))
    key = model_key(directory)
    if key is None:  # a file is missing: the PyTorch loader names it
        from malenhance.hub import load_model_dir

        load_model_dir(directory)
        raise ModelError(f"{directory}: unreadable model files")
    cached = cache_root() / "graphs" / f"{key}.onnx"
    for candidate in (directory / GRAPH_NAME, cached):
        engine = _open_matching(candidate, key, threads)
        if engine is not None:
            return engine
    build_graph(directory, cached, key)
    engine = _open_matching(cached, key, threads)
    if engine is None:
        raise ExportError(f"{cached}: the graph just built does not open")
    return engine


def load_for_inference(spec: str = "default", device: str = "cpu",
                       threads: int | None = None) -> Any:
    """What ``malenhance enhance`` runs: on the CPU the onnxruntime engine (no torch import
    once the graph exists), else, or with ``MALENHANCE_ENGINE=torch``, the PyTorch model on
    ``device`` with ``threads`` threads. Both go through the same pipeline
    (:class:`malenhance.enhance.EnhancePipeline`).

    Raises:
        ModelError: the spec or the model is bad.
    """
    if device == "cpu" and os.environ.get(ENGINE_ENV, "").lower() not in ("torch", "pytorch"):
        try:
            return load_engine(spec, threads)
        except (ExportError, ImportError) as err:
            print(f"note: running the model in PyTorch ({err})", file=sys.stderr)
    import torch

    if threads:
        torch.set_num_threads(threads)
    return _load_torch(spec, device)


def _load_torch(spec: str, device: str) -> Any:
    """The PyTorch model of ``spec``, or for an ensemble (nested ones too) its members'."""
    from malenhance.hub import load_model, resolve_model_dir

    members = ensemble_members(resolve_model_dir(spec))
    if members is None:
        return load_model(spec, device=device)
    from malenhance.enhance import as_engine

    return _ensemble(members, lambda member: as_engine(_load_torch(member, device)))


_NESTING = threading.local()


def _ensemble(members: list[str], load: Callable[[str], Engine]) -> EnsembleEngine:
    """The members loaded by ``load``, as one engine; an ensemble may hold ensembles, but not
    (through any chain) itself."""
    depth = getattr(_NESTING, "depth", 0)
    if depth >= MAX_ENSEMBLE_DEPTH:
        raise ModelError(f"ensembles nested more than {MAX_ENSEMBLE_DEPTH} deep: does one "
                         f"name itself? (members {', '.join(members)})")
    _NESTING.depth = depth + 1
    try:
        return EnsembleEngine([load(member) for member in members], members)
    finally:
        _NESTING.depth = depth


def ship(directory: str | Path) -> Path:
    """Build and verify ``directory/model.onnx`` (e.g. for the bundled model's folder)."""
    directory = Path(directory)
    key = model_key(directory)
    if key is None:
        raise ModelError(f"{directory}: missing config.json or model.safetensors")
    diff = build_graph(directory, directory / GRAPH_NAME, key)
    print(f"wrote {directory / GRAPH_NAME} (max abs difference to PyTorch {diff:.1e})")
    return directory / GRAPH_NAME


if __name__ == "__main__":  # python -m malenhance.light MODEL_DIR
    ship(sys.argv[1])
