"""Round 126's deleted-speech measure for any of our systems in the eval folders, both
held-out sets, by source, noisy input and clean in.

    python experiments/2026-12-08-round127-cpu/deleted_share.py s105-a c127-ctl c127-nopause
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

deletions = load_decide("2026-12-08-round126-analysis", "deletions")


def shares(system: str, condition: str) -> dict[str, tuple[float, int]]:
    """Source -> (deleted share in %, clips with a syllable deleted)."""
    return deletions.shares_by_source(
        lambda _set, evaluation, file: evaluation / condition / system / file)


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
