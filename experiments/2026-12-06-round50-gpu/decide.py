"""Round 50's rule (RULE.md): round 46's rule (round 32's, unchanged) on round 46's fresh
model with 6000 more stage-1 steps at 4x the batch, then its stage 2.

    RUNS=runs/r50 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        big-s1 big big-more big-conv
    python experiments/2026-12-05-round32-gpu/devfull.py eval/devfull32 \
        big-s1=runs/r50/big-s1 big=runs/r50/big big-more=runs/r50/big-more \
        big-conv=runs/r50/big-conv
    python experiments/2026-12-06-round50-gpu/decide.py eval/devreal18 eval/devfull32 \
        data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
round32 = load_decide("2026-12-05-round32-gpu")

BUNDLED = round32.BUNDLED
REPORTED = ["fresh-s1", "fresh", "big-s1", "big-conv"]  # not candidates (addendum 1: big-conv)
CANDIDATES = ["big", "big-more"]
TITLE = "Round 50's rule against the default (`r27-ovs05`, h-ovs05 there)"
LABELS = {**round32.LABELS, "fresh-s1": "fresh-s1 (round 46)", "fresh": "fresh (round 46)",
          "big-s1": "big-s1 (its stage 1)",
          "big-conv": "big-conv (conventional, 1700 of 3000 steps)"}


def main() -> None:
    folder, devfull, dev = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    noisy, clean, d120 = round19.tables(folder)
    bands = round13.table(devfull / "bands.csv")
    ready = [a for a in [*REPORTED, *CANDIDATES]
             if all(a in t for t in (noisy, clean, d120, bands))]
    round27.runs_report(noisy, clean, d120, folder, dev, BUNDLED, ready, [BUNDLED], LABELS)
    # what the extra stage-1 steps bought; then MAL + DistillMOS against the conventional
    # control (addendum 1; it stopped at 1700 of its 3000 steps, so not a same-compute pair)
    for control, arm in [("fresh-s1", "big-s1"), ("fresh", "big"), ("big-conv", "big")]:
        if control in ready and arm in ready:
            round19.minus_control(noisy, clean, d120, control, arm, round27.GROUPS)
            print()
    ready = [a for a in ready if a in CANDIDATES]
    best = round27.rule_ovrl(noisy, clean, d120, dev, ready, bundled=BUNDLED, title=TITLE,
                             extra=round32.conditions(noisy, clean, bands, dev, ready))
    if best:
        round27.beside_peers(noisy, clean, d120, dev, best, baseline=BUNDLED)


if __name__ == "__main__":
    main()
