"""Round 44, step 5 (README): DNSMOS of devreal's clean references themselves, by cell.

    ln -sfn "$(pwd)/data/default/devreal/clean" eval/r44/reference
    python -m malenhance score eval/r44/reference --dnsmos --jobs 2 \
        -o eval/r44/dnsmos-reference.csv --quiet
    python experiments/2026-12-06-round44-analysis/reference.py eval/devreal18 \
        data/default/devreal eval/r44/dnsmos-reference.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
tails = load_decide("2026-12-06-round44-analysis", "tails")


def main() -> None:
    folder, dev, scores = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    _, _, d120 = round19.tables(folder)
    tables = {"clean reference": round13.table(scores)["reference"],
              **{s: d120[s] for s in ("h-ovs05", "peer-gtcrn", "peer-deepfilternet3")}}
    clips = json.loads((dev / "manifest.json").read_text())["clips"]
    print("DNSMOS SIG / BAK / OVRL, mean over each cell's clips (the systems on the noisy "
          "clips)\n")
    tails.dnsmos_cells(tables, clips)


if __name__ == "__main__":
    main()
