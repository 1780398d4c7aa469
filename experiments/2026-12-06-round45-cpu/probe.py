"""Round 45's signal (RULE.md): `c45-mvall` minus round 34's `c34-ctl`, paired on devreal,
with the voice-acting no-room cell's DNSMOS.

    RUNS=runs/r45 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c45-mvall
    python experiments/2026-12-06-round45-cpu/probe.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round36 = load_decide("2026-12-06-round36-cpu", "probe")
fmt = round18.fmt

CONTROL, ARM = "c34-ctl", "c45-mvall"


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    got = round36.compared(folder, dev, CONTROL, ARM)
    _, _, d120 = round19.tables(folder)
    clips = json.loads((dev / "manifest.json").read_text())["clips"]
    cell = [Path(c["file"]).stem for c in clips if c["group"] == "fillets" and not c["reverb"]]
    bak = {s: np.mean([d120[s][n]["dnsmos_bak"] for n in cell]) for s in (CONTROL, ARM)}
    ovrl, tp = got["ovrl"], got["transparency"]
    moves = (bak[ARM] - bak[CONTROL] >= 0.10 and ovrl[0] >= 0.01 and ovrl[0] - ovrl[1] > 0
             and tp[0] >= -0.02)
    print(f"\nVoice-acting clips without a room ({len(cell)}): BAK {bak[CONTROL]:.2f} -> "
          f"{bak[ARM]:.2f} ({bak[ARM] - bak[CONTROL]:+.2f}). OVRL (120) {fmt(ovrl)}, "
          f"transparency PESQ-wb {fmt(tp)}, in noise PESQ-wb {fmt(got['in_noise'])}: it "
          f"{'moves' if moves else 'does not move'} the voice-acting clips (RULE.md). "
          f"{got['drops']}")


if __name__ == "__main__":
    main()
