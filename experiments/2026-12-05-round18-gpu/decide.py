"""Round 18's report and rule (RULE.md): each run minus the same-compute `p-ctl`, per source,
then round 14's bundling rule against the default with DNSMOS OVRL over all 120 clips.

    sh experiments/2026-12-05-round18-gpu/score.sh
    python experiments/2026-12-05-round18-gpu/decide.py eval/devreal18 data/default/devreal

Reads round 15's tables (noisy-all-scores.csv, clean-scores.csv: PESQ-wb, ESTOI, SI-SDR on
120 clips; noisy-scores.csv: DNSMOS on round 13's 40) and dnsmos120.csv (DNSMOS alone on
every noisy clip, the peers re-run on them this session).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round14 = load_decide("2026-12-05-round14-gpu")
round16 = load_decide("2026-12-05-round16-cpu")
table, paired, fmt, only = round14.table, round14.paired, round14.fmt, round16.only
fell, mean, high_snr = round14.fell, round14.mean, round14.high_snr

CONTROL = "p-ctl"
RUNS = ["p-ctl", "p-res", "p-distill", "p-distill3", "p-distill-res"]  # the last: addendum 1
SOUPS = ["soup-" + run for run in RUNS]  # RULE.md: built only if no run passes
PEERS = round14.PEERS
GROUPS = ["g722", "klettres", "fillets"]
DNSMOS = ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl")


def rule(noisy: dict, clean: dict, d120: dict, high: set[str], names: list[str]) -> str | None:
    """Round 14's rule with OVRL over all 120 clips (RULE.md)."""
    return round14.rule(noisy, clean, d120, high, names, ovrl_label="OVRL (120)")


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy = table(folder / "noisy-all-scores.csv")
    clean = table(folder / "clean-scores.csv")
    d40 = table(folder / "noisy-scores.csv")
    d120 = table(folder / "dnsmos120.csv")
    d120["noisy-input"] = d120.pop("input")  # score.sh's name for the noisy input folder
    high = high_snr(dev / "manifest.json")
    runs = [r for r in RUNS if r in noisy and r in clean and r in d120]
    soups = [s for s in SOUPS if s in noisy and s in clean and s in d120]

    print(f"## Each run minus `{CONTROL}` (same compute), paired; DNSMOS on 120 clips\n")
    print("| run | transparency PESQ-wb | transparency ESTOI | in noise PESQ-wb | ESTOI "
          "| SI-SDR | SIG | BAK | OVRL |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in runs[1:] if runs and runs[0] == CONTROL else []:
        cells = [fmt(paired(clean, CONTROL, run, "pesq_wb")),
                 fmt(paired(clean, CONTROL, run, "estoi")),
                 fmt(paired(noisy, CONTROL, run, "pesq_wb")),
                 fmt(paired(noisy, CONTROL, run, "estoi")),
                 fmt(paired(noisy, CONTROL, run, "si_sdr"), 2),
                 *(fmt(paired(d120, CONTROL, run, k)) for k in DNSMOS)]
        print(f"| {run} | " + " | ".join(cells) + " |")

    print(f"\n## Per source, minus `{CONTROL}`: transparency PESQ-wb, in noise PESQ-wb, "
          "OVRL (120)\n")
    print("| run | " + " | ".join(f"{g}: clean in | {g}: in noise | {g}: OVRL" for g in GROUPS)
          + " |")
    print("|---|" + "---|" * (3 * len(GROUPS)))
    for run in runs[1:]:
        cells = []
        for g in GROUPS:
            cells += [fmt(paired(only(clean, {g}), CONTROL, run, "pesq_wb")),
                      fmt(paired(only(noisy, {g}), CONTROL, run, "pesq_wb")),
                      fmt(paired(only(d120, {g}), CONTROL, run, "dnsmos_ovrl"))]
        print(f"| {run} | " + " | ".join(cells) + " |")

    print("\n## Rule: each run minus the default, paired\n")
    rule(noisy, clean, d120, high, runs)
    if soups:
        print("## Rule: the soups (default + run, equal weights) minus the default\n")
        rule(noisy, clean, d120, high, soups)

    systems = ["default", *runs, *soups, *PEERS]
    print("## Per source: transparency PESQ-wb / ESTOI, in-noise PESQ-wb, OVRL (120), "
          "SNR fell\n")
    print("| system | " + " | ".join(f"{g}: clean in | {g}: in noise | {g}: OVRL | {g}: fell"
                                     for g in GROUPS) + " |")
    print("|---|" + "---|" * (4 * len(GROUPS)))
    for system in systems:
        cells = []
        for g in GROUPS:
            cells += [f"{mean(clean, system, 'pesq_wb', g):.2f} / "
                      f"{mean(clean, system, 'estoi', g):.3f}",
                      f"{mean(noisy, system, 'pesq_wb', g):.2f}",
                      f"{mean(d120, system, 'dnsmos_ovrl', g):.2f}",
                      str(fell(noisy, high, system, g))]
        print(f"| {system} | " + " | ".join(cells) + " |")

    print("\n## All systems (means; DNSMOS on 120 clips, OVRL on round 13's 40 beside it)\n")
    print("| system | PESQ-wb | ESTOI | SI-SDR | clean in: PESQ-wb / ESTOI | SIG | BAK | OVRL "
          "| OVRL (40) | SNR fell |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for system in ["noisy-input", *systems]:
        row = [f"{mean(noisy, system, 'pesq_wb'):.2f}", f"{mean(noisy, system, 'estoi'):.3f}",
               f"{mean(noisy, system, 'si_sdr'):.2f}"]
        row.append(f"{mean(clean, system, 'pesq_wb'):.2f} / {mean(clean, system, 'estoi'):.3f}"
                   if system in clean else "-")
        row += [f"{mean(d120, system, k):.2f}" for k in DNSMOS]
        row.append(f"{mean(d40, system, 'dnsmos_ovrl'):.2f}" if system in d40 else "-")
        row.append(str(fell(noisy, high, system)) if system != "noisy-input" else "-")
        print(f"| {system} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
