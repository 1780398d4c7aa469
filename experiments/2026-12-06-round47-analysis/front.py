"""Round 47 (RULE.md): every system scored on all 120 devreal clips, its means, the Pareto
front over (transparency PESQ-wb, in-noise PESQ-wb, DNSMOS OVRL), and the systems that
dominate the default, with paired intervals. Writes front.md and front.png.

    python experiments/2026-12-06-round47-analysis/front.py eval/devreal18
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

HERE = Path(__file__).parent
DEFAULT = "h-ovs05"  # the bundled r27-ovs05
LABELS = {"h-ovs05": "default (r27-ovs05)", "default": "r17 soup (default in round 18)"}
FRONT = (("transparency", "pesq_wb"), ("noisy", "pesq_wb"), ("dnsmos", "dnsmos_ovrl"))
COLUMNS = [("transparency", "pesq_wb", "transparency PESQ-wb"),
           ("transparency", "estoi", "ESTOI"),
           ("noisy", "pesq_wb", "in noise PESQ-wb"), ("noisy", "estoi", "ESTOI"),
           ("noisy", "si_sdr", "SI-SDR"), ("dnsmos", "dnsmos_ovrl", "OVRL")]


def means(tables: dict, systems: list[str]) -> dict[str, dict[tuple[str, str], float]]:
    return {s: {(t, k): statistics.fmean(row[k] for row in tables[t][s].values())
                for t, k, _ in COLUMNS} for s in systems}


def dominates(a: dict, b: dict) -> bool:
    return all(a[m] >= b[m] for m in FRONT) and any(a[m] > b[m] for m in FRONT)


def kind(system: str) -> str:
    if system.startswith("peer-"):
        return "peer"
    return "limit" if "lim" in system else "ours"


def plot(mean: dict, front: set[str], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 5))
    style = {"ours": ("tab:blue", "o"), "limit": ("tab:green", "s"), "peer": ("tab:red", "^")}
    for system, m in mean.items():
        color, marker = style[kind(system)]
        ax.scatter(m[FRONT[0]], m[FRONT[2]], c=color, marker=marker,
                   s=60 if system in front else 18, alpha=0.9 if system in front else 0.5)
        if system.startswith("peer-") or system in (DEFAULT, "fresh"):
            ax.annotate(LABELS.get(system, system.removeprefix("peer-")),
                        (m[FRONT[0]], m[FRONT[2]]), fontsize=7, xytext=(4, 2),
                        textcoords="offset points")
    ax.axvline(4.0, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("transparency PESQ-wb (clean real references through the system)")
    ax.set_ylabel("DNSMOS OVRL (real speech in real noise)")
    ax.set_title("devreal, 120 clips: ours (blue), --atten-lim (green), peers (red)",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    folder = Path(sys.argv[1])
    noisy, clean, d120 = round19.tables(folder)
    tables = {"noisy": noisy, "transparency": clean, "dnsmos": d120}
    systems = [s for s in d120 if all(len(t.get(s, {})) == 120 for t in tables.values())]
    mean = means(tables, systems)
    front = {s for s in systems if not any(dominates(mean[o], mean[s]) for o in systems)}
    over_default = [s for s in systems if dominates(mean[s], mean[DEFAULT])]
    gtcrn = mean["peer-gtcrn"][FRONT[2]]
    both = [s for s in systems if mean[s][FRONT[0]] >= 4.0 and mean[s][FRONT[2]] >= gtcrn]
    two = {s for s in systems if not any(
        all(mean[o][m] >= mean[s][m] for m in (FRONT[0], FRONT[2]))
        and any(mean[o][m] > mean[s][m] for m in (FRONT[0], FRONT[2])) for o in systems)}

    lines = ["# Round 47: the front of every system scored on devreal", "",
             f"{len(systems)} systems, means over 120 clips; `front`: the three-way Pareto "
             "front over (transparency PESQ-wb, in-noise PESQ-wb, OVRL); `2-way`: over "
             "(transparency PESQ-wb, OVRL). Written by front.py from eval/devreal18.", "",
             "| system | " + " | ".join(c[2] for c in COLUMNS) + " | front | 2-way |",
             "|---|" + "---|" * (len(COLUMNS) + 2)]
    for s in sorted(systems, key=lambda s: -mean[s][FRONT[2]]):
        cells = [f"{mean[s][(t, k)]:.3f}" if k != "si_sdr" else f"{mean[s][(t, k)]:.2f}"
                 for t, k, _ in COLUMNS]
        name = f"**{LABELS.get(s, s)}**" if s == DEFAULT else LABELS.get(s, s)
        lines.append(f"| {name} | " + " | ".join(cells)
                     + f" | {'yes' if s in front else ''} | {'yes' if s in two else ''} |")
    lines += ["", "## The predictions", "",
              f"1. Systems at least as good as the default on all three means and better on "
              f"one: {', '.join(over_default) or 'none'}."]
    for s in over_default:
        cells = [fmt(paired(tables[t], DEFAULT, s, k)) for t, k in FRONT]
        lines.append(f"   - {s} minus the default, paired: " + " / ".join(cells))
    lines += [f"2. Transparency PESQ-wb >= 4.0 with OVRL >= GTCRN's {gtcrn:.3f}: "
              f"{', '.join(both) or 'none'}.",
              "3. The two-way front, from the OVRL end: " + ", ".join(
                  LABELS.get(s, s) for s in sorted(two, key=lambda s: -mean[s][FRONT[2]]))
              + ".", "", "![front](front.png)", ""]
    (HERE / "front.md").write_text("\n".join(lines))
    plot(mean, front, HERE / "front.png")
    print("\n".join(lines[-8:]))


if __name__ == "__main__":
    main()
