"""Round 38's rule (RULE.md): round 27's rule against the bundled default with the
all-source transparency clause at -0.05 and two conditions on the studio voice, plus
round 32's 48 kHz and drift conditions.

    RUNS=runs/r38 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        m-gated m-teach m-gated-d3 m-gated-ovs1
    python experiments/2026-12-05-round32-gpu/devfull.py eval/devfull32 \
        m-gated=runs/r38/m-gated m-teach=runs/r38/m-teach ...
    python experiments/2026-12-06-round38-gpu/decide.py eval/devreal18 eval/devfull32 \
        data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round27 = load_decide("2026-12-05-round27-gpu")
round32 = load_decide("2026-12-05-round32-gpu")
clean_bands = load_decide("2026-12-05-round31-analysis", "clean_bands")
paired, fmt, only = round18.paired, round18.fmt, round18.only

BUNDLED, CONTROL = round32.BUNDLED, "k-more"
ARMS = ["m-gated", "m-teach", "m-gated-d3", "m-gated-ovs1"]
SOUPS = ["soup-" + run for run in ARMS]  # scored only if no run passes
TITLE = "Round 38's rule against the default (`r27-ovs05`, h-ovs05 there)"
LABELS = {**round32.LABELS, CONTROL: "k-more (control)"}


def voice(clean: dict, folder: Path, dev: Path, names: list[str]) -> dict:
    """The two studio-voice conditions, as ``rule_ovrl``'s ``extra``."""
    studio = only(clean, {"g722"})
    cells = {}
    for name in names:
        tp = paired(studio, BUNDLED, name, "pesq_wb")
        top = clean_bands.group_change(folder / "clean", dev / "clean", name, "g722")["speech"][-1]
        cells[name] = (tp[0] >= -0.02 and top >= -0.5, f"{fmt(tp)} / {top:+.1f} dB")
    return {"voice": ("studio transparency PESQ-wb / 7-8 kHz speech", cells)}


def judge(noisy: dict, clean: dict, d120: dict, bands: dict, folder: Path, dev: Path,
          names: list[str]) -> str | None:
    extra = {**voice(clean, folder, dev, names),
             **round32.conditions(noisy, clean, bands, dev, names, drift_transparency=None)}
    return round27.rule_ovrl(noisy, clean, d120, dev, names, bundled=BUNDLED, title=TITLE,
                             extra=extra, transparency_floor=-0.05)


def main() -> None:
    folder, devfull, dev = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    noisy, clean, d120 = round19.tables(folder)
    bands = round13.table(devfull / "bands.csv")
    ready = [a for a in ARMS if all(a in t for t in (noisy, clean, d120, bands))]
    round27.runs_report(noisy, clean, d120, folder, dev, CONTROL, ready, [BUNDLED, CONTROL],
                        LABELS)
    best = judge(noisy, clean, d120, bands, folder, dev, ready)
    soups = [s for s in SOUPS if all(s in t for t in (noisy, clean, d120, bands))]
    if soups and not best:
        print("## The soups (default + run, equal weights)\n")
        best = judge(noisy, clean, d120, bands, folder, dev, soups)
    if best:
        round27.beside_peers(noisy, clean, d120, dev, best, baseline=BUNDLED)


if __name__ == "__main__":
    main()
