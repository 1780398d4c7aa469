"""Round 21's report (RULE.md): each long-segment run minus round 19's `c19-dfn3` (the same
recipe on 4 s segments), per source, the signal for the next GPU round, then round 18's
bundling rule against the bundled default.

    RUNS=runs/r21 EVAL=eval/devreal18 \
        sh experiments/2026-12-05-round18-gpu/score.sh c21-seg8 c21-seg16
    python experiments/2026-12-05-round21-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
paired = round18.paired

CONTROL = "c19-dfn3"
ARMS = ["c21-seg8", "c21-seg16"]
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    arms = [a for a in ARMS if a in noisy and a in clean and a in d120]

    taken = []
    for arm in arms:
        round19.minus_control(noisy, clean, d120, CONTROL, arm, GROUPS)
        print()
        if (paired(clean, CONTROL, arm, "pesq_wb")[0] > 0.01
                and paired(noisy, CONTROL, arm, "pesq_wb")[0] >= -0.005
                and paired(d120, CONTROL, arm, "dnsmos_ovrl")[0] >= -0.01):
            taken.append(arm)
    print("Signal for the next GPU round (transparency PESQ-wb > +0.01, in-noise PESQ-wb >= "
          f"-0.005, OVRL >= -0.01; the longer if both): {taken[-1] if taken else 'none'}\n")

    round19.rule_against_bundled(noisy, clean, d120, dev, arms)


if __name__ == "__main__":
    main()
