"""Round 14's rule (RULE.md) applied to the score tables, with the per-source view.

    python experiments/2026-12-05-round14-gpu/decide.py eval/devreal14 data/default/devreal

Reads noisy-all-scores.csv and clean-scores.csv (fast_scores.py: PESQ-wb, ESTOI, SI-SDR on
the 120 clips) and noisy-scores.csv (`malenhance score --dnsmos` on round 13's 40 clips).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
table, paired, fmt = round13.table, round13.paired, round13.fmt

CANDIDATES = ["fe-more", "fe-distill", "frozen-more", "levers2-fe", "soup-r14", "soup-span"]
STARTS = {"fe-more": "mal-frozen-fe", "fe-distill": "mal-frozen-fe",
          "frozen-more": "mal-frozen", "levers2-fe": "conventional-levers2"}
PEERS = ["peer-deepfilternet3", "peer-gtcrn", "peer-dtln", "peer-nsnet2", "peer-rnnoise"]


def source(file: str) -> str:
    return file.split("_")[1]  # real_<g722|klettres|fillets>_...


def high_snr(manifest: Path) -> set[str]:
    clips = json.loads(manifest.read_text())["clips"]
    return {Path(c["file"]).stem for c in clips if c.get("snr_db", -99) >= 15}


def fell(scores: dict, high: set[str], system: str, group: str | None = None) -> int:
    return sum(1 for f, v in scores[system].items()
               if f in high and (group is None or source(f) == group)
               and v.get("si_sdr_improvement", 0.0) < 0)


def mean(scores: dict, system: str, key: str, group: str | None = None) -> float:
    values = [v[key] for f, v in scores[system].items()
              if (group is None or source(f) == group) and math.isfinite(v.get(key, math.nan))]
    return sum(values) / len(values)


def rule(noisy: dict, clean: dict, dnsmos: dict, high: set[str], names: list[str],
         ovrl_label: str = "DNSMOS OVRL (40)") -> str | None:
    """The bundling rule, each candidate minus the default: prints its table, returns the
    candidate it bundles (the largest transparency + in-noise PESQ-wb + OVRL sum among passes).
    """
    base_fell = fell(noisy, high, "default")
    print("| candidate | transparency PESQ-wb | in noise PESQ-wb | ESTOI | SI-SDR "
          f"| {ovrl_label} | SNR fell (default {base_fell}) | passes |")
    print("|---|---|---|---|---|---|---|---|")
    passing = {}
    for name in names:
        tr = paired(clean, "default", name, "pesq_wb")
        pq = paired(noisy, "default", name, "pesq_wb")
        es = paired(noisy, "default", name, "estoi")
        sd = paired(noisy, "default", name, "si_sdr")
        ov = paired(dnsmos, "default", name, "dnsmos_ovrl")
        dropped = fell(noisy, high, name)
        ok = (tr[0] - tr[1] > 0 and pq[0] > 0 and pq[0] - pq[1] > -0.03 and es[0] > -0.005
              and sd[0] > 0 and ov[0] > 0 and dropped <= base_fell)
        if ok:
            passing[name] = tr[0] + pq[0] + ov[0]
        print(f"| {name} | {fmt(tr)} | {fmt(pq)} | {fmt(es)} | {fmt(sd, 2)} | {fmt(ov)} "
              f"| {dropped} | {'yes' if ok else 'no'} |")
    best = max(passing, key=passing.get) if passing else None
    print(f"\nBundled by the rule: {best or 'none'}\n")
    return best


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy = table(folder / "noisy-all-scores.csv")
    dnsmos = table(folder / "noisy-scores.csv")
    clean = table(folder / "clean-scores.csv")
    high = high_snr(dev / "manifest.json")
    print("## Rule (each candidate minus the default, paired)\n")
    rule(noisy, clean, dnsmos, high,
         [c for c in CANDIDATES if c in noisy and c in clean and c in dnsmos])

    print("## Each run minus its starting point (round 13's model), paired\n")
    print("| run - start | transparency PESQ-wb | in noise PESQ-wb | ESTOI | SI-SDR | SIG | OVRL |")
    print("|---|---|---|---|---|---|---|")
    for name, start in STARTS.items():
        if start not in noisy:
            continue
        cells = [fmt(paired(clean, start, name, "pesq_wb")),
                 fmt(paired(noisy, start, name, "pesq_wb")),
                 fmt(paired(noisy, start, name, "estoi")),
                 fmt(paired(noisy, start, name, "si_sdr"), 2),
                 fmt(paired(dnsmos, start, name, "dnsmos_sig")),
                 fmt(paired(dnsmos, start, name, "dnsmos_ovrl"))]
        print(f"| {name} - {start} | " + " | ".join(cells) + " |")

    systems = ["default", *[c for c in CANDIDATES if c in noisy],
               *[s for s in STARTS.values() if s in noisy], *PEERS]
    systems = list(dict.fromkeys(systems))
    groups = ["g722", "klettres", "fillets"]
    print("\n## Per source: transparency PESQ-wb / ESTOI, in-noise PESQ-wb, SNR fell\n")
    print("| system | " + " | ".join(f"{g}: clean in | {g}: in noise | {g}: fell"
                                     for g in groups) + " |")
    print("|---|" + "---|" * (3 * len(groups)))
    for system in systems:
        cells = []
        for g in groups:
            cells.append(f"{mean(clean, system, 'pesq_wb', g):.2f} / "
                         f"{mean(clean, system, 'estoi', g):.3f}")
            cells.append(f"{mean(noisy, system, 'pesq_wb', g):.2f}")
            cells.append(str(fell(noisy, high, system, g)))
        print(f"| {system} | " + " | ".join(cells) + " |")
    counts = {g: sum(1 for f in high if source(f) == g) for g in groups}
    print(f"\nClips mixed at >= 15 dB per source: {counts}")

    print("\n## All systems (means)\n")
    print("| system | PESQ-wb | ESTOI | SI-SDR | clean in: PESQ-wb | clean in: ESTOI "
          "| SIG (40) | BAK (40) | OVRL (40) | SNR fell |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for system in ["noisy-input", *systems]:
        row = [f"{mean(noisy, system, 'pesq_wb'):.2f}", f"{mean(noisy, system, 'estoi'):.3f}",
               f"{mean(noisy, system, 'si_sdr'):.2f}"]
        if system in clean:
            row += [f"{mean(clean, system, 'pesq_wb'):.2f}", f"{mean(clean, system, 'estoi'):.3f}"]
        else:
            row += ["-", "-"]
        row += [f"{mean(dnsmos, system, k):.2f}" if system in dnsmos else "-"
                for k in ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl")]
        row.append(str(fell(noisy, high, system)) if system != "noisy-input" else "-")
        print(f"| {system} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
