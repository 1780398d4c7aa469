"""Is the rebuilt devreal the one round 13 scored? The default's fresh per-clip scores
against round 13's committed ones (RULE.md, addendum 3); exits 1 on any difference.

    python experiments/2026-12-05-round15-gpu/check_rebuild.py eval/devreal15 \
        experiments/2026-12-05-round13-gpu
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

METRICS = ("pesq_wb", "estoi", "si_sdr")
TOLERANCE = 1e-4


def rows(handle, system: str) -> dict[str, dict[str, str]]:
    return {r["file"]: r for r in csv.DictReader(handle) if r["system"] == system}


def main() -> None:
    fresh_dir, committed_dir = Path(sys.argv[1]), Path(sys.argv[2])
    worst = 0.0
    for table in ("noisy-all-scores.csv", "clean-scores.csv"):
        with open(fresh_dir / table, newline="") as handle:
            fresh = rows(handle, "default")
        with gzip.open(committed_dir / f"devreal-{table}.gz", "rt", newline="") as handle:
            committed = rows(handle, "default")
        if set(fresh) != set(committed):
            sys.exit(f"{table}: the clips differ from round 13's")
        for name, row in committed.items():
            for metric in METRICS:
                worst = max(worst, abs(float(fresh[name][metric]) - float(row[metric])))
        print(f"{table}: {len(fresh)} clips, largest difference so far {worst:.2e}")
    if worst > TOLERANCE:
        sys.exit(f"the default scores differently on the rebuilt devreal ({worst:.2e})")


if __name__ == "__main__":
    main()
