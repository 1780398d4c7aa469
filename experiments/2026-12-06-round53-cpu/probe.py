"""Round 53 (RULE.md): `c53-real` (MAL `frozen` judged by round 50's real-speech encoder)
minus `c53-own` (judged by the default's own), per source, then the prediction's check.

    python experiments/2026-12-06-round53-cpu/probe.py eval/devreal18
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
paired, fmt = round13.paired, round13.fmt

CONTROL, ARM = "c53-own", "c53-real"


def main() -> None:
    noisy, clean, d120 = round19.tables(Path(sys.argv[1]))
    for control in (CONTROL, "h-ovs05"):
        round19.minus_control(noisy, clean, d120, control, ARM, round27.GROUPS)
        print()
    round19.minus_control(noisy, clean, d120, "h-ovs05", CONTROL, round27.GROUPS)
    print()
    transparency = paired(clean, CONTROL, ARM, "pesq_wb")
    ovrl = paired(d120, CONTROL, ARM, "dnsmos_ovrl")
    in_noise = paired(noisy, CONTROL, ARM, "pesq_wb")
    go = transparency[0] >= 0.03 and ovrl[0] >= -0.02 and in_noise[0] >= -0.02
    print(f"## The rule\n\ntransparency PESQ-wb {fmt(transparency)} (>= +0.03), OVRL "
          f"{fmt(ovrl)} (>= -0.02), in noise PESQ-wb {fmt(in_noise)} (>= -0.02): "
          + ("a GPU run next loan" if go else "the loss network is not what holds the "
             "lineage back"))


if __name__ == "__main__":
    main()
