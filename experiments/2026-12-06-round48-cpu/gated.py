"""Round 48's outputs (RULE.md): the default with ``--atten-lim``'s mix applied in speech
frames only.

    python experiments/2026-12-06-round48-cpu/gated.py eval/devreal18 data/default/devreal
    RUNS=runs/r48 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        gate18 gate12 gate6
    python experiments/2026-12-06-round48-cpu/curve.py eval/devreal18

Writes EVAL/{noisy,clean}/gate18, gate12, gate6 (score.sh then skips enhancing them).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from malenhance.enhance import enhance_tensor
from malenhance.hub import load_model

LIMITS = {"gate18": 18.0, "gate12": 12.0, "gate6": 6.0}
FRAME, HOP = 320, 160  # 20 ms frames, 10 ms hop at 16 kHz
RANGE_DB, AFTER, BEFORE, SMOOTH = 30.0, 10, 2, 5  # hops: 100 ms, 20 ms, 50 ms


def speech_gate(y: np.ndarray) -> np.ndarray:
    """Per sample, 1 where ``y`` holds speech (within RANGE_DB of its loud frames), else 0,
    extended AFTER hops after and BEFORE before each speech frame and smoothed."""
    n = 1 + max(0, len(y) - FRAME) // HOP
    power = np.array([np.mean(y[i * HOP:i * HOP + FRAME] ** 2) for i in range(n)])
    level = 10 * np.log10(power + 1e-12)
    active = level > np.percentile(level, 95) - RANGE_DB
    held = active.copy()
    for shift in range(1, AFTER + 1):
        held[shift:] |= active[:-shift]
    for shift in range(1, BEFORE + 1):
        held[:-shift] |= active[shift:]
    smooth = np.convolve(held.astype(float), np.ones(SMOOTH) / SMOOTH, mode="same")
    centres = np.arange(n) * HOP + FRAME // 2
    return np.interp(np.arange(len(y)), centres, smooth)


def gated_mix(x: np.ndarray, y: np.ndarray, limit_db: float,
              gate: Callable[[np.ndarray], np.ndarray] = speech_gate) -> np.ndarray:
    """``--atten-lim``'s mix, y s + x (1 - s), with the dry share only where ``gate(y)`` says
    speech is."""
    dry = gate(y) * 10 ** (-limit_db / 20)
    return (1 - dry) * y + dry * x


def write_mixes(folder: Path, dev: Path, limits: dict[str, float],
                gate: Callable[[np.ndarray], np.ndarray] = speech_gate) -> None:
    """The default's output on devreal's noisy clips and clean references, mixed at each
    limit, as 16-bit PCM in FOLDER/{noisy,clean}/NAME (folders already there are kept)."""
    torch.set_num_threads(1)
    model = load_model("default").eval()
    for part in ("noisy", "clean"):
        todo = {n: folder / part / n for n in limits if not (folder / part / n).exists()}
        if not todo:
            continue
        tmp = {n: out.with_name(n + ".partial") for n, out in todo.items()}
        for path in tmp.values():
            path.mkdir(parents=True, exist_ok=True)
        for path in sorted((dev / part).glob("*.wav")):
            x, rate = sf.read(path, dtype="float32")
            with torch.inference_mode():
                y = enhance_tensor(model, torch.from_numpy(x), rate).numpy()
            for name in todo:
                out = np.clip(gated_mix(x, y, limits[name], gate), -1.0, 1.0)
                sf.write(tmp[name] / path.name, out, rate, subtype="PCM_16")
        for name, out in todo.items():
            tmp[name].rename(out)
            print(f"{name} {part}: written", flush=True)


def main() -> None:
    write_mixes(Path(sys.argv[1]), Path(sys.argv[2]), LIMITS)


if __name__ == "__main__":
    main()
