"""Round 126's addendum: deleted speech with the default's --speech-lim 18 and --atten-lim 18
(outputs from user_options.sh), beside the default's own outputs.

    sh experiments/2026-12-08-round126-analysis/user_options.sh
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

deletions = load_decide("2026-12-08-round126-analysis", "deletions")
VARIANTS = {"default (s105-a)": None, "--speech-lim 18": "speech-lim",
            "--atten-lim 18": "atten-lim"}


def output(variant: str | None, set_name: str, evaluation: Path, file: str) -> Path:
    if variant is None:
        return evaluation / "noisy" / "s105-a" / file
    return deletions.RUNS / variant / set_name / file


def main() -> None:
    columns = [*deletions.SOURCES, "all"]
    print("| noisy input | " + " | ".join(deletions.SOURCES.get(c, c) for c in columns)
          + " |\n|---|" + "---|" * len(columns))
    for label, variant in VARIANTS.items():
        totals: dict[str, list[int]] = {}
        for set_name, (data, evaluation) in deletions.SETS.items():
            for clip in json.loads((data / "manifest.json").read_text())["clips"]:
                source = next(s for s in deletions.SOURCES if s in clip["file"])
                clean, rate = sf.read(data / "clean" / clip["file"], dtype="float64")
                out = sf.read(output(variant, set_name, evaluation, clip["file"]),
                              dtype="float64")[0]
                speech, gone, run = deletions.deleted(clean, out, rate)
                for key in (source, "all"):
                    total = totals.setdefault(key, [0, 0, 0])
                    total[0] += speech
                    total[1] += gone
                    total[2] += run >= deletions.SYLLABLE_SEGMENTS
        print(f"| {label} | " + " | ".join(
            f"{100 * totals[c][1] / totals[c][0]:.1f} %, {totals[c][2]}" for c in columns) + " |")


if __name__ == "__main__":
    main()
