"""Round 126's addendum: deleted speech with the default's --speech-lim 18 and --atten-lim 18
(outputs from user_options.sh), beside the default's own outputs.

    sh experiments/2026-12-08-round126-analysis/user_options.sh
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

deletions = load_decide("2026-12-08-round126-analysis", "deletions")
VARIANTS = {"default (s105-a)": None, "--speech-lim 18": "speech-lim",
            "--atten-lim 18": "atten-lim"}


def main() -> None:
    columns = [*deletions.SOURCES, "all"]
    print("| noisy input | " + " | ".join(deletions.SOURCES.get(c, c) for c in columns)
          + " |\n|---|" + "---|" * len(columns))
    for label, variant in VARIANTS.items():
        def output(set_name: str, evaluation: Path, file: str, variant=variant) -> Path:
            if variant is None:
                return evaluation / "noisy" / "s105-a" / file
            return deletions.RUNS / variant / set_name / file

        result = deletions.shares_by_source(output)
        print(f"| {label} | " + " | ".join(f"{result[c][0]:.1f} %, {result[c][1]}"
                                           for c in columns) + " |")


if __name__ == "__main__":
    main()
