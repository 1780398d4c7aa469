"""Round 81's blended targets: each of round 79's default-made targets mixed with a share of
its original (sample-aligned, same length), written with the original's format.

    python experiments/2026-12-07-round81-cpu/build.py data/r79/pairs-extra-self \\
        data/r81/pairs-extra-blend25 0.25
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from pair_targets import rewrite_targets  # noqa: E402


def main() -> None:
    source, out, share = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    rewrite_targets(source, out, lambda y, x, rate: (1 - share) * y + share * x)


if __name__ == "__main__":
    main()
