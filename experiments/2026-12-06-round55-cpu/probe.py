"""Round 55 (RULE.md): `c55-steps` minus `c55-ctl` on devreal, paired, with the default beside.

    python experiments/2026-12-06-round55-cpu/probe.py eval/devreal54 data/default \
        > experiments/2026-12-06-round55-cpu/probe.md

Round 56 reuses it with two more arguments, the control and the arm (``default`` may be either).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
paired, fmt = round13.paired, round13.fmt

BASE, ARM = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("c55-ctl", "c55-steps")
HIGH_SNR_DB = 15.0


def subset(scores: dict, files: set[str]) -> dict:
    return {s: {f: v for f, v in rows.items() if f in files} for s, rows in scores.items()}


def mean(scores: dict, system: str, key: str) -> float:
    values = [v[key] for v in scores[system].values()]
    return sum(values) / len(values)


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    clips = json.loads((data / "devreal/manifest.json").read_text())["clips"]
    names = {Path(c["file"]).stem: c for c in clips}
    clean_set = screen.clean_clips(data)
    klettres = {n for n, c in names.items() if c["group"] == "klettres"}
    high = {n for n, c in names.items() if c["snr_db"] >= HIGH_SNR_DB}
    noisy, clean, dnsmos = round19.tables(folder)

    print(f"# `{ARM}` minus `{BASE}` (paired, 95 % half-widths)\n")
    print(f"| measure | n | minus {BASE} | {BASE} | {ARM} | default |")
    print("|---|---|---|---|---|---|")
    rows = [
        ("transparency ESTOI, klettres", subset(clean, klettres), "estoi"),
        ("transparency ESTOI, C (clean screen)", subset(clean, clean_set), "estoi"),
        ("transparency PESQ-wb, C", subset(clean, clean_set), "pesq_wb"),
        ("transparency ESTOI, all", clean, "estoi"),
        ("transparency PESQ-wb, all", clean, "pesq_wb"),
        ("transparency PESQ-wb, klettres", subset(clean, klettres), "pesq_wb"),
        ("in noise PESQ-wb", noisy, "pesq_wb"),
        ("in noise ESTOI", noisy, "estoi"),
        ("in noise SI-SDR (dB)", noisy, "si_sdr"),
        ("DNSMOS OVRL (120 noisy)", dnsmos, "dnsmos_ovrl"),
        ("DNSMOS SIG", dnsmos, "dnsmos_sig"),
        ("DNSMOS BAK", dnsmos, "dnsmos_bak"),
        ("DNSMOS P.808", dnsmos, "dnsmos_p808"),
    ]
    for label, scores, key in rows:
        diff = paired(scores, BASE, ARM, key)
        print(f"| {label} | {diff[2]} | {fmt(diff)} | {mean(scores, BASE, key):.3f} "
              f"| {mean(scores, ARM, key):.3f} | {mean(scores, 'default', key):.3f} |")
    drops = {s: sum(noisy[s][f]["si_sdr_improvement"] < 0 for f in high)
             for s in (BASE, ARM, "default")}
    print(f"\nSNR drops at 15-20 dB ({len(high)} clips): " +
          ", ".join(f"{s} {n}" for s, n in drops.items()))
    print("\nPer source, transparency ESTOI / in-noise OVRL, steps minus control:\n")
    print("| source | transparency ESTOI | transparency PESQ-wb | OVRL |")
    print("|---|---|---|---|")
    for group in ("g722", "klettres", "fillets"):
        files = {n for n, c in names.items() if c["group"] == group}
        print(f"| {group} | {fmt(paired(subset(clean, files), BASE, ARM, 'estoi'))} "
              f"| {fmt(paired(subset(clean, files), BASE, ARM, 'pesq_wb'))} "
              f"| {fmt(paired(subset(dnsmos, files), BASE, ARM, 'dnsmos_ovrl'))} |")


if __name__ == "__main__":
    main()
