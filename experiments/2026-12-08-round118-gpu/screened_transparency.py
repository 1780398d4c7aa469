"""Round 118: transparency on the clean-screened references (round 54's screen), both sets.

    python experiments/2026-12-08-round118-gpu/screened_transparency.py
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

pooled = load_decide("2026-12-07-round90-analysis", "pooled")

SYSTEMS = ["default", "s105-a", "ens118", "peer-dtln", "peer-gtcrn", "peer-deepfilternet3"]


def main() -> None:
    (_, clean, _), screened, _ = pooled.pooled_tables()
    print("| system | n | clean in PESQ-wb | ESTOI |\n|---|---|---|---|")
    for system in SYSTEMS:
        rows = [clean[system][f] for f in screened if f in clean[system]]
        pesq = statistics.mean(r["pesq_wb"] for r in rows)
        estoi = statistics.mean(r["estoi"] for r in rows)
        print(f"| {system} | {len(rows)} | {pesq:.3f} | {estoi:.3f} |")


if __name__ == "__main__":
    main()
