"""Round 22's report (RULE.md): each weighted-pairs run minus round 19's `c19-dfn3` (the same
recipe on the unweighted data), per source, DNSMOS on round 20's cells, the signal for the
next GPU round, then round 18's bundling rule against the bundled default.

    RUNS=runs/r22 EVAL=eval/devreal18 \
        sh experiments/2026-12-05-round18-gpu/score.sh c22-pairs3 c22-pairs6
    python experiments/2026-12-05-round22-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
background = load_decide("2026-12-05-round20-gpu", "background")
paired, only = round18.paired, round18.only

CONTROL = "c19-dfn3"
ARMS = ["c22-pairs3", "c22-pairs6", "c22-pairs12", "c22-pairs6-600"]  # the last two: addendum 1
WEIGHT = {"c22-pairs3": 3, "c22-pairs6": 6, "c22-pairs12": 12, "c22-pairs6-600": 6}
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    arms = [a for a in ARMS if a in noisy and a in clean and a in d120]

    taken = []
    for arm in arms:
        round19.minus_control(noisy, clean, d120, CONTROL, arm, GROUPS)
        print()
        if (paired(only(d120, {"fillets"}), CONTROL, arm, "dnsmos_ovrl")[0] > 0
                and paired(clean, CONTROL, arm, "pesq_wb")[0] >= -0.01
                and paired(noisy, CONTROL, arm, "pesq_wb")[0] >= -0.01):
            taken.append(arm)
    print("## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
    background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                     ["p-distill-res", CONTROL, *arms, "peer-gtcrn"])
    # the rule's tie-break is the larger pair weight (the first listed among equal weights)
    signal = max(taken, key=lambda arm: WEIGHT[arm]) if taken else "none"
    print("\nSignal for the next GPU round (fillets OVRL > 0, transparency and in-noise PESQ-wb "
          f">= -0.01; the larger weight if several): {signal} "
          f"(all that pass: {', '.join(taken) or 'none'})\n")

    round19.rule_against_bundled(noisy, clean, d120, dev, arms)


if __name__ == "__main__":
    main()
