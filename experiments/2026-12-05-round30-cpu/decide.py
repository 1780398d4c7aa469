"""Round 30's report and rule (RULE.md): `c30-vorbis` minus `c30-plain`, per source and on
round 20's DNSMOS cells, the signal for a GPU round, then round 27's rule for both.

    sh experiments/2026-12-05-round30-cpu/run.sh
    RUNS=runs/r30 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        c30-vorbis c30-plain
    python experiments/2026-12-05-round30-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
background = load_decide("2026-12-05-round20-gpu", "background")
paired, fmt = round18.paired, round18.fmt

CONTROL, ARM = "c30-plain", "c30-vorbis"
GROUPS = ["klettres", "g722", "fillets"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    round19.minus_control(noisy, clean, d120, CONTROL, ARM, GROUPS)
    print("\n## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
    background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                     [round27.BUNDLED, "c22-pairs6", CONTROL, ARM, "peer-gtcrn"])
    # round 20's cell: the voice-acting clips without an added room
    cell = set(background.cell(json.loads((dev / "manifest.json").read_text())["clips"],
                               "fillets", room=False))
    bak = paired({k: {f: v for f, v in t.items() if f in cell} for k, t in d120.items()},
                 CONTROL, ARM, "dnsmos_bak")
    transparency = paired(clean, CONTROL, ARM, "pesq_wb")
    signal = bak[0] > 0.05 and transparency[0] >= -0.03
    print(f"\nCell BAK (voice acting, no room; {bak[2]} clips): {fmt(bak)}; transparency "
          f"PESQ-wb {fmt(transparency)}. Signal for a GPU round: {'yes' if signal else 'no'}\n")
    round27.rule_ovrl(noisy, clean, d120, dev, [ARM, CONTROL])


if __name__ == "__main__":
    main()
