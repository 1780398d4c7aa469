"""Round 78's rule (RULE.md) on the confirmation set: each candidate against the bundled
default, paired over its 120 clips, clause by clause.

    python experiments/2026-12-07-round78-confirm/judge.py eval/confirm78 data/confirm78
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
screen = load_decide("2026-12-06-round54-analysis", "screen")
only = load_decide("2026-12-06-round55-cpu", "probe").subset
paired, fmt = round13.paired, round13.fmt
CANDIDATES = ("soup74", "s72-frozen")
BASE = "default"


def judge(folder: Path, data: Path, candidates: tuple[str, ...] = CANDIDATES,
          c1_floor: float = 0.010, title: str = "Round 78", rank: str = "estoi") -> None:
    """Print the clause table; ``rank`` breaks a tie of several passing candidates: C78
    transparency ESTOI (round 78) or all-120 transparency PESQ-wb ("pesq_wb", round 79)."""
    noisy, clean, dnsmos = round19.tables(folder)  # values already floats
    subset_c = screen.clean_clips(data)
    manifest = data / "devreal/manifest.json"
    drops_base = round13.snr_fell(noisy, manifest, BASE)
    print(f"# {title}: the candidates against `{BASE}` on the confirmation set\n")
    print(f"Paired over {len(noisy[BASE])} clips (C78: {len(subset_c)} clean references); "
          f"± is the 95 % half-width, reported, not judged.\n")
    print("| clause | measure | floor | " + " | ".join(f"`{c}`" for c in candidates) + " |")
    print("|---|---|---|" + "---|" * len(candidates))
    checks = [
        ("1", "transparency ESTOI, C78", only(clean, subset_c), "estoi", c1_floor),
        ("2", "transparency PESQ-wb, all 120", clean, "pesq_wb", -0.03),
        ("3", "DNSMOS OVRL", dnsmos, "dnsmos_ovrl", -0.010),
        ("3", "DNSMOS P.808", dnsmos, "dnsmos_p808", -0.02),
        ("4", "in noise PESQ-wb", noisy, "pesq_wb", -0.02),
        ("4", "in noise ESTOI", noisy, "estoi", -0.005),
        ("4", "in noise SI-SDR (dB)", noisy, "si_sdr", -0.20),
    ]
    passed = {c: True for c in candidates}
    for clause, label, scores, key, floor in checks:
        cells = []
        for c in candidates:
            if c not in scores or BASE not in scores:
                cells.append("not scored")
                passed[c] = False
                continue
            diff = paired(scores, BASE, c, key)
            expected = len(subset_c) if clause == "1" else len(noisy[BASE])
            if diff[2] < expected:
                cells.append(f"incomplete ({diff[2]} clips)")
                passed[c] = False
                continue
            ok = diff[0] >= floor
            passed[c] &= ok
            cells.append(f"{fmt(diff)} {'pass' if ok else '**fail**'}")
        print(f"| {clause} | {label} | >= {floor:+.3f} | " + " | ".join(cells) + " |")
    cells = []
    for c in candidates:
        drops = round13.snr_fell(noisy, manifest, c)
        ok = drops <= drops_base
        passed[c] &= ok
        cells.append(f"{drops} {'pass' if ok else '**fail**'}")
    print(f"| 5 | SNR drops at 15-20 dB | <= {drops_base} (`{BASE}`) | " + " | ".join(cells) + " |")
    winners = [c for c in candidates if passed[c]]
    if len(winners) > 1:
        ranked = only(clean, subset_c) if rank == "estoi" else clean
        winners.sort(key=lambda c: -paired(ranked, BASE, c, rank)[0])
    print(f"\nPasses all five: {', '.join(f'`{c}`' for c in candidates if passed[c]) or 'none'}. "
          f"Bundled by the rule: {f'`{winners[0]}`' if winners else 'nothing'}.")


def main() -> None:
    judge(Path(sys.argv[1]), Path(sys.argv[2]))


if __name__ == "__main__":
    main()
