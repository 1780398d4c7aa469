"""Round 90: stationary pink noise alone (8 s, no speech; -45, -35 and -25 dBFS; three
seeds): how far each model takes it down after its first second (input over output energy).

    python experiments/2026-12-07-round90-analysis/noise_alone.py malenhance/weights/default \
        malenhance/weights/real-noise
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2]))
sys.path.insert(0, str(Path(__file__).parent))
from pause_stationary import RATE, pink  # noqa: E402

from malenhance.enhance import enhance_signal  # noqa: E402
from malenhance.hub import load_model  # noqa: E402

SECONDS = 8




def main() -> None:
    models = {Path(spec).name: load_model(spec) for spec in sys.argv[1:]}
    print("| pink noise level (dBFS) | " + " | ".join(f"`{m}`" for m in models) + " |")
    print("|---|" + "---|" * len(models))
    for level in (-45, -35, -25):
        cells = []
        for model in models.values():
            reduction = []
            for seed in (1, 2, 3):
                noise = pink(SECONDS * RATE, seed)
                noise = (noise / noise.std() * 10 ** (level / 20)).astype(np.float32)
                out = enhance_signal(model, noise, RATE)
                reduction.append(10 * np.log10(np.mean(noise[RATE:] ** 2)
                                               / (np.mean(out[RATE:] ** 2) + 1e-20)))
            cells.append(f"{np.mean(reduction):.1f}")
        print(f"| {level} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
