"""Round 58's bundling rule (RULE.md: round 56's, unchanged) for `g58-steps`.

    RUNS=runs/r58 sh experiments/2026-12-06-round55-cpu/score.sh g58-ctl g58-steps
    python experiments/2026-12-06-round58-gpu/decide.py eval/devreal54 data/default \
        > experiments/2026-12-06-round58-gpu/decision.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
paired, fmt, table = round13.paired, round13.fmt, round13.table

ARM, CONTROL, DEFAULT = "g58-steps", "g58-ctl", "default"
HIGH_SNR_DB = 15.0


def subset(scores: dict, files: set[str]) -> dict:
    return {s: {f: v for f, v in rows.items() if f in files} for s, rows in scores.items()}


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    clips = {Path(c["file"]).stem: c
             for c in json.loads((data / "devreal/manifest.json").read_text())["clips"]}
    clean_set = screen.clean_clips(data)
    volunteers = {n for n, c in clips.items() if c["group"] == "klettres"}
    high = {n for n, c in clips.items() if c["snr_db"] >= HIGH_SNR_DB}
    noisy = table(folder / "noisy-all-scores.csv")
    clean = table(folder / "clean-scores.csv")
    dnsmos = table(folder / "dnsmos120.csv")

    c_estoi = paired(subset(clean, clean_set), DEFAULT, ARM, "estoi")
    all_pesq = paired(clean, DEFAULT, ARM, "pesq_wb")
    ovrl = paired(dnsmos, DEFAULT, ARM, "dnsmos_ovrl")
    p808 = paired(dnsmos, DEFAULT, ARM, "dnsmos_p808")
    n_pesq = paired(noisy, DEFAULT, ARM, "pesq_wb")
    n_estoi = paired(noisy, DEFAULT, ARM, "estoi")
    n_sisdr = paired(noisy, DEFAULT, ARM, "si_sdr")
    drops = {s: sum(noisy[s][f]["si_sdr_improvement"] < 0 for f in high)
             for s in (DEFAULT, CONTROL, ARM)}
    vol = paired(subset(clean, volunteers), CONTROL, ARM, "estoi")
    clauses = [
        ("1. transparency ESTOI on C (22) >= +0.010, interval above zero", fmt(c_estoi),
         c_estoi[0] >= 0.010 and c_estoi[0] - c_estoi[1] > 0),
        ("2. transparency PESQ-wb, all 120 >= -0.03", fmt(all_pesq), all_pesq[0] >= -0.03),
        ("3. DNSMOS OVRL >= -0.010 and P.808 >= -0.02", f"{fmt(ovrl)}; P.808 {fmt(p808)}",
         ovrl[0] >= -0.010 and p808[0] >= -0.02),
        ("4. in noise PESQ-wb >= -0.02, ESTOI >= -0.005, SI-SDR >= -0.20 dB",
         f"{fmt(n_pesq)}; {fmt(n_estoi)}; {fmt(n_sisdr, 2)} dB",
         n_pesq[0] >= -0.02 and n_estoi[0] >= -0.005 and n_sisdr[0] >= -0.20),
        (f"5. SNR drops at 15-20 dB <= {drops[DEFAULT]}", str(drops[ARM]),
         drops[ARM] <= drops[DEFAULT]),
        ("6. against `g58-ctl`: volunteers' transparency ESTOI >= +0.010", fmt(vol),
         vol[0] >= 0.010),
    ]
    print(f"# Round 58's rule: `{ARM}` against the bundled default (paired over devreal)\n")
    print("| clause | measured | holds |")
    print("|---|---|---|")
    for label, value, ok in clauses:
        print(f"| {label} | {value} | {'yes' if ok else '**no**'} |")
    passes = all(ok for _, _, ok in clauses)
    print(f"\n**{'Bundle `' + ARM + '`' if passes else 'Nothing is bundled'}.** "
          f"SNR drops: default {drops[DEFAULT]}, `{CONTROL}` {drops[CONTROL]}, "
          f"`{ARM}` {drops[ARM]}.")
    print(f"\n## `{CONTROL}` against the default (the same clauses, for reading only)\n")
    print("| measure | `g58-ctl` minus default |")
    print("|---|---|")
    for label, scores, key in (
            ("transparency ESTOI, C", subset(clean, clean_set), "estoi"),
            ("transparency PESQ-wb, all", clean, "pesq_wb"),
            ("DNSMOS OVRL", dnsmos, "dnsmos_ovrl"), ("DNSMOS P.808", dnsmos, "dnsmos_p808"),
            ("in noise PESQ-wb", noisy, "pesq_wb"), ("in noise SI-SDR", noisy, "si_sdr")):
        print(f"| {label} | {fmt(paired(scores, DEFAULT, CONTROL, key))} |")


if __name__ == "__main__":
    main()
