"""Per-hop compute time of real-time streaming on 1 CPU thread (results go in README.md).

    python benchmarks/bench_stream.py                  # default model, 60 s of signal
    python benchmarks/bench_stream.py --seconds 30 --model MODEL

Times every call that turns one 10 ms hop of input into one hop of output: the PyTorch
:class:`malenhance.Streamer` and the exported streaming ONNX graph under onnxruntime,
both limited to one thread. The Streamer is also fed 2, 4 and 10 hops per call (time
per hop = call time / hops): fewer, larger calls amortise per-call overhead at the cost
of that much more buffering latency. Reports mean, p50, p99 and max in ms per hop and
the real-time factor (mean time per hop / hop duration).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_enhance import _signal  # noqa: E402


def _stats(times: list[float], hop_seconds: float) -> dict:
    ms = np.asarray(times) * 1000
    return {
        "hops": len(ms),
        "mean_ms": round(float(ms.mean()), 4),
        "p50_ms": round(float(np.percentile(ms, 50)), 4),
        "p99_ms": round(float(np.percentile(ms, 99)), 4),
        "max_ms": round(float(ms.max()), 4),
        "rtf": round(float(ms.mean() / 1000 / hop_seconds), 5),
    }


def time_streamer(model, wav: np.ndarray, hops: int = 1, warmup: int = 50) -> list[float]:
    """Seconds per hop of ``Streamer.process`` fed ``hops`` hops per call."""
    from malenhance.streaming import Streamer

    streamer = Streamer(model)
    size = model.hop * hops
    x = torch.from_numpy(wav)
    times = []
    with torch.inference_mode():
        for k in range(len(wav) // size):
            chunk = x[k * size : (k + 1) * size]
            start = time.perf_counter()
            streamer.process(chunk)
            times.append((time.perf_counter() - start) / hops)
    return times[max(warmup // hops, 1) :]


def time_onnx(path: Path, wav: np.ndarray, hop: int, warmup: int = 50) -> list[float]:
    from malenhance.export import onnx_session

    session = onnx_session(path, threads=1)
    state = {
        i.name: np.zeros(i.shape, np.float32) for i in session.get_inputs() if i.name != "samples"
    }
    outputs = [o.name for o in session.get_outputs()]
    times = []
    for k in range(len(wav) // hop):
        feed = {"samples": wav[None, k * hop : (k + 1) * hop], **state}
        start = time.perf_counter()
        results = session.run(outputs, feed)
        times.append(time.perf_counter() - start)
        state = {n.removesuffix("_out"): v for n, v in zip(outputs[1:], results[1:], strict=True)}
    return times[warmup:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--hops-per-call", type=int, nargs="*", default=[1, 2, 4, 10],
                        help="Streamer chunk sizes in hops (times are per hop)")
    args = parser.parse_args()

    from malenhance.export import export_onnx
    from malenhance.hub import load_model

    torch.set_num_threads(1)
    model = load_model(args.model)
    wav = _signal(args.seconds)
    hop_seconds = model.hop / model.sample_rate
    results: dict = {
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "model": args.model,
        "hop_ms": hop_seconds * 1000,
        "algorithmic_latency_ms": model.latency_samples / model.sample_rate * 1000,
    }
    for hops in args.hops_per_call:
        # more hops per call amortise per-call overhead but add (hops - 1) hops of latency
        times = time_streamer(model, wav, hops)
        results[f"streamer_1_thread_{hops}_hops_per_call"] = _stats(times, hop_seconds)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stream.onnx"
        export_onnx(model, path, "streaming")
        import onnxruntime

        results["onnxruntime"] = onnxruntime.__version__
        results["onnx_streaming_1_thread"] = _stats(time_onnx(path, wav, model.hop), hop_seconds)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
