"""Round 20's report and rule (RULE.md): each run minus the control `d-distill1.5`, per
source, then round 18's bundling rule against the bundled default (`r18-distill-res`).

    RUNS=runs/r20 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        d-distill1.5 d-distill3 d-distill6 d-nopairs3 d-distill10
    python experiments/2026-12-05-round20-gpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")

CONTROL = "d-distill1.5"
ARMS = ["d-distill3", "d-distill6", "d-distill10", "d-nopairs3"]  # d-distill10: addendum 2
SOUPS = ["soup-" + run for run in [CONTROL, *ARMS]]  # addendum 3: no run passed
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    arms = [a for a in ARMS if a in noisy and a in clean and a in d120]

    for arm in arms:
        round19.minus_control(noisy, clean, d120, CONTROL, arm, GROUPS)
        print()
    round19.rule_against_bundled(noisy, clean, d120, dev, [CONTROL, *arms])
    soups = [s for s in SOUPS if s in noisy and s in clean and s in d120]
    if soups:
        print("\n## The soups (default + run, equal weights)\n")
        round19.rule_against_bundled(noisy, clean, d120, dev, soups)


if __name__ == "__main__":
    main()
