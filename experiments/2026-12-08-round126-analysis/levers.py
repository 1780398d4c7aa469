"""Round 126, second part: which training choices go with the volunteers' deleted syllables.
Devreal's 40 volunteer clips (the CPU rounds were scored on devreal only), noisy and clean in,
for models whose outputs the eval folders keep. Same measure as deletions.py.

    python experiments/2026-12-08-round126-analysis/levers.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

deletions = load_decide("2026-12-08-round126-analysis", "deletions")

DATA, EVAL = Path("data/default/devreal"), Path("eval/devreal54")
# (system, what it is): pairs that differ in one lever sit next to each other
SYSTEMS = [
    ("fresh87-s1", "stage 1 (conventional), draw 87"),
    ("fresh91-s1", "stage 1 (conventional), draw 91"),
    ("s87-blend02", "GPU stage 2 from draw 87, no pause lever"),
    ("s101-pause01", "the same plus the pause lever 0.1 / 200 ms"),
    ("s105-a", "the same recipe from draw 91 (the default)"),
    ("s105-b", "the same recipe from draw 87, seed 2"),
    ("default", "r27-ovs05, the previous default (no pause lever)"),
    ("c92-ctl", "CPU: s87-blend02 + 400 steps, no pause lever"),
    ("c97-pause01", "CPU: the same with the pause lever 0.1"),
    ("c100-gentle", "CPU: the same with 0.1 and a 200 ms fade"),
    ("c107-conv", "CPU: stage 2 from draw 87 with the pause lever, MAL weight 0"),
    ("c107-mal", "CPU: the same with MAL weight 3"),
]


def main() -> None:
    clips = [c for c in json.loads((DATA / "manifest.json").read_text())["clips"]
             if "klettres" in c["file"]]
    print(f"# Round 126: the volunteers' deleted syllables by training choice (devreal, "
          f"{len(clips)} clips)\n")
    print("| system | what it is | noisy: deleted share, clips with a syllable | clean in |")
    print("|---|---|---|---|")
    for system, what in SYSTEMS:
        cells = []
        for condition in ("noisy", "clean"):
            speech = gone = syllables = 0
            for clip in clips:
                clean, rate = sf.read(DATA / "clean" / clip["file"], dtype="float64")
                out = sf.read(EVAL / condition / system / clip["file"], dtype="float64")[0]
                s, g, run = deletions.deleted(clean, out, rate)
                speech, gone = speech + s, gone + g
                syllables += run >= deletions.SYLLABLE_SEGMENTS
            cells.append(f"{100 * gone / speech:.1f} %, {syllables}")
        print(f"| `{system}` | {what} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
