"""Round 13's fast_scores.py for a few more systems, appended to the tables it wrote.

    python experiments/2026-12-05-round14-gpu/fast_scores_add.py \
        eval/devreal14 data/default/devreal soup-r14 soup-span
"""

from __future__ import annotations

import csv
import sys
from multiprocessing import Pool
from pathlib import Path

# Importable by name, so that the pool's workers can unpickle its functions.
sys.path.insert(0, str(Path(__file__).parents[1] / "2026-12-05-round13-gpu"))
import fast_scores as fast  # noqa: E402


def main() -> None:
    folder, dev, systems = Path(sys.argv[1]), Path(sys.argv[2]), set(sys.argv[3:])
    for part, name in (("noisy", "noisy-all-scores.csv"), ("clean", "clean-scores.csv")):
        with open(folder / name, newline="") as handle:
            done = {row["system"] for row in csv.DictReader(handle)}
        todo = [job for job in fast.jobs(folder, dev, part)
                if job[0] in systems and job[0] not in done]
        with Pool(2) as pool:
            rows = pool.map(fast.score, todo, chunksize=8)
        with open(folder / name, "a", newline="") as handle:
            csv.DictWriter(handle, fast.FIELDS).writerows(rows)
        print(f"{name}: {len(rows)} rows added")


if __name__ == "__main__":
    main()
