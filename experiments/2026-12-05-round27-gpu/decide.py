"""Round 27's rule (RULE.md): a DNSMOS OVRL gain over the bundled default with
non-inferiority elsewhere; round 29's CPU runs are judged by it too.

    RUNS=runs/r27 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh \
        h-seed1 h-d3 h-ovs05 h-clean01
    python experiments/2026-12-05-round27-gpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round26 = load_decide("2026-12-05-round26-cpu")
background = load_decide("2026-12-05-round20-gpu", "background")
paired, fmt, fell = round18.paired, round18.fmt, round18.fell

BUNDLED = "p-distill-res"  # the bundled default's weights in round 18's tables
START = "g-pairs6-lr1"  # round 23's run on the recipe these runs change one lever of
ARMS = ["h-seed1", "h-d3", "h-ovs05", "h-clean01"]
SOUPS = ["soup-" + run for run in ARMS]  # scored only if no run passes
GROUPS = ["klettres", "g722", "fillets"]
PEERS = ["peer-dtln", "peer-gtcrn", "peer-nsnet2", "peer-deepfilternet3", "peer-rnnoise"]


def rule_ovrl(noisy: dict, clean: dict, d120: dict, dev: Path, names: list[str],
              bundled: str = BUNDLED,
              title: str = "Round 27's rule against the default "
                           "(`r18-distill-res`, p-distill-res there)",
              extra: dict[str, tuple[str, dict[str, tuple[bool, str]]]] | None = None,
              transparency_floor: float = -0.02,
              ) -> str | None:
    """Round 27's rule, each candidate minus the default (``bundled``): prints its table,
    returns the candidate it bundles (the largest OVRL mean among passes). ``extra``: more
    conditions of a later round, {column: (heading, {candidate: (holds, cell)})};
    ``transparency_floor``: the least transparency PESQ-wb mean that passes."""
    extra = extra or {}
    high = round18.high_snr(dev / "manifest.json")
    base_fell = fell(noisy, high, bundled)
    print(f"## {title}\n")
    print("| candidate | OVRL (120) | transparency PESQ-wb | ESTOI | in noise PESQ-wb | ESTOI "
          f"| SI-SDR | SNR fell (default {base_fell}) | "
          + "".join(f"{heading} | " for heading, _ in extra.values()) + "passes |")
    print("|---|---|---|---|---|---|---|---|" + "---|" * len(extra) + "---|")
    passing = {}
    for name in names:
        ov = paired(d120, bundled, name, "dnsmos_ovrl")
        tp = paired(clean, bundled, name, "pesq_wb")
        te = paired(clean, bundled, name, "estoi")
        pq = paired(noisy, bundled, name, "pesq_wb")
        es = paired(noisy, bundled, name, "estoi")
        sd = paired(noisy, bundled, name, "si_sdr")
        dropped = fell(noisy, high, name)
        ok = (ov[0] - ov[1] > 0 and tp[0] >= transparency_floor and te[0] >= -0.003
              and pq[0] >= -0.01 and es[0] >= -0.003 and sd[0] >= -0.10
              and dropped <= base_fell + 1)
        ok = ok and all(cells[name][0] for _, cells in extra.values())
        if ok:
            passing[name] = ov[0]
        print(f"| {name} | {fmt(ov)} | {fmt(tp)} | {fmt(te)} | {fmt(pq)} | {fmt(es)} "
              f"| {fmt(sd, 2)} | {dropped} | "
              + "".join(f"{cells[name][1]} | " for _, cells in extra.values())
              + f"{'yes' if ok else 'no'} |")
    best = max(passing, key=passing.get) if passing else None
    print(f"\nBundled by the rule: {best or 'none'}\n")
    return best


def beside_peers(noisy: dict, clean: dict, d120: dict, dev: Path, best: str,
                 baseline: str = BUNDLED) -> None:
    """Means of the default (``baseline``), the bundled run and the peers (report only,
    after the rule), and both models' OVRL paired against three peers."""
    high = round18.high_snr(dev / "manifest.json")
    print("## Means beside the peers (120 clips; clean in = the clean references enhanced)\n")
    round26.means_table(noisy, clean, d120, high,
                        [baseline, best, *(p for p in PEERS if p in noisy)])
    print()
    for peer in ("peer-gtcrn", "peer-deepfilternet3", "peer-nsnet2"):
        if peer in d120:
            print(f"- OVRL, {best} minus {peer}: {fmt(paired(d120, peer, best, 'dnsmos_ovrl'))}; "
                  f"{baseline} minus {peer}: {fmt(paired(d120, peer, baseline, 'dnsmos_ovrl'))}")
    print()


def runs_report(noisy: dict, clean: dict, d120: dict, folder: Path, dev: Path, control: str,
                arms: list[str], beside: list[str], labels: dict[str, str] | None = None
                ) -> None:
    """Each run minus ``control`` per source, then the DNSMOS cells of ``beside``, the runs
    and GTCRN (``labels``: background.cells')."""
    for arm in arms:
        round19.minus_control(noisy, clean, d120, control, arm, GROUPS)
        print()
    print("## DNSMOS SIG / BAK / OVRL on round 20's cells\n")
    background.cells(folder / "dnsmos120.csv", dev / "manifest.json",
                     [*beside, *arms, "peer-gtcrn"], labels)
    print()


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    arms = [a for a in ARMS if a in noisy and a in clean and a in d120]
    runs_report(noisy, clean, d120, folder, dev, START, arms, [BUNDLED, START])
    best = rule_ovrl(noisy, clean, d120, dev, arms)
    if best:
        beside_peers(noisy, clean, d120, dev, best)
    soups = [s for s in SOUPS if s in noisy and s in clean and s in d120]
    if soups:
        print("## The soups (default + run, equal weights)\n")
        rule_ovrl(noisy, clean, d120, dev, soups)


if __name__ == "__main__":
    main()
