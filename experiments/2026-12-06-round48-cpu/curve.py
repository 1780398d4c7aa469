"""Round 48's rule (RULE.md): each gated limit against the uniform limit's curve of OVRL
over all-source transparency PESQ-wb; writes curve.md.

    python experiments/2026-12-06-round48-cpu/curve.py eval/devreal18

The committed per-clip tables (devreal-*.csv.gz, unzipped into one folder) regenerate
curve.md byte for byte.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
paired, fmt = round18.paired, round18.fmt

DEFAULT = "h-ovs05"
UNIFORM = [DEFAULT, "r27lim30", "r27lim24", "r27lim18", "r27lim12"]
GATED = ["gate18", "gate12", "gate6", "cgate18", "speech18", "speech24", "speech12"]
SOURCES = ("g722", "klettres", "fillets")


def mean(table: dict, system: str, key: str, source: str | None = None) -> float:
    return statistics.fmean(v[key] for f, v in table[system].items()
                            if source is None or source in f)


def on_curve(points: list[tuple[float, float]], x: float) -> float:
    """Piecewise-linear through ``points`` (sorted by x), extended along the end segments."""
    i = next((i for i in range(1, len(points) - 1) if x <= points[i][0]), len(points) - 1)
    (x0, y0), (x1, y1) = points[i - 1], points[i]
    return y0 + (y1 - y0) * (x - x0) / (x1 - x0)


def main() -> None:
    folder = Path(sys.argv[1])
    noisy, clean, d120 = round19.tables(folder)
    curve = sorted((mean(clean, s, "pesq_wb"), mean(d120, s, "dnsmos_ovrl")) for s in UNIFORM)
    lines = ["# Round 48: a limit in speech frames only, against the uniform limit", "",
             "Means over devreal's 120 clips; `above curve`: OVRL minus the uniform limit's "
             "OVRL at the same transparency (piecewise linear through the default and "
             "`--atten-lim` 30/24/18/12). In noise: paired against the default.", "",
             "| system | transparency PESQ-wb | ESTOI | " + " | ".join(SOURCES)
             + " | BAK | OVRL | above curve | in noise PESQ-wb | SI-SDR | better trade |",
             "|---|" + "---|" * (8 + len(SOURCES))]
    for s in UNIFORM + GATED:
        if not all(s in t for t in (noisy, clean, d120)):
            continue
        tp, ovrl = mean(clean, s, "pesq_wb"), mean(d120, s, "dnsmos_ovrl")
        above = ovrl - on_curve(curve, tp)
        pesq, sdr = paired(noisy, DEFAULT, s, "pesq_wb"), paired(noisy, DEFAULT, s, "si_sdr")
        better = ""
        if s in GATED:
            ok = above > 0.02 and pesq[0] >= -0.01 and sdr[0] >= -0.10
            better = "**yes**" if ok else "no"
        by_source = " | ".join(f"{mean(clean, s, 'pesq_wb', src):.2f}" for src in SOURCES)
        lines.append(f"| {s} | {tp:.3f} | {mean(clean, s, 'estoi'):.3f} | {by_source} | "
                     f"{mean(d120, s, 'dnsmos_bak'):.3f} | {ovrl:.3f} | {above:+.3f} | "
                     f"{fmt(pesq)} | {fmt(sdr, 2)} | {better} |")
    text = "\n".join(lines) + "\n"
    (Path(__file__).parent / "curve.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
