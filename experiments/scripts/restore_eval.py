"""Rebuild the per-clip score tables of eval/devreal54 and eval/confirm78 from git.

    python experiments/scripts/restore_eval.py            # both sets
    python experiments/scripts/restore_eval.py devreal    # one

A new machine has no eval/ folder; every round committed its per-clip tables as
``experiments/<round>/<set>-{noisy-all-scores,clean-scores,dnsmos120}.csv.gz``. This joins
them, the later round winning where a (system, file) row appears twice (the bundled default
is re-run by many rounds; its latest rows are today's model's). The rows stand in for a
re-run only after the default's re-run on the rebuilt set matches them (``check``).
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

EXPERIMENTS = Path(__file__).parents[1]
SETS = {"devreal": Path("eval/devreal54"), "confirm78": Path("eval/confirm78")}
TABLES = ("noisy-all-scores", "clean-scores", "dnsmos120")


def joined(set_name: str, table: str) -> tuple[list[str], dict[tuple[str, str], dict]]:
    """The header and the rows of every committed copy of one table, later rounds last."""
    header: list[str] = []
    rows: dict[tuple[str, str], dict] = {}
    for path in sorted(EXPERIMENTS.glob(f"*/{set_name}-{table}.csv.gz")):
        with gzip.open(path, "rt", newline="") as f:
            reader = csv.DictReader(f)
            header = header or list(reader.fieldnames or [])
            for row in reader:
                rows[(row["system"], row["file"])] = row
    return header, rows


def restore(set_name: str) -> None:
    out = SETS[set_name]
    out.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        header, rows = joined(set_name, table)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows.values())
        (out / f"{table}.csv").write_text(buffer.getvalue())
        systems = sorted({system for system, _ in rows})
        print(f"{out / (table + '.csv')}: {len(rows)} rows, {len(systems)} systems")


if __name__ == "__main__":
    for name in sys.argv[1:] or list(SETS):
        restore(name)
