"""Where the OVRL gap to GTCRN sits (round 20's README): DNSMOS SIG / BAK / OVRL per devreal
source, split by whether the clip had a synthetic room added, for the default, the run
without the voice-acting pairs and the peers.

    python experiments/2026-12-05-round20-gpu/background.py eval/devreal18/dnsmos120.csv \
        data/default/devreal/manifest.json [SYSTEM ...]

Other systems of the table can be named after the manifest (round 22 does).
"""

from __future__ import annotations

import csv
import json
import sys
from collections import defaultdict
from pathlib import Path

SYSTEMS = ["input", "p-distill-res", "d-nopairs3", "peer-gtcrn", "peer-deepfilternet3",
           "peer-dtln"]
KEYS = ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl")


def cell(clips: list[dict], group: str, room: bool) -> list[str]:
    """The clips (file stems) of one cell: a devreal source, with or without an added room."""
    return [c["file"].removesuffix(".wav") for c in clips
            if c["group"] == group and (c["reverb"] is not None) == room]


def cells(table: Path, manifest: Path, systems: list[str],
          labels: dict[str, str] | None = None) -> None:
    """The markdown table: one row per source and room, SIG / BAK / OVRL per system
    (``labels`` names some; by default p-distill-res, the default of rounds 18-26)."""
    scores: dict[str, dict[str, dict]] = defaultdict(dict)
    with table.open() as f:
        for row in csv.DictReader(f):
            scores[row["system"]][row["file"]] = row
    clips = json.loads(manifest.read_text())["clips"]
    labels = {"p-distill-res": "default (p-distill-res)"} if labels is None else labels
    names = [labels.get(s, s) for s in systems]
    print("| source | room added | clips | " + " | ".join(names) + " |")
    print("|---|---|---|" + "---|" * len(systems))
    for group in ("g722", "klettres", "fillets"):
        for room in (False, True):
            files = cell(clips, group, room)
            cells = []
            for system in systems:
                means = [sum(float(scores[system][f][k]) for f in files) / len(files)
                         for k in KEYS]
                cells.append(" / ".join(f"{m:.2f}" for m in means))
            print(f"| {group} | {'yes' if room else 'no'} | {len(files)} | "
                  + " | ".join(cells) + " |")


def main() -> None:
    cells(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:] or SYSTEMS)


if __name__ == "__main__":
    main()
