"""Which wider MalNets fit issue 22's speed budget (RTF on 1 thread <= half of NSNet2's)?

    python experiments/2026-12-05-round14-gpu/width_speed.py > width_speed.json

Random weights (speed does not depend on them) for each configuration, the CPU engine
users get (onnxruntime, malenhance.light; its graph built and verified on first use), a 60 s
signal, CPU time, best of 3; NSNet2 timed in the same process, alternated with ours.
"""

from __future__ import annotations

import json
import os
import tempfile
import time

import torch

from benchmarks.bench_enhance import _signal
from benchmarks.peers import limit_threads, time_peers
from malenhance.enhance import enhance_signal
from malenhance.hub import save_model_dir
from malenhance.light import load_engine
from malenhance.model import MalNet

CONFIGS = {
    "current (16/24/32/32, GRU 256)": {},
    "GRU 320": {"rnn_hidden": 320},
    "GRU 384": {"rnn_hidden": 384},
    "conv 24/32/48/48, GRU 256": {"channels": (24, 32, 48, 48)},
    "conv 24/32/48/48, GRU 320": {"channels": (24, 32, 48, 48), "rnn_hidden": 320},
    "conv 32/48/64/64, GRU 384": {"channels": (32, 48, 64, 64), "rnn_hidden": 384},
}


def rtf(engine, x, repeats: int = 3) -> float:
    enhance_signal(engine, x[:16000], 16000)
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        enhance_signal(engine, x, 16000)
        best = min(best, time.process_time() - start)
    return best / (len(x) / 16000)


def main() -> None:
    torch.manual_seed(0)
    x = _signal(60.0)
    out: dict = {"load_average_at_start": os.getloadavg(), "configs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        engines = {}
        for name, overrides in CONFIGS.items():
            model = MalNet(**overrides).eval()
            folder = save_model_dir(model, f"{tmp}/{len(engines)}", card="# speed probe\n")
            engines[name] = (load_engine(str(folder), threads=1),
                             sum(p.numel() for p in model.parameters()))
        nsnet2 = []
        with limit_threads(1):
            for _ in range(2):  # alternated, so load changes hit every row alike
                nsnet2.append(time_peers(x, 16000, names=["nsnet2"], clock="cpu")["nsnet2"])
                for name, (engine, params) in engines.items():
                    row = out["configs"].setdefault(name, {"params": params, "rtf": []})
                    row["rtf"].append(round(rtf(engine, x), 5))
    out["nsnet2_rtf"] = nsnet2
    budget = min(nsnet2) / 2
    out["budget_rtf"] = round(budget, 5)
    for row in out["configs"].values():
        row["fits"] = min(row["rtf"]) <= budget
    out["load_average_at_end"] = os.getloadavg()
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
