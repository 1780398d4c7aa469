"""Round 25's report (RULE.md), round 24's with its own run: `c25-resnoise` minus round 22's
`c22-pairs6`, per source, round 20's cells, the signal, round 18's rule.

    RUNS=runs/r25 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c25-resnoise
    python experiments/2026-12-05-round25-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round24 = load_decide("2026-12-05-round24-cpu")

if __name__ == "__main__":
    round24.report(Path(sys.argv[1]), Path(sys.argv[2]), "c22-pairs6", "c25-resnoise",
                   "the residuals join the noise")
