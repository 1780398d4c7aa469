"""Round 46's rule (RULE.md): round 32's rule (round 27's against the bundled default plus
the 48 kHz and drift conditions), unchanged, on a model trained from random weights.

    RUNS=runs/r46 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        fresh-s1 fresh
    python experiments/2026-12-05-round32-gpu/devfull.py eval/devfull32 \
        fresh-s1=runs/r46/fresh-s1 fresh=runs/r46/fresh
    python experiments/2026-12-06-round46-gpu/decide.py eval/devreal18 eval/devfull32 \
        data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
round32 = load_decide("2026-12-05-round32-gpu")

BUNDLED = round32.BUNDLED
STAGE1 = "fresh-s1"  # reported, not a candidate: MAL stays the method
CANDIDATES = ["fresh", "fresh-more"]
TITLE = "Round 46's rule against the default (`r27-ovs05`, h-ovs05 there)"
LABELS = {**round32.LABELS, STAGE1: "fresh-s1 (its stage 1)"}


def main() -> None:
    folder, devfull, dev = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    noisy, clean, d120 = round19.tables(folder)
    bands = round13.table(devfull / "bands.csv")
    ready = [a for a in [STAGE1, *CANDIDATES]
             if all(a in t for t in (noisy, clean, d120, bands))]
    round27.runs_report(noisy, clean, d120, folder, dev, BUNDLED, ready, [BUNDLED], LABELS)
    ready = [a for a in ready if a in CANDIDATES]
    best = round27.rule_ovrl(noisy, clean, d120, dev, ready, bundled=BUNDLED, title=TITLE,
                             extra=round32.conditions(noisy, clean, bands, dev, ready))
    if best:
        round27.beside_peers(noisy, clean, d120, dev, best, baseline=BUNDLED)


if __name__ == "__main__":
    main()
