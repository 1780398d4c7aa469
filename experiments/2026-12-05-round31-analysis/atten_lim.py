"""Round 26's `--atten-lim` table re-measured for the default bundled after it (`r27-ovs05`,
`h-ovs05` in the devreal tables): no decision, the numbers the docs quote.

    PREFIX=r27lim LIMITS="30 24 18 12" sh experiments/2026-12-05-round26-cpu/score.sh
    python experiments/2026-12-05-round31-analysis/atten_lim.py eval/devreal18 data/default/devreal
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round18 = load_decide("2026-12-05-round18-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
round26 = load_decide("2026-12-05-round26-cpu")

DEFAULT = "h-ovs05"
LIMITS = ["r27lim30", "r27lim24", "r27lim18", "r27lim12"]


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    noisy, clean, d120 = round19.tables(folder)
    high = round18.high_snr(dev / "manifest.json")
    limits = [s for s in LIMITS if s in noisy and s in clean and s in d120]
    print("## `r27-ovs05` at each `--atten-lim` on devreal (120 clips)\n")
    round26.means_table(noisy, clean, d120, high, [DEFAULT, *limits, *round26.PEERS],
                        {DEFAULT: "no limit (default)",
                         **{s: s.removeprefix("r27lim") + " dB" for s in limits}})


if __name__ == "__main__":
    main()
