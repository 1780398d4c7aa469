"""Round 48, addendum 1: the speech-gated limit with a causal gate (what a stream can do).

    python experiments/2026-12-06-round48-cpu/causal.py eval/devreal18 data/default/devreal
    RUNS=runs/r48 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh cgate18
    python experiments/2026-12-06-round48-cpu/curve.py eval/devreal18
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from malenhance.enhance import enhance_tensor
from malenhance.hub import load_model

LIMITS = {"cgate18": 18.0}
FRAME, HOP = 320, 160  # 20 ms frames, 10 ms hop at 16 kHz
RANGE_DB, FLOOR_DB = 30.0, -70.0
RELEASE_DB = 0.03  # per hop: the loud level falls 3 dB/s
AFTER, SMOOTH = 10, 5  # hops: 100 ms hang-over, 50 ms average


def causal_gate(y: np.ndarray) -> np.ndarray:
    """Per sample, the speech gate from ``y`` up to that sample only."""
    n = len(y) // HOP + 1
    gates = np.zeros(n)
    peak, since, recent = -np.inf, AFTER + 1, [0.0] * SMOOTH
    for i in range(n):
        end = min((i + 1) * HOP, len(y))
        frame = y[max(0, end - FRAME):end]
        level = 10 * np.log10(np.mean(frame ** 2) + 1e-12) if len(frame) else -120.0
        peak = max(level, peak - RELEASE_DB)
        since = 0 if (level > peak - RANGE_DB and level > FLOOR_DB) else since + 1
        recent = recent[1:] + [1.0 if since <= AFTER else 0.0]
        gates[i] = sum(recent) / SMOOTH
    # hop i's value holds for the samples it has seen, ramped from the previous hop's
    starts = np.arange(n) * HOP
    return np.interp(np.arange(len(y)), starts + HOP - 1, gates)


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    torch.set_num_threads(1)
    model = load_model("default").eval()
    for part in ("noisy", "clean"):
        for name, limit in LIMITS.items():
            out = folder / part / name
            if out.exists():
                continue
            tmp = out.with_name(name + ".partial")
            tmp.mkdir(parents=True, exist_ok=True)
            for path in sorted((dev / part).glob("*.wav")):
                x, rate = sf.read(path, dtype="float32")
                with torch.inference_mode():
                    y = enhance_tensor(model, torch.from_numpy(x), rate).numpy()
                dry = causal_gate(y) * 10 ** (-limit / 20)
                mixed = np.clip((1 - dry) * y + dry * x, -1.0, 1.0)
                sf.write(tmp / path.name, mixed, rate, subtype="PCM_16")
            tmp.rename(out)
            print(f"{name} {part}: written", flush=True)


if __name__ == "__main__":
    main()
