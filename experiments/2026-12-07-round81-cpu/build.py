"""Round 81's blended targets: each of round 79's default-made targets mixed with a share of
its original (sample-aligned, same length), written with the original's format.

    python experiments/2026-12-07-round81-cpu/build.py data/r79/pairs-extra-self \\
        data/r81/pairs-extra-blend25 0.25
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import soundfile as sf


def main() -> None:
    source, out, share = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    if out.exists():
        return
    part = out.with_name(out.name + ".part")
    for original in sorted((source / "original").rglob("*.flac")):
        rel = original.relative_to(source / "original")
        target = source / "clean" / rel
        x, rate = sf.read(original, dtype="float64")
        y, rate_y = sf.read(target, dtype="float64")
        if rate != rate_y or len(x) != len(y):
            raise SystemExit(f"{rel}: the target is not the original's length and rate")
        info = sf.info(original)
        for side in ("clean", "original"):
            (part / side / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(original, part / "original" / rel)
        sf.write(part / "clean" / rel, (1 - share) * y + share * x, rate,
                 subtype=info.subtype, format=info.format)
    part.rename(out)


if __name__ == "__main__":
    main()
