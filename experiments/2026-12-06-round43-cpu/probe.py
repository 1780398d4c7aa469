"""Round 43's signal (RULE.md): `pf02` and `pf05` minus `pf0`, paired on devreal, and round
35's floor table.

    python experiments/2026-12-06-round43-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round36 = load_decide("2026-12-06-round36-cpu", "probe")
floor_split = load_decide("2026-12-06-round35-analysis", "floor_split")
paired, fmt = round18.paired, round18.fmt

CONTROL, ARMS = "pf0", ("pf02", "pf05")


def pays(folder: Path, dev: Path, arm: str) -> bool:
    """Round 43's signal for ``arm``: prints its tables, returns whether it pays."""
    got = round36.compared(folder, dev, CONTROL, arm)
    noisy, _, _ = round19.tables(folder)
    estoi, sisdr = (paired(noisy, CONTROL, arm, m) for m in ("estoi", "si_sdr"))
    ovrl, tp, pesq = got["ovrl"], got["transparency"], got["in_noise"]
    ok = (ovrl[0] >= 0.02 and ovrl[0] - ovrl[1] > 0 and tp[0] >= -0.02 and pesq[0] >= -0.01
          and estoi[0] >= -0.003 and sisdr[0] >= -0.10)
    print(f"\n{arm}: OVRL {fmt(ovrl)}, transparency PESQ-wb {fmt(tp)}, in noise PESQ-wb "
          f"{fmt(pesq)}, ESTOI {fmt(estoi)}, SI-SDR {fmt(sisdr)}: it "
          f"{'pays' if ok else 'does not pay'} (RULE.md). {got['drops']}\n")
    return ok


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    for arm in ARMS:
        pays(folder, dev, arm)
    floor_split.floor_table(folder, dev, (CONTROL, *ARMS, "peer-deepfilternet3"))


if __name__ == "__main__":
    main()
