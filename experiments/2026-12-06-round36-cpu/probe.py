"""Round 36's signal (RULE.md): `c36-teach` (real-speech targets without their floor) minus
round 34's `c34-ctl`, paired on devreal, and round 35's floor table for both.

    RUNS=runs/r36 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c36-teach
    python experiments/2026-12-06-round36-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
floor_split = load_decide("2026-12-06-round35-analysis", "floor_split")
paired, fmt = round18.paired, round18.fmt

CONTROL, ARM = "c34-ctl", "c36-teach"
GROUPS = ["klettres", "g722", "fillets"]


def compared(folder: Path, dev: Path, control: str, arm: str) -> dict:
    """``arm`` minus ``control``: prints the per-source table, returns the paired OVRL,
    in-noise and transparency PESQ-wb and a sentence on the SNR drops (rounds 36-41)."""
    noisy, clean, d120 = round19.tables(folder)
    round19.minus_control(noisy, clean, d120, control, arm, GROUPS)
    high = round18.high_snr(dev / "manifest.json")
    return {"ovrl": paired(d120, control, arm, "dnsmos_ovrl"),
            "in_noise": paired(noisy, control, arm, "pesq_wb"),
            "transparency": paired(clean, control, arm, "pesq_wb"),
            "drops": f"SNR drops at 15-20 dB: {control} {round18.fell(noisy, high, control)}, "
                     f"{arm} {round18.fell(noisy, high, arm)} of {len(high)}."}


def signal(folder: Path, dev: Path, arm: str) -> bool:
    """Round 36's signal for ``arm`` against the control: prints its tables, returns whether
    the lever moves OVRL."""
    got = compared(folder, dev, CONTROL, arm)
    ovrl, in_noise = got["ovrl"], got["in_noise"]
    moves = ovrl[0] >= 0.02 and ovrl[0] - ovrl[1] > 0 and in_noise[0] >= -0.01
    print(f"\nOVRL {fmt(ovrl)}, in-noise PESQ-wb {fmt(in_noise)}: the lever "
          f"{'moves' if moves else 'does not move'} OVRL (RULE.md). {got['drops']}\n")
    return moves


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    signal(folder, dev, ARM)
    floor_split.floor_table(folder, dev, (CONTROL, ARM, "peer-deepfilternet3", "peer-gtcrn"))


if __name__ == "__main__":
    main()
