"""Round 13's rule (RULE.md) applied to the score tables, and the paired tables of issue 27.

    python experiments/2026-12-05-round13-gpu/decide.py eval/devreal13 data/default/devreal

Reads noisy-all-scores.csv (intrusive, 120 clips), noisy-scores.csv (DNSMOS, 40 clips) and
clean-scores.csv (transparency) that recipes/default/evaluate_real.sh wrote.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

from scipy.stats import t

CANDIDATES = ["stage1", "direct-mal", "conventional", "mal-frozen", "mal-frozen-fe",
              "mal-dynamic", "deep-distillmos", "mal-frozen-levers2", "conventional-levers2"]
MAL = ["mal-frozen", "mal-frozen-fe", "mal-dynamic"]


def table(path: Path) -> dict[str, dict[str, dict[str, float]]]:
    """{system: {file: {metric: value}}}."""
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    with open(path, newline="") as handle:
        for row in csv.DictReader(handle):
            values = {}
            for key, value in row.items():
                try:
                    values[key] = float(value)
                except (TypeError, ValueError):
                    pass
            out[row["system"]][row["file"]] = values
    return out


def paired(scores: dict, base: str, other: str, key: str) -> tuple[float, float, int]:
    diffs = [scores[other][f][key] - scores[base][f][key] for f in scores[base]
             if f in scores[other] and key in scores[base][f] and key in scores[other][f]]
    diffs = [d for d in diffs if math.isfinite(d)]
    n = len(diffs)
    mean = sum(diffs) / n
    sd = math.sqrt(sum((d - mean) ** 2 for d in diffs) / (n - 1))
    return mean, t.ppf(0.975, n - 1) * sd / math.sqrt(n), n


def fmt(result: tuple[float, float, int], digits: int = 3) -> str:
    mean, ci, _ = result
    return f"{mean:+.{digits}f} ±{ci:.{digits}f}"


def snr_fell(scores: dict, manifest: Path, system: str) -> int:
    clips = json.loads(manifest.read_text())["clips"]
    high = {Path(c["file"]).stem for c in clips if c.get("snr_db", -99) >= 15}
    return sum(1 for f, v in scores[system].items()
               if f in high and v.get("si_sdr_improvement", 0.0) < 0)


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy = table(folder / "noisy-all-scores.csv")
    dnsmos = table(folder / "noisy-scores.csv")
    clean = table(folder / "clean-scores.csv")
    manifest = dev / "manifest.json"
    base_fell = snr_fell(noisy, manifest, "default")
    print("## Rule (each candidate minus the default, paired)\n")
    print("| candidate | transparency PESQ-wb | in noise PESQ-wb | ESTOI | DNSMOS OVRL (40) "
          f"| SNR fell (default {base_fell}) | passes |")
    print("|---|---|---|---|---|---|---|")
    passing = {}
    for name in CANDIDATES:
        tr = paired(clean, "default", name, "pesq_wb")
        pq = paired(noisy, "default", name, "pesq_wb")
        es = paired(noisy, "default", name, "estoi")
        ov = paired(dnsmos, "default", name, "dnsmos_ovrl")
        fell = snr_fell(noisy, manifest, name)
        ok = (tr[0] - tr[1] > 0 and pq[0] - pq[1] > 0 and ov[0] > -0.02 and es[0] > -0.005
              and fell <= base_fell)
        if ok:
            passing[name] = tr[0] + pq[0]
        print(f"| {name} | {fmt(tr)} | {fmt(pq)} | {fmt(es)} | {fmt(ov)} | {fell} "
              f"| {'yes' if ok else 'no'} |")
    best = max(passing, key=passing.get) if passing else None
    print(f"\nBundled by the rule: {best or 'none'}\n")

    print("## Issue 27: each stage-2 loss minus `conventional` (same start, data, steps)\n")
    metrics = [("pesq_wb", noisy, "PESQ-wb"), ("estoi", noisy, "ESTOI"),
               ("si_sdr", noisy, "SI-SDR"), ("dnsmos_sig", dnsmos, "SIG"),
               ("dnsmos_bak", dnsmos, "BAK"), ("dnsmos_ovrl", dnsmos, "OVRL"),
               ("pesq_wb", clean, "clean in: PESQ-wb"), ("estoi", clean, "clean in: ESTOI")]
    pairs = [("conventional", n) for n in [*MAL, "deep-distillmos"]]
    pairs.append(("conventional-levers2", "mal-frozen-levers2"))
    best_mal = max(MAL, key=lambda n: sum(noisy[n][f]["pesq_wb"] for f in noisy[n]))
    pairs.append(("deep-distillmos", best_mal))
    print("| pair | " + " | ".join(label for _, _, label in metrics) + " |")
    print("|---|" + "---|" * len(metrics))
    for base, other in pairs:
        cells = [fmt(paired(scores, base, other, key)) for key, scores, _ in metrics]
        print(f"| {other} - {base} | " + " | ".join(cells) + " |")
    print(f"\nBest MAL variant by in-noise PESQ-wb mean (chosen before its comparison with "
          f"the deep-feature loss was printed): {best_mal}")


if __name__ == "__main__":
    main()
