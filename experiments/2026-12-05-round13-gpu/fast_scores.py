"""PESQ-wb, ESTOI and SI-SDR only, for round 13's 15 systems x 120 clips x 2 passes.

`malenhance score` computes every intrusive metric (the composite measures too) and took
~3.5 s of CPU per file and system on this shared 2-core machine: over an hour for this round.
The rule needs three metrics; this computes them with the same functions
(malenhance.scoring.metrics: the pesq and pystoi packages, the same alignment) and writes
tables that decide.py and recipes/default/report.py read.

    python experiments/2026-12-05-round13-gpu/fast_scores.py eval/devreal13 data/default/devreal
"""

from __future__ import annotations

import csv
import sys
from multiprocessing import Pool
from pathlib import Path

import soundfile as sf

from malenhance.errors import MetricError
from malenhance.scoring.metrics import align, pesq_score, si_sdr, stoi_score

FIELDS = ["system", "file", "pesq_wb", "estoi", "si_sdr", "si_sdr_improvement"]


def score(job: tuple[str, str, str, str | None]) -> dict:
    system, estimate_path, reference_path, noisy_path = job
    reference, rate = sf.read(reference_path, dtype="float64")
    estimate, estimate_rate = sf.read(estimate_path, dtype="float64")
    ref, est, rate, _ = align(reference, rate, estimate, estimate_rate)
    row = {"system": system, "file": Path(estimate_path).stem}
    for name, compute in (("pesq_wb", lambda: pesq_score(ref, est, rate, "wb")),
                          ("estoi", lambda: stoi_score(ref, est, rate, extended=True)),
                          ("si_sdr", lambda: si_sdr(est, ref))):
        try:
            row[name] = compute()
        except MetricError:
            row[name] = float("nan")
    if noisy_path:
        noisy, noisy_rate = sf.read(noisy_path, dtype="float64")
        ref_n, noisy_aligned, _, _ = align(reference, rate, noisy, noisy_rate)
        row["si_sdr_improvement"] = row["si_sdr"] - si_sdr(noisy_aligned, ref_n)
    return row


def jobs(folder: Path, dev: Path, part: str) -> list[tuple[str, str, str, str | None]]:
    out = []
    systems = sorted(p for p in (folder / part).iterdir() if p.is_dir())
    if part == "noisy":
        systems.append(dev / "noisy")  # the noisy input itself
    for system in systems:
        name = "noisy-input" if system == dev / "noisy" else system.name
        for estimate in sorted(system.glob("*.wav")):
            noisy = str(dev / "noisy" / estimate.name) if part == "noisy" else None
            out.append((name, str(estimate), str(dev / "clean" / estimate.name), noisy))
    return out


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    for part, name in (("noisy", "noisy-all-scores.csv"), ("clean", "clean-scores.csv")):
        with Pool(2) as pool:
            rows = pool.map(score, jobs(folder, dev, part), chunksize=8)
        with open(folder / name, "w", newline="") as handle:
            writer = csv.DictWriter(handle, FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        print(f"{name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
