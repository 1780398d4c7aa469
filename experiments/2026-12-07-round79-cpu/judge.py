"""Rounds 79-80's confirmation step (round 79's RULE.md): round 78's clauses on the
confirmation set, clause 1 as non-inferiority (C78 transparency ESTOI >= the default's -
0.003), for the runs that passed on devreal.

    python experiments/2026-12-07-round79-cpu/judge.py eval/confirm78 data/confirm78 s80-self
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round78 = load_decide("2026-12-07-round78-confirm", "judge")


def main() -> None:
    round78.judge(Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3:]), c1_floor=-0.003,
                  title="Rounds 79-80", rank="pesq_wb")


if __name__ == "__main__":
    main()
