"""Round 102: on the volunteers' clean references (klettres, 40), the output's level against
its input by how far a 20 ms frame lies below the clip's loudest frame (median per clip,
then the mean over clips).

    python experiments/2026-12-07-round102-analysis/by_level.py default c92-ctl c100-gentle
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

import numpy as np
import soundfile as sf
from where_cost import DATA, EVAL, frame_db

BANDS = [(0, 10), (10, 20), (20, 30), (30, 40), (40, 50)]


def main(models: list[str], group: str = "klettres") -> None:
    clips = json.loads((DATA / "manifest.json").read_text())["clips"]
    medians: dict[tuple[str, int], list[float]] = defaultdict(list)
    for clip in clips:
        if clip["group"] != group:
            continue
        ref, _ = sf.read(DATA / "clean" / clip["file"], dtype="float32")
        ref_db = frame_db(ref)
        for model in models:
            out, _ = sf.read(EVAL / model / clip["file"], dtype="float32")
            diff = frame_db(out[: len(ref)]) - ref_db
            for low, high in BANDS:
                chosen = (ref_db <= ref_db.max() - low) & (ref_db > ref_db.max() - high)
                if chosen.any():
                    medians[(model, low)].append(float(np.median(diff[chosen])))
    print("| model | " + " | ".join(f"{lo}-{hi} dB below peak" for lo, hi in BANDS) + " |")
    print("|---|" + "---|" * len(BANDS))
    for model in models:
        cells = " | ".join(f"{np.mean(medians[(model, lo)]):+.2f}" for lo, _ in BANDS)
        print(f"| {model} | {cells} |")


if __name__ == "__main__":
    main(sys.argv[1:])
