"""Round 20's report and rule (RULE.md): each run minus the control `d-distill1.5`, per
source, then round 18's bundling rule against the bundled default (`r18-distill-res`).

    RUNS=runs/r20 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        d-distill1.5 d-distill3 d-distill6 d-nopairs3 d-distill10
    python experiments/2026-12-05-round20-gpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")

CONTROL = "d-distill1.5"
ARMS = ["d-distill3", "d-distill6", "d-distill10", "d-nopairs3"]  # d-distill10: addendum 2
SOUPS = ["soup-" + run for run in [CONTROL, *ARMS]]  # addendum 3: no run passed
GROUPS = ["klettres", "g722", "fillets"]


def report(folder: Path, dev: Path, control: str, arms: list[str], soups: list[str],
           cells: bool = False, judge_control: bool = True) -> None:
    """Each run minus ``control`` per source, round 20's DNSMOS cells if ``cells``, round 18's
    rule against the default (the control judged too if ``judge_control``), then the soups
    that were scored (round 18's fallback). Rounds 20 and 23."""
    noisy, clean, d120 = round19.tables(folder)
    arms = [a for a in arms if a in noisy and a in clean and a in d120]

    for arm in arms:
        round19.minus_control(noisy, clean, d120, control, arm, GROUPS)
        print()
    if cells:
        print("## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
        background = load_decide("2026-12-05-round20-gpu", "background")
        background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                         ["p-distill-res", control, *arms, "peer-gtcrn"])
        print()
    round19.rule_against_bundled(noisy, clean, d120, dev,
                                 [control, *arms] if judge_control else arms)
    soups = [s for s in soups if s in noisy and s in clean and s in d120]
    if soups:
        print("\n## The soups (default + run, equal weights)\n")
        round19.rule_against_bundled(noisy, clean, d120, dev, soups)


def main() -> None:
    report(Path(sys.argv[1]), Path(sys.argv[2]), CONTROL, ARMS, SOUPS)


if __name__ == "__main__":
    main()
