"""Round 52 (RULE.md): round 51's judges with `speech18-slow` beside `speech18`.

    python experiments/2026-12-06-round52-cpu/judge.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round51 = load_decide("2026-12-06-round51-analysis", "judge")
paired, fmt = round13.paired, round13.fmt

BASE, ARM = "speech18", "speech18-slow"


def main() -> None:
    evals, dev = Path(sys.argv[1]), Path(sys.argv[2])
    round51.OURS.append(ARM)
    cache = evals / "distillmos.csv"
    round51.score_missing(cache, {k: v for k, v in round51.folders(evals, dev).items()
                                  if k[1] in (BASE, ARM)})
    judged = round51.load(cache)
    p808 = round13.table(evals / "dnsmos120.csv")
    clean = round13.table(evals / "clean-scores.csv")
    noisy = round13.table(evals / "noisy-all-scores.csv")
    rows = [("DistillMOS, noisy clips", judged["noisy"], "distillmos"),
            ("DNSMOS P.835 OVRL", p808, "dnsmos_ovrl"), ("DNSMOS P.808", p808, "dnsmos_p808"),
            ("transparency PESQ-wb", clean, "pesq_wb"), ("transparency ESTOI", clean, "estoi"),
            ("in noise PESQ-wb", noisy, "pesq_wb"), ("in noise SI-SDR", noisy, "si_sdr"),
            ("DistillMOS, clean references", judged["clean"], "distillmos")]
    print(f"## `{ARM}` minus `{BASE}`, paired over devreal's 120 clips\n")
    print("| measure | minus speech18 |\n|---|---|")
    for title, table, key in rows:
        print(f"| {title} | {fmt(paired(table, BASE, ARM, key))} |")


if __name__ == "__main__":
    main()
