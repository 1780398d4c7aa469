"""Round 17's report (RULE.md): c17-snr15 minus its same-compute control, each minus the
round-15 model both started from, per source, then round 14's bundling rule.

    RUNS=runs/r17 sh experiments/2026-12-05-round15-gpu/score.sh c17-snr15 c17-snr30
    RUNS=runs/r17 sh experiments/2026-12-05-round15-gpu/score.sh soup-half soup-quarter
    python experiments/2026-12-05-round17-cpu/decide.py eval/devreal15 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round14 = load_decide("2026-12-05-round14-gpu")
round16 = load_decide("2026-12-05-round16-cpu")
table, paired, fmt, only = round14.table, round14.paired, round14.fmt, round16.only

PAIRS = [("c17-snr15", "c17-snr30"), ("c17-snr15", "same256-pairs"),
         ("c17-snr30", "same256-pairs"), ("soup-half", "same256-pairs"),
         ("soup-quarter", "same256-pairs")]
GROUPS = ["g722", "klettres", "fillets"]


def main() -> None:
    folder = Path(sys.argv[1])
    noisy = table(folder / "noisy-all-scores.csv")
    dnsmos = table(folder / "noisy-scores.csv")
    clean = table(folder / "clean-scores.csv")

    print("## Paired differences\n")
    print("| run - base | transparency PESQ-wb | in noise PESQ-wb | ESTOI | SI-SDR "
          "| SIG (40) | BAK (40) | OVRL (40) |")
    print("|---|---|---|---|---|---|---|---|")
    for arm, base in PAIRS:
        if arm not in noisy or arm not in dnsmos:
            continue
        cells = [fmt(paired(clean, base, arm, "pesq_wb")),
                 fmt(paired(noisy, base, arm, "pesq_wb")),
                 fmt(paired(noisy, base, arm, "estoi")),
                 fmt(paired(noisy, base, arm, "si_sdr"), 2),
                 *(fmt(paired(dnsmos, base, arm, k))
                   for k in ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl"))]
        print(f"| {arm} - {base} | " + " | ".join(cells) + " |")

    print("\n## Per source, c17-snr15 - c17-snr30: transparency PESQ-wb, in noise PESQ-wb, "
          "BAK, OVRL\n")
    print("| source | clean in | in noise | BAK | OVRL |")
    print("|---|---|---|---|---|")
    for g in GROUPS:
        arm, base = PAIRS[0]
        bak = paired(only(dnsmos, {g}), base, arm, "dnsmos_bak")
        ovrl = paired(only(dnsmos, {g}), base, arm, "dnsmos_ovrl")
        print(f"| {g} | {fmt(paired(only(clean, {g}), base, arm, 'pesq_wb'))} "
              f"| {fmt(paired(only(noisy, {g}), base, arm, 'pesq_wb'))} | {fmt(bak)} "
              f"| {fmt(ovrl)} (n={ovrl[2]}) |")
    print()

    round14.CANDIDATES[:] = ["c17-snr15", "c17-snr30",  # RULE.md
                             "soup-half", "soup-quarter"]  # RULE-soup.md
    round14.STARTS.clear()
    round14.main()  # bundling rule against the default, per source, all systems


if __name__ == "__main__":
    main()
