"""Markdown tables for models.md / README.md from `malenhance score` outputs.

    python recipes/default/report.py eval/dev/scores.csv [--consistency eval/dev]
    python recipes/default/report.py eval/devreal/noisy-scores.csv \
        --transparency eval/devreal/clean-scores.csv --manifest data/default/devreal/manifest.json

Every number is a mean over the files of the per-file table that `malenhance score`
wrote (with its 95 % confidence half-width for the headline metrics); nothing is typed
in by hand.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
from collections import defaultdict
from pathlib import Path

from scipy.stats import t

COLUMNS = [
    ("pesq_wb", "PESQ-wb", 2),
    ("pesq_nb", "PESQ-nb", 2),
    ("estoi", "ESTOI", 3),
    ("si_sdr", "SI-SDR", 2),
    ("csig", "CSIG", 2),
    ("cbak", "CBAK", 2),
    ("covl", "COVL", 2),
    ("dnsmos_sig", "SIG", 2),
    ("dnsmos_bak", "BAK", 2),
    ("dnsmos_ovrl", "OVRL", 2),
]
WITH_CI = {"pesq_wb", "pesq_nb", "si_sdr", "dnsmos_ovrl"}


def mean_ci(values: list[float]) -> tuple[float, float]:
    data = [v for v in values if math.isfinite(v)]
    if not data:
        return math.nan, math.nan
    mean = sum(data) / len(data)
    if len(data) < 2:
        return mean, math.nan
    var = sum((v - mean) ** 2 for v in data) / (len(data) - 1)
    return mean, float(t.ppf(0.975, len(data) - 1) * math.sqrt(var / len(data)))


def read_rows(paths: Path | list[Path]) -> list[dict[str, str]]:
    """Rows of one or more score tables; with several, file names are prefixed by the table's
    position (``0:NAME``), so two development sets pool into one without name clashes."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    rows = []
    for i, path in enumerate(paths):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("error"):
                    continue
                if len(paths) > 1:
                    row["file"] = f"{i}:{row['file']}"
                rows.append(row)
    return rows


def read(path: Path | list[Path], common_only: bool = True) -> dict[str, dict[str, list[float]]]:
    """Per system and column, the values of the files that every system scored."""
    rows = read_rows(path)
    files: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        files[row["system"]].add(row["file"])
    common = set.intersection(*files.values()) if files and common_only else None
    table: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if common is not None and row["file"] not in common:
            continue
        for key, value in row.items():
            try:
                table[row["system"]][key].append(float(value))
            except (TypeError, ValueError):
                pass
    return table


def consistency(folder: Path, system: str) -> str:
    path = folder / f"consistency-{system}.csv"
    if not path.exists():
        return ""
    values = read(path).get(system) or next(iter(read(path).values()), {})
    mean, _ = mean_ci(values.get("consistency_si_sdr", []))
    return f"{mean:.1f}" if math.isfinite(mean) else ""


def transparency(path: Path, system: str) -> list[str]:
    """PESQ-wb and ESTOI of a system's output of clean speech against that speech itself."""
    values = read(path).get(system, {})
    cells = []
    for key, digits in (("pesq_wb", 2), ("estoi", 3)):
        mean, ci = mean_ci(values.get(key, []))
        cells.append(f"{mean:.{digits}f} ±{ci:.{digits}f}" if math.isfinite(mean) else "-")
    return cells


def snr_drops(path: Path, manifest: Path, low_db: float = 15.0) -> dict[str, tuple[int, int]]:
    """Per system: (clips whose SI-SDR fell below the noisy input's, clips) among the clips
    mixed at ``low_db`` dB SNR or more."""
    clips = json.loads(manifest.read_text())["clips"]
    high = {Path(c["file"]).stem for c in clips if c.get("snr_db", -99) >= low_db}
    out: dict[str, tuple[int, int]] = {}
    for row in read_rows(path):
        if Path(row["file"]).stem not in high or not row.get("si_sdr_improvement"):
            continue
        fell, total = out.get(row["system"], (0, 0))
        out[row["system"]] = (fell + (float(row["si_sdr_improvement"]) < 0), total + 1)
    return out


def print_paired(path: Path | list[Path], base: str, other: str) -> None:
    """Per metric: mean of (other - base) over the files both scored, with its 95 % CI."""
    rows = read_rows(path)
    by_file: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for row in rows:
        by_file[row["file"]][row["system"]] = row
    print(f"| metric | {other} - {base} (mean ±95 % CI) | files |")
    print("|---|---|---|")
    for key, label, digits in COLUMNS:
        if not any(row.get(key) for row in rows):
            continue
        diffs = []
        for systems in by_file.values():
            if base in systems and other in systems:
                try:
                    diffs.append(float(systems[other][key]) - float(systems[base][key]))
                except (TypeError, ValueError):
                    pass
        mean, ci = mean_ci(diffs)
        print(f"| {label} | {mean:+.{digits + 1}f} ±{ci:.{digits + 1}f} | {len(diffs)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scores", type=Path, nargs="+",
                        help="score tables; several are pooled (their files kept apart)")
    parser.add_argument("--consistency", type=Path, help="folder of consistency-*.csv")
    parser.add_argument("--systems", nargs="*", help="rows to print, in order")
    parser.add_argument("--transparency", type=Path,
                        help="scores of each system's output of the clean references")
    parser.add_argument("--manifest", type=Path,
                        help="dev manifest.json: count SNR drops among inputs at >= 15 dB")
    parser.add_argument("--paired", nargs=2, metavar=("A", "B"),
                        help="print the paired differences B - A per metric instead")
    args = parser.parse_args()
    if args.paired:
        print_paired(args.scores, *args.paired)
        return
    table = read(args.scores)
    systems = args.systems or list(table)
    columns = [c for c in COLUMNS if any(table[s].get(c[0]) for s in systems)]
    header = ["system", *(label for _, label, _ in columns)]
    if args.consistency:
        header.append("consistency SI-SDR")
    if args.transparency:
        header += ["clean in: PESQ-wb", "clean in: ESTOI"]
    drops = snr_drops(args.scores[0], args.manifest) if args.manifest else {}
    if args.manifest:
        header.append("SNR fell (>= 15 dB in)")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for system in systems:
        cells = [system.removeprefix("peer-")]
        for key, _, digits in columns:
            mean, ci = mean_ci(table[system].get(key, []))
            cell = f"{mean:.{digits}f}" if math.isfinite(mean) else "-"
            if key in WITH_CI and math.isfinite(ci):
                cell += f" ±{ci:.{digits}f}"
            cells.append(cell)
        if args.consistency:
            cells.append(consistency(args.consistency, system))
        if args.transparency:
            cells += transparency(args.transparency, system)
        if args.manifest:
            fell, total = drops.get(system, (0, 0))
            cells.append(f"{fell}/{total}" if total else "-")
        print("| " + " | ".join(cells) + " |")
    count = max(len(v.get("si_sdr", [])) for v in table.values())
    print(f"\n{count} files; ± is the 95 % confidence half-width of the mean.")


if __name__ == "__main__":
    main()
