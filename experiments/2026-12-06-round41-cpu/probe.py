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
round19 = load_decide("2026-12-05-round19-cpu")
paired, fmt = round18.paired, round18.fmt

CONTROL, ARM = "c40-ctl-s1", "c41-teach-s1"
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    round19.minus_control(noisy, clean, d120, CONTROL, ARM, GROUPS)
    ovrl = paired(d120, CONTROL, ARM, "dnsmos_ovrl")
    replicates = ovrl[0] >= 0.012 and ovrl[0] - ovrl[1] > 0
    high = round18.high_snr(dev / "manifest.json")
    verdict = "replicates" if replicates else "does not replicate"
    print(f"\nOVRL {fmt(ovrl)}: round 36's gain {verdict} at seed 1 (RULE.md). "
          f"SNR drops at 15-20 dB: {CONTROL} "
          f"{round18.fell(noisy, high, CONTROL)}, {ARM} {round18.fell(noisy, high, ARM)} "
          f"of {len(high)}.")


if __name__ == "__main__":
    main()
