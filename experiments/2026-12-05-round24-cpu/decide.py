"""Round 24's report (RULE.md): `c24-minor6` minus round 22's `c22-pairs6`, per source,
DNSMOS on round 20's cells, the signal for the next GPU round, then round 18's bundling rule.

    RUNS=runs/r24 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh c24-minor6
    python experiments/2026-12-05-round24-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
background = load_decide("2026-12-05-round20-gpu", "background")
paired = round18.paired

CONTROL, ARM = "c22-pairs6", "c24-minor6"
GROUPS = ["klettres", "g722", "fillets"]


def cell(dev: Path) -> set[str]:
    """Round 20's cell: voice-acting clips without an added room."""
    clips = json.loads((dev / "manifest.json").read_text())["clips"]
    return {c["file"].removesuffix(".wav") for c in clips
            if c["group"] == "fillets" and c["reverb"] is None}


def report(folder: Path, dev: Path, control: str, arm: str, signal_text: str) -> None:
    """`arm` minus `control`, round 20's cell, the signal and round 18's rule (round 25
    calls it with its own run)."""
    noisy, clean, d120 = round19.tables(folder)

    round19.minus_control(noisy, clean, d120, control, arm, GROUPS)
    files = cell(dev)
    in_cell = {name: {f: row for f, row in rows.items() if f in files}
               for name, rows in d120.items()}
    bak = paired(in_cell, control, arm, "dnsmos_bak")
    ovrl = paired(in_cell, control, arm, "dnsmos_ovrl")
    print(f"\nRound 20's cell ({len(files)} clips): BAK {bak[0]:+.3f} ±{bak[1]:.3f}, "
          f"OVRL {ovrl[0]:+.3f} ±{ovrl[1]:.3f}\n")
    print("## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
    background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                     ["p-distill-res", control, arm, "peer-gtcrn"])
    signal = (bak[0] > 0.05 and paired(clean, control, arm, "pesq_wb")[0] >= -0.01
              and paired(noisy, control, arm, "pesq_wb")[0] >= -0.01)
    print("\nSignal for the next GPU round (cell BAK > +0.05, transparency and in-noise PESQ-wb "
          f">= -0.01): {signal_text if signal else 'none'}\n")

    round19.rule_against_bundled(noisy, clean, d120, dev, [arm])


def main() -> None:
    report(Path(sys.argv[1]), Path(sys.argv[2]), CONTROL, ARM, "the minor voices join the pairs")


if __name__ == "__main__":
    main()
