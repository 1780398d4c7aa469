"""Round 125: DNSMOS SIG / BAK / OVRL by source and by input SNR, ours beside the peers,
both held-out sets pooled (the committed dnsmos120 tables; no new scoring).

    python experiments/2026-12-08-round125-analysis/dnsmos_by_group.py
"""

from __future__ import annotations

import collections
import csv
import json
import statistics
from pathlib import Path

SETS = {"eval/devreal54": "data/default/devreal", "eval/confirm78": "data/confirm78/devreal"}
SYSTEMS = ["input", "s105-a", "ens118", "peer-deepfilternet3", "peer-gtcrn", "peer-nsnet2",
           "peer-dtln"]
NAMES = {"s105-a": "default", "ens118": "ensemble", "peer-deepfilternet3": "DF3",
         "peer-gtcrn": "GTCRN", "peer-nsnet2": "NSNet2", "peer-dtln": "DTLN"}
SOURCES = {"g722": "studio prompts", "klettres": "volunteers", "fillets": "voice acting"}
BANDS = [(-99.0, 5.0, "-5..5 dB"), (5.0, 15.0, "5..15 dB"), (15.0, 99.0, "15..20 dB")]


def load() -> tuple[dict, dict]:
    scores: dict = collections.defaultdict(dict)
    snr = {}
    for folder, data in SETS.items():
        with open(Path(folder) / "dnsmos120.csv", newline="") as handle:
            for row in csv.DictReader(handle):
                scores[row["system"]][(folder, row["file"])] = row
        for clip in json.loads((Path(data) / "manifest.json").read_text())["clips"]:
            snr[(folder, Path(clip["file"]).stem)] = clip["snr_db"]
    return scores, snr


def main() -> None:
    scores, snr = load()
    clips = sorted(scores["s105-a"])
    groups = {label: [c for c in clips if key in c[1]] for key, label in SOURCES.items()}
    for low, high, label in BANDS:
        groups[label] = [c for c in clips if low <= snr[c] < high]
    groups["all"] = clips
    for measure in ("dnsmos_ovrl", "dnsmos_sig", "dnsmos_bak"):
        print(f"\n{measure.split('_')[1].upper()}, means\n")
        print("| group | n | " + " | ".join(NAMES.get(s, s) for s in SYSTEMS) + " |")
        print("|---|---|" + "---|" * len(SYSTEMS))
        for label, members in groups.items():
            means = [statistics.mean(float(scores[s][c][measure]) for c in members)
                     for s in SYSTEMS]
            print(f"| {label} | {len(members)} | " + " | ".join(f"{m:.3f}" for m in means) + " |")


if __name__ == "__main__":
    main()
