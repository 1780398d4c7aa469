"""Round 61's bundling rule (RULE.md) for `g61-norm` and `g61-norm-steps`, and the
prediction's comparisons against round 58's controls.

    RUNS=runs/r61 sh experiments/2026-12-06-round55-cpu/score.sh g61-norm g61-norm-steps
    python experiments/2026-12-06-round61-gpu/decide.py eval/devreal54 data/default \
        > experiments/2026-12-06-round61-gpu/decision.md
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round58 = load_decide("2026-12-06-round58-gpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
paired, fmt, subset = round13.paired, round13.fmt, round58.subset
DEFAULT, HIGH_SNR_DB = round58.DEFAULT, round58.HIGH_SNR_DB
# arm: (its control in round 58, its OVRL margin in clause 3)
ARMS = {"g61-norm": ("g58-ctl", -0.010), "g61-norm-steps": ("g58-steps", 0.0)}


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    clips = {Path(c["file"]).stem: c
             for c in json.loads((data / "devreal/manifest.json").read_text())["clips"]}
    clean_set = screen.clean_clips(data)
    acting = {n for n, c in clips.items() if c["group"] == "fillets"}
    high = {n for n, c in clips.items() if c["snr_db"] >= HIGH_SNR_DB}
    noisy, clean, dnsmos = round19.tables(folder)
    drops = {s: sum(noisy[s][f]["si_sdr_improvement"] < 0 for f in high) for s in noisy}

    passed = {}
    for arm, (control, ovrl_min) in ARMS.items():
        t_pesq = paired(clean, DEFAULT, arm, "pesq_wb")
        t_estoi = paired(clean, DEFAULT, arm, "estoi")
        c_estoi = paired(subset(clean, clean_set), DEFAULT, arm, "estoi")
        ovrl = paired(dnsmos, DEFAULT, arm, "dnsmos_ovrl")
        p808 = paired(dnsmos, DEFAULT, arm, "dnsmos_p808")
        n_pesq = paired(noisy, DEFAULT, arm, "pesq_wb")
        n_estoi = paired(noisy, DEFAULT, arm, "estoi")
        n_sisdr = paired(noisy, DEFAULT, arm, "si_sdr")
        clauses = [
            ("1. transparency PESQ-wb, all 120 >= +0.03, interval above zero; ESTOI >= 0",
             f"{fmt(t_pesq)}; {fmt(t_estoi)}",
             t_pesq[0] >= 0.03 and t_pesq[0] - t_pesq[1] > 0 and t_estoi[0] >= 0),
            ("2. transparency ESTOI on C (22) >= -0.005", fmt(c_estoi), c_estoi[0] >= -0.005),
            (f"3. DNSMOS OVRL >= {ovrl_min:+.3f} and P.808 >= -0.02",
             f"{fmt(ovrl)}; P.808 {fmt(p808)}", ovrl[0] >= ovrl_min and p808[0] >= -0.02),
            ("4. in noise PESQ-wb >= -0.02, ESTOI >= -0.005, SI-SDR >= -0.20 dB",
             f"{fmt(n_pesq)}; {fmt(n_estoi)}; {fmt(n_sisdr, 2)} dB",
             n_pesq[0] >= -0.02 and n_estoi[0] >= -0.005 and n_sisdr[0] >= -0.20),
            (f"5. SNR drops at 15-20 dB <= {drops[DEFAULT]}", str(drops[arm]),
             drops[arm] <= drops[DEFAULT]),
        ]
        print(f"# Round 61's rule: `{arm}` against the bundled default (paired over devreal)\n")
        print("| clause | measured | holds |")
        print("|---|---|---|")
        for label, value, ok in clauses:
            print(f"| {label} | {value} | {'yes' if ok else '**no**'} |")
        if all(ok for _, _, ok in clauses):
            passed[arm] = ovrl[0]
        print(f"\n## `{arm}` against its control `{control}` (the prediction)\n")
        print(f"| measure | `{arm}` minus `{control}` |")
        print("|---|---|")
        for label, scores, key in (
                ("transparency PESQ-wb, all 120", clean, "pesq_wb"),
                ("transparency PESQ-wb, voice acting (40)", subset(clean, acting), "pesq_wb"),
                ("transparency ESTOI, all 120", clean, "estoi"),
                ("transparency ESTOI, C", subset(clean, clean_set), "estoi"),
                ("DNSMOS OVRL", dnsmos, "dnsmos_ovrl"), ("DNSMOS BAK", dnsmos, "dnsmos_bak"),
                ("in noise PESQ-wb", noisy, "pesq_wb"), ("in noise SI-SDR", noisy, "si_sdr")):
            print(f"| {label} | {fmt(paired(scores, control, arm, key))} |")
        print(f"\nSNR drops: default {drops[DEFAULT]}, `{control}` {drops[control]}, "
              f"`{arm}` {drops[arm]}.\n")
    if passed:
        best = max(passed, key=passed.get)
        print(f"**Bundle `{best}`** (of the arms that pass, the higher OVRL).")
    else:
        print("**Nothing is bundled.**")


if __name__ == "__main__":
    main()
