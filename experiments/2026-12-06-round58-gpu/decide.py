"""Round 58's bundling rule (RULE.md: round 56's, unchanged) for `g58-steps`.

    RUNS=runs/r58 sh experiments/2026-12-06-round55-cpu/score.sh g58-ctl g58-steps
    python experiments/2026-12-06-round58-gpu/decide.py eval/devreal54 data/default \
        > experiments/2026-12-06-round58-gpu/decision.md

Round 59 passes its arm, the control and its OVRL margin (RULE.md there):
    python experiments/2026-12-06-round58-gpu/decide.py eval/devreal54 data/default \
        g59-steps-res2 g58-ctl 0.0
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

DEFAULT = "default"
HIGH_SNR_DB = 15.0


def subset(scores: dict, files: set[str]) -> dict:
    return {s: {f: v for f, v in rows.items() if f in files} for s, rows in scores.items()}


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    arm, control = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("g58-steps", "g58-ctl")
    ovrl_min = float(sys.argv[5]) if len(sys.argv) > 5 else -0.010
    clips = {Path(c["file"]).stem: c
             for c in json.loads((data / "devreal/manifest.json").read_text())["clips"]}
    clean_set = screen.clean_clips(data)
    volunteers = {n for n, c in clips.items() if c["group"] == "klettres"}
    high = {n for n, c in clips.items() if c["snr_db"] >= HIGH_SNR_DB}
    noisy, clean, dnsmos = round19.tables(folder)

    c_estoi = paired(subset(clean, clean_set), DEFAULT, arm, "estoi")
    all_pesq = paired(clean, DEFAULT, arm, "pesq_wb")
    ovrl = paired(dnsmos, DEFAULT, arm, "dnsmos_ovrl")
    p808 = paired(dnsmos, DEFAULT, arm, "dnsmos_p808")
    n_pesq = paired(noisy, DEFAULT, arm, "pesq_wb")
    n_estoi = paired(noisy, DEFAULT, arm, "estoi")
    n_sisdr = paired(noisy, DEFAULT, arm, "si_sdr")
    drops = {s: sum(noisy[s][f]["si_sdr_improvement"] < 0 for f in high)
             for s in (DEFAULT, control, arm)}
    vol = paired(subset(clean, volunteers), control, arm, "estoi")
    clauses = [
        ("1. transparency ESTOI on C (22) >= +0.010, interval above zero", fmt(c_estoi),
         c_estoi[0] >= 0.010 and c_estoi[0] - c_estoi[1] > 0),
        ("2. transparency PESQ-wb, all 120 >= -0.03", fmt(all_pesq), all_pesq[0] >= -0.03),
        (f"3. DNSMOS OVRL >= {ovrl_min:+.3f} and P.808 >= -0.02",
         f"{fmt(ovrl)}; P.808 {fmt(p808)}", ovrl[0] >= ovrl_min and p808[0] >= -0.02),
        ("4. in noise PESQ-wb >= -0.02, ESTOI >= -0.005, SI-SDR >= -0.20 dB",
         f"{fmt(n_pesq)}; {fmt(n_estoi)}; {fmt(n_sisdr, 2)} dB",
         n_pesq[0] >= -0.02 and n_estoi[0] >= -0.005 and n_sisdr[0] >= -0.20),
        (f"5. SNR drops at 15-20 dB <= {drops[DEFAULT]}", str(drops[arm]),
         drops[arm] <= drops[DEFAULT]),
        (f"6. against `{control}`: volunteers' transparency ESTOI >= +0.010", fmt(vol),
         vol[0] >= 0.010),
    ]
    round_name = "Round 58's rule" if len(sys.argv) <= 4 else "Round 59's rule"
    print(f"# {round_name}: `{arm}` against the bundled default (paired over devreal)\n")
    print("| clause | measured | holds |")
    print("|---|---|---|")
    for label, value, ok in clauses:
        print(f"| {label} | {value} | {'yes' if ok else '**no**'} |")
    passes = all(ok for _, _, ok in clauses)
    print(f"\n**{'Bundle `' + arm + '`' if passes else 'Nothing is bundled'}.** "
          f"SNR drops: default {drops[DEFAULT]}, `{control}` {drops[control]}, "
          f"`{arm}` {drops[arm]}.")
    print(f"\n## `{control}` against the default (the same clauses, for reading only)\n")
    print(f"| measure | `{control}` minus default |")
    print("|---|---|")
    for label, scores, key in (
            ("transparency ESTOI, C", subset(clean, clean_set), "estoi"),
            ("transparency PESQ-wb, all", clean, "pesq_wb"),
            ("DNSMOS OVRL", dnsmos, "dnsmos_ovrl"), ("DNSMOS P.808", dnsmos, "dnsmos_p808"),
            ("in noise PESQ-wb", noisy, "pesq_wb"), ("in noise SI-SDR", noisy, "si_sdr")):
        print(f"| {label} | {fmt(paired(scores, DEFAULT, control, key))} |")


if __name__ == "__main__":
    main()
