"""Round 40's signal (RULE.md): `c40-gated-s1` minus `c40-ctl-s1` (round 37's pair at seed 1),
and the seed-to-seed spread of the control.

    RUNS=runs/r40 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        c40-ctl-s1 c40-gated-s1
    python experiments/2026-12-06-round40-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round36 = load_decide("2026-12-06-round36-cpu", "probe")
paired, fmt = round18.paired, round18.fmt

CONTROL, ARM, SEED0 = "c40-ctl-s1", "c40-gated-s1", "c34-ctl"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    got = round36.compared(folder, dev, CONTROL, ARM)
    ovrl, transparency = got["ovrl"], got["transparency"]
    replicates = ovrl[0] >= 0.007 and ovrl[0] - ovrl[1] > 0 and transparency[0] >= -0.05
    print(f"\nOVRL {fmt(ovrl)}, transparency PESQ-wb {fmt(transparency)}: round 37's gain "
          f"{'replicates' if replicates else 'does not replicate'} at seed 1 (RULE.md). "
          f"{got['drops']}\n")
    noisy, clean, d120 = round19.tables(folder)
    print("Seed spread of the control, " + f"{CONTROL} minus {SEED0}: OVRL "
          f"{fmt(paired(d120, SEED0, CONTROL, 'dnsmos_ovrl'))}, transparency PESQ-wb "
          f"{fmt(paired(clean, SEED0, CONTROL, 'pesq_wb'))}, in noise PESQ-wb "
          f"{fmt(paired(noisy, SEED0, CONTROL, 'pesq_wb'))}.")


if __name__ == "__main__":
    main()
