"""Round 29's report and rule (RULE.md): each run minus `c22-pairs6`, beside round 28's
seed-to-seed differences, DNSMOS on round 20's cells, then round 27's rule.

    sh experiments/2026-12-05-round29-cpu/run.sh
    RUNS=runs/r29 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        c29-ovs05 c29-clean01
    python experiments/2026-12-05-round29-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
background = load_decide("2026-12-05-round20-gpu", "background")

CONTROL = "c22-pairs6"
SEEDS = ["c28-seed1", "c28-seed2"]  # round 28: the control's recipe at other seeds
ARMS = ["c29-ovs05", "c29-clean01"]
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    present = [a for a in SEEDS + ARMS if a in noisy and a in clean and a in d120]
    for arm in present:
        round19.minus_control(noisy, clean, d120, CONTROL, arm, GROUPS)
        print()
    print("## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
    background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                     [round27.BUNDLED, CONTROL, *present, "peer-gtcrn"])
    print()
    round27.rule_ovrl(noisy, clean, d120, dev, [a for a in ARMS if a in present])


if __name__ == "__main__":
    main()
