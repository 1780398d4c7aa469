"""Round 37's signal (RULE.md): `c37-gated` minus round 34's `c34-ctl` (round 36's signal),
then whether it keeps the voice: transparency against round 36's `c36-teach` and the studio
speech frames' 7-8 kHz band (round 31's clean_bands.py).

    RUNS=runs/r37 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c37-gated
    python experiments/2026-12-06-round37-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round36 = load_decide("2026-12-06-round36-cpu", "probe")
clean_bands = load_decide("2026-12-05-round31-analysis", "clean_bands")
floor_split = load_decide("2026-12-06-round35-analysis", "floor_split")
paired, fmt = round18.paired, round18.fmt

ARM, TEACH, CONTROL = "c37-gated", "c36-teach", round36.CONTROL
TOP_BAND = -1  # 7-8 kHz


def voice_kept(folder: Path, dev: Path, arm: str, moves: bool) -> None:
    """Round 37's voice condition for ``arm``, printed with the signal."""
    _, clean, _ = round19.tables(folder)
    over_teach = paired(clean, TEACH, arm, "pesq_wb")
    top = {s: clean_bands.group_change(folder / "clean", dev / "clean", s, "g722")["speech"]
           [TOP_BAND] for s in (CONTROL, TEACH, arm)}
    keeps = over_teach[0] >= 0.047 and top[arm] >= -0.5
    print(f"Transparency PESQ-wb, {arm} minus {TEACH}: {fmt(over_teach)}; studio (g722) "
          f"speech frames at 7-8 kHz: {CONTROL} {top[CONTROL]:+.1f}, {TEACH} {top[TEACH]:+.1f}, "
          f"{arm} {top[arm]:+.1f} dB. It {'keeps' if keeps else 'does not keep'} the voice "
          f"(RULE.md); the lever {'moves' if moves else 'does not move'} OVRL.\n")


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    voice_kept(folder, dev, ARM, round36.signal(folder, dev, ARM))
    floor_split.floor_table(folder, dev, (CONTROL, TEACH, ARM, "peer-deepfilternet3"))


if __name__ == "__main__":
    main()
