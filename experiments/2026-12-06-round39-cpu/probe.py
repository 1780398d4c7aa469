"""Round 39's signal (RULE.md): round 37's, for `c39-gate25`, with `c37-gated` beside it.

    RUNS=runs/r39 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c39-gate25
    python experiments/2026-12-06-round39-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round37 = load_decide("2026-12-06-round37-cpu", "probe")
floor_split = load_decide("2026-12-06-round35-analysis", "floor_split")

ARM = "c39-gate25"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    round37.voice_kept(folder, dev, ARM, round37.round36.signal(folder, dev, ARM))
    floor_split.floor_table(folder, dev, (round37.CONTROL, round37.TEACH, round37.ARM, ARM,
                                          "peer-deepfilternet3"))


if __name__ == "__main__":
    main()
