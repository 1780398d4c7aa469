"""Round 41's signal (RULE.md): `c41-teach-s1` minus round 40's `c40-ctl-s1`.

    RUNS=runs/r41 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c41-teach-s1
    python experiments/2026-12-06-round41-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round36 = load_decide("2026-12-06-round36-cpu", "probe")

CONTROL, ARM = "c40-ctl-s1", "c41-teach-s1"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    got = round36.compared(folder, dev, CONTROL, ARM)
    ovrl = got["ovrl"]
    replicates = ovrl[0] >= 0.012 and ovrl[0] - ovrl[1] > 0
    verdict = "replicates" if replicates else "does not replicate"
    print(f"\nOVRL {round18.fmt(ovrl)}: round 36's gain {verdict} at seed 1 (RULE.md). "
          f"{got['drops']}")


if __name__ == "__main__":
    main()
