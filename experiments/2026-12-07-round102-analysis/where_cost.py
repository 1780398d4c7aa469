"""Round 102: where the pause lever's transparency cost sits. For each clean reference of
devreal (120) and each model, the output's level against its input in the reference's speech
frames and in its pauses (20 ms frames; speech: within 35 dB of the clip's loudest frame,
pause: more than 50 dB below it), by group of voices.

    python experiments/2026-12-07-round102-analysis/where_cost.py c92-ctl c100-gentle c96-pause
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import soundfile as sf

DATA = Path("data/default/devreal")
EVAL = Path("eval/devreal54/clean")
FRAME = 320


def frame_db(x: np.ndarray) -> np.ndarray:
    n = len(x) // FRAME
    return 10 * np.log10(np.mean(x[: n * FRAME].reshape(n, FRAME) ** 2, axis=1) + 1e-12)


def main(models: list[str]) -> None:
    clips = json.loads((DATA / "manifest.json").read_text())["clips"]
    rows: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for clip in clips:
        ref, _ = sf.read(DATA / "clean" / clip["file"], dtype="float32")
        ref_db = frame_db(ref)
        speech = ref_db > ref_db.max() - 35
        pause = ref_db < ref_db.max() - 50
        for model in models:
            out, _ = sf.read(EVAL / model / clip["file"], dtype="float32")
            diff = frame_db(out[: len(ref)]) - ref_db
            # energy-weighted over speech frames; median over pause frames
            s = 10 * np.log10(np.sum(10 ** (frame_db(out[: len(ref)])[speech] / 10))
                              / np.sum(10 ** (ref_db[speech] / 10)))
            p = float(np.median(diff[pause])) if pause.sum() >= 5 else np.nan
            rows[(model, clip["group"])].append((s, p))
            rows[(model, "all")].append((s, p))
    groups = sorted({g for _, g in rows})
    print("| model | group | n | speech frames dB | pauses dB (median, clips with >= 5) |")
    print("|---|---|---|---|---|")
    for model in models:
        for group in groups:
            a = np.array(rows[(model, group)])
            print(f"| {model} | {group} | {len(a)} | {np.mean(a[:, 0]):+.2f} | "
                  f"{np.nanmean(a[:, 1]):+.1f} ({np.sum(~np.isnan(a[:, 1]))}) |")


if __name__ == "__main__":
    main(sys.argv[1:])
