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

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
background = load_decide("2026-12-05-round20-gpu", "background")

CONTROL = "d-distill1.5"
ARMS = ["g-pairs6", "g-pairs12", "g-pairs6-lr1", "g-lr1"]
SOUPS = ["soup-" + run for run in ARMS]  # round 18's fallback, scored only if no run passes
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    arms = [a for a in ARMS if a in noisy and a in clean and a in d120]

    for arm in arms:
        round19.minus_control(noisy, clean, d120, CONTROL, arm, GROUPS)
        print()
    print("## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
    background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                     ["p-distill-res", CONTROL, *arms, "peer-gtcrn"])
    print()
    round19.rule_against_bundled(noisy, clean, d120, dev, arms)
    soups = [s for s in SOUPS if s in noisy and s in clean and s in d120]
    if soups:
        print("\n## The soups (default + run, equal weights)\n")
        round19.rule_against_bundled(noisy, clean, d120, dev, soups)


if __name__ == "__main__":
    main()
