"""Round 15's report (RULE.md): each run minus the same-compute `same256`, per source, then
round 14's bundling rule against the default.

    python experiments/2026-12-05-round15-gpu/decide.py eval/devreal15 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round14 = load_decide("2026-12-05-round14-gpu")
round16 = load_decide("2026-12-05-round16-cpu")
table, paired, fmt, only = round14.table, round14.paired, round14.fmt, round16.only

CONTROL = "same256"
ARMS = ["wide384", "wide384-clean", "same256-pairs",  # RULE.md
        "wide384-clean-pairs", "same256-clean-pairs", "same256-clean"]  # addendum 4
GROUPS = ["g722", "klettres", "fillets"]


def main() -> None:
    folder = Path(sys.argv[1])
    noisy = table(folder / "noisy-all-scores.csv")
    dnsmos = table(folder / "noisy-scores.csv")
    clean = table(folder / "clean-scores.csv")

    print(f"## Each run minus `{CONTROL}` (same compute), paired\n")
    print("| run | transparency PESQ-wb | transparency ESTOI | in noise PESQ-wb | ESTOI | SI-SDR "
          "| SIG (40) | BAK (40) | OVRL (40) |")
    print("|---|---|---|---|---|---|---|---|---|")
    arms = [a for a in ARMS if a in noisy and a in clean and a in dnsmos]
    for arm in arms:
        cells = [fmt(paired(clean, CONTROL, arm, "pesq_wb")),
                 fmt(paired(clean, CONTROL, arm, "estoi")),
                 fmt(paired(noisy, CONTROL, arm, "pesq_wb")),
                 fmt(paired(noisy, CONTROL, arm, "estoi")),
                 fmt(paired(noisy, CONTROL, arm, "si_sdr"), 2),
                 *(fmt(paired(dnsmos, CONTROL, arm, k))
                   for k in ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl"))]
        print(f"| {arm} | " + " | ".join(cells) + " |")

    print(f"\n## Per source, minus `{CONTROL}`: transparency PESQ-wb, in noise PESQ-wb, OVRL\n")
    print("| run | " + " | ".join(f"{g}: clean in | {g}: in noise | {g}: OVRL" for g in GROUPS)
          + " |")
    print("|---|" + "---|" * (3 * len(GROUPS)))
    for arm in arms:
        cells = []
        for g in GROUPS:
            ov = paired(only(dnsmos, {g}), CONTROL, arm, "dnsmos_ovrl")
            cells += [fmt(paired(only(clean, {g}), CONTROL, arm, "pesq_wb")),
                      fmt(paired(only(noisy, {g}), CONTROL, arm, "pesq_wb")),
                      f"{fmt(ov)} (n={ov[2]})"]
        print(f"| {arm} | " + " | ".join(cells) + " |")
    print()

    round14.CANDIDATES[:] = [CONTROL, *ARMS]
    round14.STARTS.clear()
    round14.main()  # bundling rule against the default (every run started from it), per source


if __name__ == "__main__":
    main()
