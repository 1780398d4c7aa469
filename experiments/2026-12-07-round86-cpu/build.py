"""Round 86's band-split targets: each of round 79's default-made targets below a crossover,
its original above it (zero-phase, a linear crossfade over the crossover band), written with
the original's format.

    python experiments/2026-12-07-round86-cpu/build.py data/r79/pairs-extra-self \\
        data/r86/pairs-extra-hf5 4500 5500
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from pair_targets import rewrite_targets  # noqa: E402


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
    rewrite_targets(source, out, lambda y, x, rate: band_split(y, x, rate, low_hz, high_hz))


if __name__ == "__main__":
    main()
