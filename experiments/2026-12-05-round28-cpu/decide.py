"""Round 28's report (RULE.md): two more seeds of round 22's `c22-pairs6` against it and
against each other, paired, per source, the columns of round 22's tables.

    sh experiments/2026-12-05-round28-cpu/run.sh
    RUNS=runs/r28 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        c28-seed1 c28-seed2
    python experiments/2026-12-05-round28-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")

PAIRS = [("c22-pairs6", "c28-seed1"), ("c22-pairs6", "c28-seed2"), ("c28-seed1", "c28-seed2")]
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder = Path(sys.argv[1])
    noisy, clean, d120 = round19.tables(folder)
    for base, other in PAIRS:
        if all(name in t for t in (noisy, clean, d120) for name in (base, other)):
            round19.minus_control(noisy, clean, d120, base, other, GROUPS)
            print()


if __name__ == "__main__":
    main()
