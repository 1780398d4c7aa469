"""Round 118: inputs at 15-20 dB leaving with a lower SI-SDR, by source, both held-out sets pooled.

    python experiments/2026-12-08-round118-gpu/drops_by_source.py
"""

from __future__ import annotations

import collections
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

pooled = load_decide("2026-12-07-round90-analysis", "pooled")
SOURCES = load_decide("2026-12-07-round111-cpu", "report").SOURCES

SYSTEMS = ["default", "s105-a", "s101-pause01", "ens118", "s118-distill-b", "peer-gtcrn",
           "peer-dtln"]


def by_source(keys: list[str] | set[str]) -> str:
    counts = collections.Counter(next(s for s in SOURCES if s in key) for key in keys)
    return ", ".join(f"{s} {counts[s]}" for s in SOURCES)


def main() -> None:
    (noisy, _, _), _, high = pooled.pooled_tables()
    print("clips at 15-20 dB by source:", by_source(high))
    print("| system | drops | by source | mean SI-SDR change (dB) |\n|---|---|---|---|")
    for system in SYSTEMS:
        change = {f: noisy[system][f]["si_sdr_improvement"] for f in high}
        drops = [f for f, c in change.items() if c < 0]
        mean = statistics.mean(change.values())
        print(f"| {system} | {len(drops)} | {by_source(drops)} | {mean:+.2f} |")


if __name__ == "__main__":
    main()
