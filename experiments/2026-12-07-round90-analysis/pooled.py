"""Round 90: the candidates that passed devreal, against the default on devreal and the
confirmation set pooled (240 clips; the clean subsets C and C78 together, 36 references).
A report for the team's decision, not a rule: both sets have judged these models already.

    python experiments/2026-12-07-round90-analysis/pooled.py s80-self s82-seed2 s87-blend02 ...
    python .../pooled.py --base c110-conv s101-pause01     # against another model (round 110)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
paired, fmt = round13.paired, round13.fmt

SETS = {"devreal": (Path("eval/devreal54"), Path("data/default")),
        "confirm78": (Path("eval/confirm78"), Path("data/confirm78"))}
HIGH_SNR_DB = 15.0


def pooled_tables() -> tuple[list[dict], set[str], set[str]]:
    """Each set's (noisy, clean, dnsmos) tables with files keyed "set/file"; C; high-SNR clips."""
    merged: list[dict] = [{}, {}, {}]
    clean_refs, high = set(), set()
    for name, (folder, data) in SETS.items():
        clips = json.loads((data / "devreal/manifest.json").read_text())["clips"]
        high |= {f"{name}/{Path(c['file']).stem}" for c in clips if c["snr_db"] >= HIGH_SNR_DB}
        clean_refs |= {f"{name}/{f}" for f in screen.clean_clips(data)}
        for into, table in zip(merged, round19.tables(folder), strict=True):
            for system, rows in table.items():
                into.setdefault(system, {}).update({f"{name}/{f}": v for f, v in rows.items()})
    return merged, clean_refs, high


def main() -> None:
    (noisy, clean, dnsmos), clean_refs, high = pooled_tables()
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="default", help="what each candidate is paired against")
    parser.add_argument("candidates", nargs="+")
    args = parser.parse_args()
    base, candidates = args.base, args.candidates
    c_only = {s: {f: v for f, v in rows.items() if f in clean_refs} for s, rows in clean.items()}
    measures = [
        ("1", "transparency ESTOI, C + C78", c_only, "estoi"),
        ("2", "transparency PESQ-wb, all", clean, "pesq_wb"),
        ("3", "DNSMOS OVRL", dnsmos, "dnsmos_ovrl"),
        ("3", "DNSMOS P.808", dnsmos, "dnsmos_p808"),
        ("4", "in noise PESQ-wb", noisy, "pesq_wb"),
        ("4", "in noise ESTOI", noisy, "estoi"),
        ("4", "in noise SI-SDR (dB)", noisy, "si_sdr"),
    ]
    print(f"# Devreal and the confirmation set pooled: each candidate minus {base}\n")
    print("Paired over both sets' clips; ± is the 95 % half-width. Reported, not judged.\n")
    print("| clause | measure | n | " + " | ".join(f"`{c}`" for c in candidates) + " |")
    print("|---|---|---|" + "---|" * len(candidates))
    for clause, label, scores, key in measures:
        cells = [paired(scores, base, c, key) for c in candidates]
        print(f"| {clause} | {label} | {cells[0][2]} | " + " | ".join(fmt(x) for x in cells) + " |")
    drops = {s: sum(noisy[s][f]["si_sdr_improvement"] < 0 for f in high if f in noisy[s])
             for s in (base, *candidates)}
    print(f"| 5 | SNR drops at 15-20 dB ({len(high)}; {base} {drops[base]}) | | "
          + " | ".join(str(drops[c]) for c in candidates) + " |")


if __name__ == "__main__":
    main()
