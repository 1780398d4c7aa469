"""Round 48, addendum 1: the speech-gated limit with a causal gate (what a stream can do).

    python experiments/2026-12-06-round48-cpu/causal.py eval/devreal18 data/default/devreal
    RUNS=runs/r48 EVAL=eval/devreal18 sh experiments/2026-12-05-round18-gpu/score.sh cgate18
    python experiments/2026-12-06-round48-cpu/curve.py eval/devreal18
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from gated import write_mixes  # noqa: E402

LIMITS = {"cgate18": 18.0}
FRAME, HOP = 320, 160  # 20 ms frames, 10 ms hop at 16 kHz
RANGE_DB, FLOOR_DB = 30.0, -70.0
RELEASE_DB = 0.03  # per hop: the loud level falls 3 dB/s
AFTER, SMOOTH = 10, 5  # hops: 100 ms hang-over, 50 ms average


def causal_gate(y: np.ndarray) -> np.ndarray:
    """Per sample, the speech gate from ``y`` up to that sample only."""
    n = len(y) // HOP + 1
    gates = np.zeros(n)
    peak, since, recent = -np.inf, AFTER + 1, [0.0] * SMOOTH
    for i in range(n):
        end = min((i + 1) * HOP, len(y))
        frame = y[max(0, end - FRAME):end]
        level = 10 * np.log10(np.mean(frame ** 2) + 1e-12) if len(frame) else -120.0
        peak = max(level, peak - RELEASE_DB)
        since = 0 if (level > peak - RANGE_DB and level > FLOOR_DB) else since + 1
        recent = recent[1:] + [1.0 if since <= AFTER else 0.0]
        gates[i] = sum(recent) / SMOOTH
    # hop i's value holds for the samples it has seen, ramped from the previous hop's
    starts = np.arange(n) * HOP
    return np.interp(np.arange(len(y)), starts + HOP - 1, gates)


def main() -> None:
    write_mixes(Path(sys.argv[1]), Path(sys.argv[2]), LIMITS, causal_gate)


if __name__ == "__main__":
    main()
