"""Round 86's band-split targets: each of round 79's default-made targets below a crossover,
its original above it (zero-phase, a linear crossfade over the crossover band), written with
the original's format.

    python experiments/2026-12-07-round86-cpu/build.py data/r79/pairs-extra-self \\
        data/r86/pairs-extra-hf5 4500 5500
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import soundfile as sf


def band_split(target: np.ndarray, original: np.ndarray, rate: int, low_hz: float,
               high_hz: float) -> np.ndarray:
    """The target's spectrum below low_hz, the original's above high_hz, crossfaded between."""
    n = len(target)
    freqs = np.fft.rfftfreq(n, 1.0 / rate)
    weight = np.clip((freqs - low_hz) / (high_hz - low_hz), 0.0, 1.0)
    spectrum = np.fft.rfft(target) + weight * np.fft.rfft(original - target)
    return np.fft.irfft(spectrum, n)


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    low_hz, high_hz = float(sys.argv[3]), float(sys.argv[4])
    if out.exists():
        return
    part = out.with_name(out.name + ".part")
    for original in sorted((source / "original").rglob("*.flac")):
        rel = original.relative_to(source / "original")
        x, rate = sf.read(original, dtype="float64")
        y, rate_y = sf.read(source / "clean" / rel, dtype="float64")
        if rate != rate_y or len(x) != len(y):
            raise SystemExit(f"{rel}: the target is not the original's length and rate")
        info = sf.info(original)
        for side in ("clean", "original"):
            (part / side / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(original, part / "original" / rel)
        sf.write(part / "clean" / rel, band_split(y, x, rate, low_hz, high_hz), rate,
                 subtype=info.subtype, format=info.format)
    part.rename(out)


if __name__ == "__main__":
    main()
