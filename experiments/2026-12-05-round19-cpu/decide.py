"""Round 19's report (RULE.md): `c19-gtcrn` minus its same-compute control `c19-dfn3`, per
source, the signal for the next GPU round, then round 18's bundling rule.

    RUNS=runs/r19 EVAL=eval/devreal18 \
        sh experiments/2026-12-05-round18-gpu/score.sh c19-dfn3 c19-gtcrn
    python experiments/2026-12-05-round19-cpu/decide.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
table, paired, fmt, only = round18.table, round18.paired, round18.fmt, round18.only

CONTROL, ARM = "c19-dfn3", "c19-gtcrn"
BUNDLED = "p-distill-res"
GROUPS = ["g722", "klettres", "fillets"]


def minus_control(noisy: dict, clean: dict, d120: dict, control: str, arm: str,
                  groups: list[str]) -> None:
    """`arm` minus `control`, paired, every metric, on all clips then per source."""
    print(f"## `{arm}` minus `{control}`, paired (DNSMOS on 120 clips)\n")
    print("| clips | transparency PESQ-wb | transparency ESTOI | in noise PESQ-wb | ESTOI "
          "| SI-SDR | SIG | BAK | OVRL |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, chosen in [("all 120", set(groups))] + [(g, {g}) for g in groups]:
        n, c, d = only(noisy, chosen), only(clean, chosen), only(d120, chosen)
        cells = [fmt(paired(c, control, arm, "pesq_wb")), fmt(paired(c, control, arm, "estoi")),
                 fmt(paired(n, control, arm, "pesq_wb")), fmt(paired(n, control, arm, "estoi")),
                 fmt(paired(n, control, arm, "si_sdr"), 2),
                 *(fmt(paired(d, control, arm, k)) for k in round18.DNSMOS)]
        print(f"| {name} | " + " | ".join(cells) + " |")


def tables(folder: Path) -> tuple[dict, dict, dict]:
    """devreal's per-clip tables in ``folder``: in noise, clean in, DNSMOS on all 120."""
    return (table(folder / "noisy-all-scores.csv"), table(folder / "clean-scores.csv"),
            table(folder / "dnsmos120.csv"))


def rule_against_bundled(noisy: dict, clean: dict, d120: dict, dev: Path,
                         names: list[str]) -> None:
    """Round 18's rule against the bundled default. eval/devreal18's "default" is the
    previous one (r17-soup-half); the bundled one is round 18's p-distill-res there."""
    print("## Round 18's rule against the default (`r18-distill-res`, p-distill-res there)\n")
    tables = [{**t, "default": t[BUNDLED]} for t in (noisy, clean, d120)]
    round18.rule(*tables, round18.high_snr(dev / "manifest.json"), names)


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = tables(folder)

    minus_control(noisy, clean, d120, CONTROL, ARM, GROUPS)

    fillets_ovrl = paired(only(d120, {"fillets"}), CONTROL, ARM, "dnsmos_ovrl")[0]
    in_noise = paired(noisy, CONTROL, ARM, "pesq_wb")[0]
    transparency = paired(clean, CONTROL, ARM, "pesq_wb")[0]
    signal = fillets_ovrl > 0 and in_noise >= -0.01 and transparency >= -0.01
    print(f"\nSignal for the next GPU round (fillets OVRL > 0, in-noise and transparency "
          f"PESQ-wb >= -0.01): {'GTCRN targets' if signal else 'keep DeepFilterNet3 targets'}\n")

    rule_against_bundled(noisy, clean, d120, dev, [CONTROL, ARM])


if __name__ == "__main__":
    main()
