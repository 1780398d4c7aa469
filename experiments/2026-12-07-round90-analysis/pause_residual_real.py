"""Round 90: what stays in the pauses of real noisy clips. For each clip of a set, the 10 ms
frames where the clean reference is more than 40 dB below its loudest frame are pauses; per
system: the noise reduction there (input level minus output level, dB, median over a clip's
pause frames, then mean over clips) and the share of pause frames the system leaves within
10 dB of the input (bursts let through).

    python experiments/2026-12-07-round90-analysis/pause_residual_real.py \
        eval/devreal54 data/default/devreal default s87-blend02
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

FRAME = 160
PAUSE_BELOW_PEAK_DB = 40.0
LEAK_WITHIN_DB = 10.0


def frame_db(x: np.ndarray) -> np.ndarray:
    x = x[: len(x) // FRAME * FRAME].astype(np.float64)
    return 10 * np.log10(np.mean(x.reshape(-1, FRAME) ** 2, 1) + 1e-12)


def main() -> None:
    folder, dev, systems = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    reduction = {s: [] for s in systems}
    leak = {s: [0, 0] for s in systems}
    for ref in sorted((dev / "clean").glob("*.wav")):
        clean = frame_db(sf.read(ref, dtype="float32")[0])
        noisy = frame_db(sf.read(dev / "noisy" / ref.name, dtype="float32")[0])
        pause = clean < clean.max() - PAUSE_BELOW_PEAK_DB
        if pause.sum() < 20:
            continue
        for s in systems:
            out = frame_db(sf.read(folder / "noisy" / s / ref.name, dtype="float32")[0])
            n = min(len(out), len(noisy), len(pause))
            gap = (noisy[:n] - out[:n])[pause[:n]]
            reduction[s].append(float(np.median(gap)))
            leak[s][0] += int((gap < LEAK_WITHIN_DB).sum())
            leak[s][1] += len(gap)
    print(f"| system | clips | pause noise reduction (dB, mean of clip medians) "
          f"| minus `{systems[0]}`, paired | pause frames left within {LEAK_WITHIN_DB:.0f} dB "
          "of the input |")
    print("|---|---|---|---|---|")
    base = np.array(reduction[systems[0]])
    for s in systems:
        r = np.array(reduction[s])
        d = r - base
        half = 1.96 * d.std(ddof=1) / np.sqrt(len(d)) if d.any() else 0.0
        print(f"| `{s}` | {len(r)} | {r.mean():.1f} | {d.mean():+.1f} ±{half:.1f} "
              f"| {100 * leak[s][0] / leak[s][1]:.1f} % of {leak[s][1]} |")


if __name__ == "__main__":
    main()
