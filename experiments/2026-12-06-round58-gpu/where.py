"""Round 58, afterwards (descriptive): is the OVRL cost on the clips whose quiet syllables
`g58-steps` keeps? Per source, the mean OVRL and BAK change against `g58-ctl` on the clips
whose transparency ESTOI rose by more than 0.02 and on the others.

    python experiments/2026-12-06-round58-gpu/where.py eval/devreal54 \
        > experiments/2026-12-06-round58-gpu/where.md
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
CONTROL, ARM, GAIN = "g58-ctl", "g58-steps", 0.02


def main() -> None:
    folder = Path(sys.argv[1])
    clean = round13.table(folder / "clean-scores.csv")
    dnsmos = round13.table(folder / "dnsmos120.csv")

    def change(table: dict, clip: str, key: str) -> float:
        return table[ARM][clip][key] - table[CONTROL][clip][key]

    print(f"# `{ARM}` minus `{CONTROL}`, by whether the clip's transparency ESTOI rose > {GAIN}\n")
    print("| source | clips kept more | OVRL / BAK there | other clips | OVRL / BAK there |")
    print("|---|---|---|---|---|")
    for group in ("g722", "klettres", "fillets"):
        clips = [c for c in dnsmos[CONTROL] if f"_{group}_" in c]
        kept = [c for c in clips if change(clean, c, "estoi") > GAIN]
        rest = [c for c in clips if c not in kept]

        def cell(subset: list[str]) -> str:
            if not subset:
                return "-"
            ovrl = statistics.fmean(change(dnsmos, c, "dnsmos_ovrl") for c in subset)
            bak = statistics.fmean(change(dnsmos, c, "dnsmos_bak") for c in subset)
            return f"{ovrl:+.3f} / {bak:+.3f}"

        print(f"| {group} | {len(kept)} | {cell(kept)} | {len(rest)} | {cell(rest)} |")


if __name__ == "__main__":
    main()
