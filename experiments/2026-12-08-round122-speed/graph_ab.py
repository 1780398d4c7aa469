"""Two block graphs of the same model, alternated on one thread: max output difference, RTF.

    git show 00bc97b:malenhance/weights/default/model.onnx > /tmp/before.onnx
    taskset -c 0 python experiments/2026-12-08-round122-speed/graph_ab.py \
        /tmp/before.onnx malenhance/weights/default/model.onnx
"""

from __future__ import annotations

import sys
import time

import numpy as np
import onnxruntime as ort

SECONDS = 60
RATE = 16000


def session(path: str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def run(graph: ort.InferenceSession, x: np.ndarray) -> np.ndarray:
    """1 s blocks with the state carried, as `malenhance enhance` feeds the graph."""
    states = graph.get_inputs()[1:]
    feeds = {i.name: np.zeros([1 if d == "batch" else d for d in i.shape], np.float32)
             for i in states}
    hop = 160
    out = []
    for k in range(SECONDS):
        result = graph.run(None, {**feeds, "samples": x[:, k * RATE:(k + 1) * RATE + hop]})
        out.append(result[0])
        feeds = {i.name: value for i, value in zip(states, result[1:], strict=True)}
    return np.concatenate(out, axis=1)


def main() -> None:
    x = (np.random.default_rng(0).standard_normal((1, RATE * (SECONDS + 1))) * 0.05)
    x = x.astype(np.float32)
    graphs = {path: session(path) for path in sys.argv[1:3]}
    a, b = (run(g, x) for g in graphs.values())
    print(f"max abs difference {np.abs(a - b).max():.1e}")
    times: dict[str, list[float]] = {path: [] for path in graphs}
    for _ in range(5):
        for path, graph in graphs.items():
            start = time.perf_counter()
            run(graph, x)
            times[path].append((time.perf_counter() - start) / SECONDS)
    for path, rtf in times.items():
        print(f"{path}: RTF best {min(rtf):.5f}, median {np.median(rtf):.5f}")


if __name__ == "__main__":
    main()
