"""Round 23's report and rule (RULE.md): each run minus round 20's control `d-distill1.5`,
per source, DNSMOS on round 20's cells, then round 18's bundling rule against the bundled
default (`r18-distill-res`, `p-distill-res` in the tables), with its soup fallback.

    RUNS=runs/r23 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        g-pairs6 g-pairs12 g-pairs6-lr1 g-lr1
    python experiments/2026-12-05-round23-gpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round20 = load_decide("2026-12-05-round20-gpu")

CONTROL = "d-distill1.5"
ARMS = ["g-pairs6", "g-pairs12", "g-pairs6-lr1", "g-lr1"]
SOUPS = ["soup-" + run for run in ARMS]  # round 18's fallback, scored only if no run passes


def main() -> None:
    round20.report(Path(sys.argv[1]), Path(sys.argv[2]), CONTROL, ARMS, SOUPS, cells=True,
                   judge_control=False)


if __name__ == "__main__":
    main()
