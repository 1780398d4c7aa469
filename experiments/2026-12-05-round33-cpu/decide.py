"""Round 33's rule (RULE.md): round 32's rule for the soups of round 27's runs.

    python experiments/scripts/soup.py runs/r33/soup4-r27 runs/r27/h-seed1 runs/r27/h-d3 \
        runs/r27/h-ovs05 runs/r27/h-clean01
    python experiments/scripts/soup.py runs/r33/soup2-r27 runs/r27/h-ovs05 runs/r27/h-seed1
    RUNS=runs/r33 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        soup4-r27 soup2-r27
    python experiments/2026-12-05-round32-gpu/devfull.py eval/devfull32 \
        default=malenhance/weights/default r18-distill-res=runs/r18/p-distill-res \
        soup4-r27=runs/r33/soup4-r27 soup2-r27=runs/r33/soup2-r27
    python experiments/2026-12-05-round33-cpu/decide.py eval/devreal18 eval/devfull32 \
        data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
round32 = load_decide("2026-12-05-round32-gpu")

SOUPS = ["soup4-r27", "soup2-r27"]
TITLE = "Round 33: round 32's rule against the default (`r27-ovs05`, h-ovs05 there)"


def main() -> None:
    folder, devfull, dev = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    noisy, clean, d120 = round19.tables(folder)
    bands = round13.table(devfull / "bands.csv")
    ready = [s for s in SOUPS if all(s in t for t in (noisy, clean, d120, bands))]
    round27.runs_report(noisy, clean, d120, folder, dev, round32.BUNDLED, ready,
                        [round32.BUNDLED, round32.R18], round32.LABELS)
    best = round27.rule_ovrl(noisy, clean, d120, dev, ready, bundled=round32.BUNDLED,
                             title=TITLE,
                             extra=round32.conditions(noisy, clean, bands, dev, ready))
    if best:
        round27.beside_peers(noisy, clean, d120, dev, best, baseline=round32.BUNDLED)


if __name__ == "__main__":
    main()
