"""Is the rebuilt devreal the one round 13 scored? (RULE.md, addendum 3)

    python experiments/2026-12-05-round15-gpu/check_rebuild.py eval/devreal15 \
        experiments/2026-12-05-round13-gpu data/default/devreal

Model-free check first: the noisy inputs' PESQ-wb and ESTOI against the clean references on
round 13's 40 DNSMOS clips must match its committed rows (exit 1 otherwise). Then the
default's fresh per-clip scores against round 13's, reported: the same weights give outputs
that differ at float precision from one machine to another (a few clips of 120 move by
1e-4 in SI-SDR, and PESQ, which is not continuous, can jump on such a clip).
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

import soundfile as sf

from malenhance.scoring import metrics

METRICS = ("pesq_wb", "estoi", "si_sdr")
TOLERANCE = 1e-4


def rows(handle, system: str) -> dict[str, dict[str, str]]:
    return {r["file"]: r for r in csv.DictReader(handle) if r["system"] == system}


def committed(folder: Path, table: str, system: str) -> dict[str, dict[str, str]]:
    with gzip.open(folder / f"devreal-{table}.gz", "rt", newline="") as handle:
        return rows(handle, system)


def main() -> None:
    fresh_dir, committed_dir, dev = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    worst = 0.0
    inputs = committed(committed_dir, "noisy-scores.csv", "noisy-input")
    for name, row in inputs.items():
        clean, rate = sf.read(dev / "clean" / f"{name}.wav")
        noisy, _ = sf.read(dev / "noisy" / f"{name}.wav")
        pesq = metrics.pesq_score(clean, noisy, rate, mode="wb")
        estoi = metrics.stoi_score(clean, noisy, rate, extended=True)
        worst = max(worst, abs(pesq - float(row["pesq_wb"])), abs(estoi - float(row["estoi"])))
    print(f"noisy inputs ({len(inputs)} clips): largest PESQ-wb / ESTOI difference {worst:.1e}")
    if worst > TOLERANCE:
        sys.exit("the rebuilt devreal differs from round 13's")
    for table in ("noisy-all-scores.csv", "clean-scores.csv"):
        with open(fresh_dir / table, newline="") as handle:
            fresh = rows(handle, "default")
        before = committed(committed_dir, table, "default")
        if set(fresh) != set(before):
            sys.exit(f"{table}: the clips differ from round 13's")
        for metric in METRICS:
            diffs = [float(fresh[k][metric]) - float(r[metric]) for k, r in before.items()]
            moved = sum(abs(d) > TOLERANCE for d in diffs)
            print(f"{table} default {metric}: {moved} of {len(diffs)} clips differ from round "
                  f"13's, by at most {max(map(abs, diffs)):.1e}, mean shift "
                  f"{sum(diffs) / len(diffs):+.4f}")


if __name__ == "__main__":
    main()
