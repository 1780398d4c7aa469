"""Round 58, afterwards (descriptive, after the decision): DistillMOS, the third judge of
round 51, on the 120 noisy clips for the default and both runs, paired.

    python experiments/2026-12-06-round58-gpu/judge.py eval/devreal54 \
        > experiments/2026-12-06-round58-gpu/judge.md

Scores are cached in eval/devreal54/distillmos.csv (round 51's format). DistillMOS is not
independent of these models: its features are in their training loss (round 18 on).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

judge = load_decide("2026-12-06-round51-analysis", "judge")
round13 = load_decide("2026-12-05-round13-gpu")

SYSTEMS = ["default", "g58-ctl", "g58-steps"]


def main() -> None:
    evals = Path(sys.argv[1])
    cache = evals / "distillmos.csv"
    judge.score_missing(cache, {("noisy", s): evals / "noisy" / s for s in SYSTEMS})
    scores = judge.load(cache)["noisy"]
    dnsmos = round13.table(evals / "dnsmos120.csv")
    print("# Round 58, afterwards: three judges on the 120 noisy clips\n")
    print("| judge | default | `g58-ctl` minus default | `g58-steps` minus default "
          "| `g58-steps` minus `g58-ctl` |")
    print("|---|---|---|---|---|")
    for label, table, key in (("DNSMOS P.835 OVRL", dnsmos, "dnsmos_ovrl"),
                              ("DNSMOS P.808", dnsmos, "dnsmos_p808"),
                              ("DistillMOS", scores, "distillmos")):
        base = judge.mean(table, "default", key)
        cells = [round13.fmt(round13.paired(table, a, b, key)) for a, b in
                 (("default", "g58-ctl"), ("default", "g58-steps"), ("g58-ctl", "g58-steps"))]
        print(f"| {label} | {base:.3f} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
