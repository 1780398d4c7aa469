"""Round 42's signal (RULE.md): `c42-split` minus round 34's `c34-ctl` (round 36's signal),
then round 37's voice condition, and round 35's floor table.

    RUNS=runs/r42 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c42-split
    python experiments/2026-12-06-round42-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round36 = load_decide("2026-12-06-round36-cpu", "probe")
round37 = load_decide("2026-12-06-round37-cpu", "probe")
floor_split = load_decide("2026-12-06-round35-analysis", "floor_split")

ARM = "c42-split"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    round37.voice_kept(folder, dev, ARM, round36.signal(folder, dev, ARM))
    floor_split.floor_table(folder, dev, (round36.CONTROL, "c36-teach", "c37-gated", ARM,
                                          "peer-deepfilternet3"))


if __name__ == "__main__":
    main()
