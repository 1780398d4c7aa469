"""Round 16's rule (RULE.md): each fillets arm against the same-compute control, then round
14's bundling rule against the default, with the per-source view.

    python experiments/2026-12-05-round16-cpu/decide.py eval/devreal16 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round14 = load_decide("2026-12-05-round14-gpu")
table, paired, fmt = round14.table, round14.paired, round14.fmt

CONTROL = "c16-control"
ARMS = ["c16-teacher", "c16-raw", "c16-pairs"]
MORE = "c16-pairs-more"  # c16-pairs + 300 steps: twice the compute, not in the arms' table


def only(scores: dict, groups: set[str]) -> dict:
    """The table restricted to the clips of some sources."""
    return {system: {f: v for f, v in files.items() if round14.source(f) in groups}
            for system, files in scores.items()}


def main() -> None:
    folder = Path(sys.argv[1])
    noisy = table(folder / "noisy-all-scores.csv")
    dnsmos = table(folder / "noisy-scores.csv")
    clean = table(folder / "clean-scores.csv")
    fillets, others = only(noisy, {"fillets"}), only(noisy, {"g722", "klettres"})
    fillets_dnsmos = only(dnsmos, {"fillets"})

    print(f"## Each arm minus `{CONTROL}` (same compute), paired\n")
    print("| arm | transparency PESQ-wb | in noise PESQ-wb | ESTOI | SI-SDR | OVRL (40) "
          "| fillets: PESQ-wb | fillets: OVRL | g722+klettres: PESQ-wb | helps |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    helping = {}
    for arm in [a for a in ARMS if a in noisy and a in clean and a in dnsmos]:
        tr = paired(clean, CONTROL, arm, "pesq_wb")
        pq = paired(noisy, CONTROL, arm, "pesq_wb")
        es = paired(noisy, CONTROL, arm, "estoi")
        sd = paired(noisy, CONTROL, arm, "si_sdr")
        ov = paired(dnsmos, CONTROL, arm, "dnsmos_ovrl")
        fp = paired(fillets, CONTROL, arm, "pesq_wb")
        fo = paired(fillets_dnsmos, CONTROL, arm, "dnsmos_ovrl")
        op = paired(others, CONTROL, arm, "pesq_wb")
        ok = (pq[0] > 0 and sd[0] > 0 and all(m + c >= 0 for m, c, _ in (pq, es, sd, ov))
              and tr[0] + tr[1] >= 0 and fp[0] > 0 and fo[0] > 0 and op[0] + op[1] >= 0)
        if ok:
            helping[arm] = pq[0]
        print(f"| {arm} | {fmt(tr)} | {fmt(pq)} | {fmt(es)} | {fmt(sd, 2)} | {fmt(ov)} "
              f"| {fmt(fp)} | {fmt(fo)} (n={fo[2]}) | {fmt(op)} | {'yes' if ok else 'no'} |")
    best = max(helping, key=helping.get) if helping else None
    print(f"\nInto the next GPU round's data: {best or 'neither'}\n")

    round14.CANDIDATES[:] = [CONTROL, *ARMS, MORE]
    round14.STARTS.clear()
    round14.STARTS.update({arm: "fe-more" for arm in [CONTROL, *ARMS]
                           if arm in noisy and arm in clean})
    if MORE in noisy and MORE in clean:
        round14.STARTS[MORE] = "c16-pairs"
    round14.main()  # bundling rule against the default, runs minus fe-more, per source


if __name__ == "__main__":
    main()
