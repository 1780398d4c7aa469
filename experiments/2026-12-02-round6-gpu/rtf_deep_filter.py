"""RTF on 1 thread of the default and of the deep-filter run, alternating (best of 3, 60 s).

    OMP_NUM_THREADS=1 python experiments/2026-12-02-round6-gpu/rtf_deep_filter.py
"""

import time

import numpy as np
import torch

from malenhance.enhance import enhance_tensor
from malenhance.hub import load_model

torch.set_num_threads(1)
signal = np.random.default_rng(0).standard_normal(16000 * 60).astype(np.float32) * 0.05
x = torch.from_numpy(signal)
models = {"default": load_model("default"), "df3": load_model("runs/r6/df3-frozen-all-w3")}
for model in models.values():
    enhance_tensor(model, x[:16000], 16000)  # warm-up (builds the fast GRU)
best = dict.fromkeys(models, float("inf"))
for _ in range(3):  # alternate, so drift in machine speed hits both
    for name, model in models.items():
        start = time.perf_counter()
        enhance_tensor(model, x, 16000)
        best[name] = min(best[name], time.perf_counter() - start)
print({name: round(seconds / 60, 4) for name, seconds in best.items()})
