"""Round 25's extra noise: each voice-acting pair's raw recording minus its teacher target
(DeepFilterNet3's output, sample-aligned), i.e. the recording's own floor and echo.

    python experiments/2026-12-05-round25-cpu/residuals.py data/r15/pairs-extra OUT
"""

from __future__ import annotations

import sys
from pathlib import Path

import soundfile as sf


def main(pairs: Path, out: Path) -> None:
    originals = sorted((pairs / "original").rglob("*.flac"))
    out.mkdir(parents=True, exist_ok=True)
    for original in originals:
        raw, rate = sf.read(str(original), dtype="float32")
        target, _ = sf.read(str(pairs / "clean" / original.relative_to(pairs / "original")),
                            dtype="float32")
        n = min(len(raw), len(target))
        sf.write(str(out / f"residual_{original.stem}.flac"), raw[:n] - target[:n], rate)
    print(len(originals), "residuals in", out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
