"""Round 126's deleted-speech measure for any of our systems in the eval folders, both
held-out sets, by source, noisy input and clean in.

    python experiments/2026-12-08-round127-cpu/deleted_share.py s105-a c127-ctl c127-nopause
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

deletions = load_decide("2026-12-08-round126-analysis", "deletions")


def shares(system: str, condition: str) -> dict[str, tuple[float, int]]:
    """Source -> (deleted share in %, clips with a syllable deleted)."""
    totals: dict[str, list[int]] = {}
    for data, evaluation in deletions.SETS.values():
        for clip in json.loads((data / "manifest.json").read_text())["clips"]:
            source = next(s for s in deletions.SOURCES if s in clip["file"])
            clean, rate = sf.read(data / "clean" / clip["file"], dtype="float64")
            out = sf.read(evaluation / condition / system / clip["file"], dtype="float64")[0]
            speech, gone, run = deletions.deleted(clean, out, rate)
            for key in (source, "all"):
                total = totals.setdefault(key, [0, 0, 0])
                total[0] += speech
                total[1] += gone
                total[2] += run >= deletions.SYLLABLE_SEGMENTS
    return {k: (100 * g / s, n) for k, (s, g, n) in totals.items()}


def main() -> None:
    columns = [*deletions.SOURCES, "all"]
    names = [deletions.SOURCES.get(c, c) for c in columns]
    print("| system | input | " + " | ".join(names) + " |\n|---|---|" + "---|" * len(columns))
    for system in sys.argv[1:]:
        for condition in ("noisy", "clean"):
            result = shares(system, condition)
            print(f"| `{system}` | {condition} | "
                  + " | ".join(f"{result[c][0]:.1f} %, {result[c][1]}" for c in columns) + " |")


if __name__ == "__main__":
    main()
