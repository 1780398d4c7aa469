"""Round 63 (RULE.md): the default with --speech-lim beside `g58-steps`, and the rule's
dominance test (no measure worse than `g58-steps` by more than 0.005, SI-SDR 0.05 dB).

    python experiments/2026-12-06-round63-analysis/compare.py eval/devreal54 data/default \
        > experiments/2026-12-06-round63-analysis/compare.md
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round58 = load_decide("2026-12-06-round58-gpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
paired, fmt, subset = round13.paired, round13.fmt, round58.subset

STEPS = "g58-steps"
LIMITS = ["default-sl30", "default-sl36"]
ADDENDUM = "g58-steps-sl30"  # RULE.md's addendum


def main() -> None:
    folder, data = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, dnsmos = round19.tables(folder)
    clean_c = subset(clean, screen.clean_clips(data))
    # (label, table, key, how much worse than g58-steps still counts as at least as good)
    measures = [("transparency PESQ-wb, all 120", clean, "pesq_wb", 0.005),
                ("transparency ESTOI, C (22)", clean_c, "estoi", 0.005),
                ("DNSMOS OVRL", dnsmos, "dnsmos_ovrl", 0.005),
                ("in noise PESQ-wb", noisy, "pesq_wb", 0.005),
                ("in noise ESTOI", noisy, "estoi", 0.005),
                ("in noise SI-SDR (dB)", noisy, "si_sdr", 0.05)]
    systems = ["default", STEPS, *LIMITS]
    print("| measure | " + " | ".join(f"`{s}`" for s in systems)
          + " | " + " | ".join(f"`{s}` minus `{STEPS}`" for s in LIMITS) + " |")
    print("|---" * (len(systems) + len(LIMITS) + 1) + "|")
    worse = {s: [] for s in LIMITS}
    for label, table, key, slack in measures:
        means = [sum(v[key] for v in table[s].values()) / len(table[s]) for s in systems]
        diffs = [paired(table, STEPS, s, key) for s in LIMITS]
        for s, d in zip(LIMITS, diffs, strict=True):
            if d[0] < -slack:
                worse[s].append(label)
        print(f"| {label} | " + " | ".join(f"{m:.3f}" for m in means) + " | "
              + " | ".join(fmt(d) for d in diffs) + " |")
    print()
    for s in LIMITS:
        verdict = ("at least as good on every measure: `g58-steps` is dominated"
                   if not worse[s] else "worse on " + ", ".join(worse[s]))
        print(f"- `{s}`: {verdict}.")
    if ADDENDUM not in noisy:
        return
    print(f"\n## Addendum: `{ADDENDUM}` beside `default-sl30`\n")
    print(f"| measure | `default-sl30` | `{ADDENDUM}` | minus `default-sl30` |")
    print("|---|---|---|---|")
    for label, table, key, _ in measures:
        means = [sum(v[key] for v in table[s].values()) / len(table[s])
                 for s in ("default-sl30", ADDENDUM)]
        print(f"| {label} | {means[0]:.3f} | {means[1]:.3f} "
              f"| {fmt(paired(table, 'default-sl30', ADDENDUM, key))} |")


if __name__ == "__main__":
    main()
