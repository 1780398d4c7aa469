"""Round 32's rule (RULE.md): round 27's rule against the bundled default, a 48 kHz band-SNR
condition and a bound on the drift from `r18-distill-res`.

    RUNS=runs/r32 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        k-more k-lr05 k-ovs025 k-pairs3
    python experiments/2026-12-05-round32-gpu/devfull.py eval/devfull32 \
        default=malenhance/weights/default r18-distill-res=runs/r18/p-distill-res \
        k-more=runs/r32/k-more k-lr05=runs/r32/k-lr05 k-ovs025=runs/r32/k-ovs025 \
        k-pairs3=runs/r32/k-pairs3
    python experiments/2026-12-05-round32-gpu/decide.py eval/devreal18 eval/devfull32 \
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
paired, fmt, fell = round18.paired, round18.fmt, round18.fell

BUNDLED = "h-ovs05"  # r27-ovs05, the bundled default, in the devreal tables
R18 = "p-distill-res"  # r18-distill-res in the devreal tables
ARMS = ["k-more", "k-lr05", "k-ovs025", "k-pairs3"]
SOUPS = ["soup-" + run for run in ARMS]  # scored only if no run passes
LABELS = {BUNDLED: "default (h-ovs05)", R18: "r18-distill-res (p-distill-res)"}
TITLE = "Round 32's rule against the default (`r27-ovs05`, h-ovs05 there)"


def conditions(noisy: dict, clean: dict, bands: dict, dev: Path, names: list[str],
               drift_transparency: float | None = -0.03) -> dict:
    """Round 32's conditions beyond round 27's rule, as ``rule_ovrl``'s ``extra``
    (``drift_transparency`` None: no bound on transparency against r18, round 38)."""
    high = round18.high_snr(dev / "manifest.json")
    r18_fell = fell(noisy, high, R18)
    devfull, drift = {}, {}
    for name in names:
        band = paired(bands, "default", name, "snr_0-8k")
        devfull[name] = (band[0] >= -0.10, fmt(band, 2))
        tp = paired(clean, R18, name, "pesq_wb")
        sd = paired(noisy, R18, name, "si_sdr")
        dropped = fell(noisy, high, name)
        tp_ok = drift_transparency is None or tp[0] >= drift_transparency
        drift[name] = (tp_ok and sd[0] >= -0.20 and dropped <= r18_fell + 2,
                       f"{tp[0]:+.3f} / {sd[0]:+.2f} / {dropped}")
    return {"devfull": ("devfull 0-8 kHz band SNR", devfull),
            "drift": (f"against r18: transparency / SI-SDR / drops ({r18_fell})", drift)}


def main() -> None:
    folder, devfull, dev = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    noisy, clean, d120 = round19.tables(folder)
    bands = round13.table(devfull / "bands.csv")
    ready = [a for a in ARMS if all(a in t for t in (noisy, clean, d120, bands))]
    round27.runs_report(noisy, clean, d120, folder, dev, BUNDLED, ready, [BUNDLED, R18],
                        LABELS)
    best = round27.rule_ovrl(noisy, clean, d120, dev, ready, bundled=BUNDLED, title=TITLE,
                             extra=conditions(noisy, clean, bands, dev, ready))
    soups = [s for s in SOUPS if all(s in t for t in (noisy, clean, d120, bands))]
    if soups and not best:
        print("## The soups (default + run, equal weights)\n")
        best = round27.rule_ovrl(noisy, clean, d120, dev, soups, bundled=BUNDLED, title=TITLE,
                                 extra=conditions(noisy, clean, bands, dev, soups))
    if best:
        round27.beside_peers(noisy, clean, d120, dev, best, baseline=BUNDLED)


if __name__ == "__main__":
    main()
