"""Round 51, addendum 1: DNSMOS P.835 OVRL and P.808 of the default's output on devreal's
clean references against the references themselves, paired, per source.

    python -m malenhance score data/default/devreal/clean eval/devreal18/clean/h-ovs05 \
        --dnsmos --jobs 2 -o eval/devreal18/clean-dnsmos.csv --quiet
    python experiments/2026-12-06-round51-analysis/clean_dnsmos.py eval/devreal18/clean-dnsmos.csv
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round16 = load_decide("2026-12-05-round16-cpu")
paired, fmt, only = round13.paired, round13.fmt, round16.only

GROUPS = ["g722", "klettres", "fillets"]


def main() -> None:
    scores = round13.table(Path(sys.argv[1]))
    print("| clean references: the default's output minus the reference | all 120 | "
          + " | ".join(GROUPS) + " |")
    print("|---|---|" + "---|" * len(GROUPS))
    for key, title in [("dnsmos_ovrl", "P.835 OVRL"), ("dnsmos_bak", "P.835 BAK"),
                       ("dnsmos_p808", "P.808")]:
        cells = [fmt(paired(scores, "clean", "h-ovs05", key))]
        cells += [fmt(paired(only(scores, {g}), "clean", "h-ovs05", key)) for g in GROUPS]
        print(f"| {title} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
