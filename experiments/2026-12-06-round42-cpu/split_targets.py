"""Round 42's data (RULE.md): round 36's teacher targets below 6 kHz, round 37's gated
targets above.

    python experiments/2026-12-06-round42-cpu/split_targets.py data/r36/teach data/r42/split

OUT is SRC hard-linked; each G.722 / klettres target (the fillets pairs are left as they are)
is replaced, after it is unlinked, so SRC is never written (round 37's ``rewrite_targets``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

gated_targets = load_decide("2026-12-06-round37-cpu", "gated_targets")

LOW_HZ, HIGH_HZ = 5500.0, 6500.0


def low_weight(n: int, rate: int) -> np.ndarray:
    """rfft weights of the low band: 1 below LOW_HZ, raised cosine to 0 at HIGH_HZ."""
    freqs = np.fft.rfftfreq(n, 1 / rate)
    ramp = np.clip((freqs - LOW_HZ) / (HIGH_HZ - LOW_HZ), 0.0, 1.0)
    return 0.5 * (1 + np.cos(np.pi * ramp))


def split_target(teacher: np.ndarray, raw: np.ndarray, rate: int) -> np.ndarray:
    """The teacher below the crossover, the gated target (raw where the voice is) above."""
    gain = gated_targets.voice_gain(raw)
    gated = gain * raw + (1 - gain) * teacher
    weight = low_weight(len(teacher), rate)
    mixed = weight * np.fft.rfft(teacher) + (1 - weight) * np.fft.rfft(gated)
    return np.fft.irfft(mixed, n=len(teacher))


def main() -> None:
    done = gated_targets.rewrite_targets(Path(sys.argv[1]), Path(sys.argv[2]), split_target)
    print(f"{done} targets split")


if __name__ == "__main__":
    main()
