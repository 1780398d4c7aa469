"""Round 93 (RULE.md): a copy of a training folder whose clean targets have silent pauses.
Frames (10 ms) more than 55 dB under a file's loud level (95th percentile of its frames) are
zeroed, 45-55 dB under ramped, the gain smoothed over 20 ms; everything else is hard-linked.

    python experiments/2026-12-07-round93-cpu/gate_targets.py data/r84/blend02 data/r93/gated
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

FRAME_S = 0.010
ZERO_BELOW_DB = 55.0
RAMP_DB = 10.0
SMOOTH_S = 0.020


def gate(audio: np.ndarray, rate: int) -> np.ndarray:
    mono = audio if audio.ndim == 1 else audio.mean(1)
    frame = max(1, round(rate * FRAME_S))
    count = len(mono) // frame + 1
    padded = np.zeros(count * frame)
    padded[: len(mono)] = mono
    level = 10 * np.log10(np.mean(padded.reshape(count, frame) ** 2, 1) + 1e-20)
    under = np.percentile(level, 95) - level
    gain = np.clip((ZERO_BELOW_DB - under) / RAMP_DB, 0.0, 1.0)
    per_sample = np.repeat(gain, frame)[: len(mono)]
    width = max(1, round(rate * SMOOTH_S))
    per_sample = np.convolve(per_sample, np.ones(width) / width, mode="same")
    return (audio * (per_sample if audio.ndim == 1 else per_sample[:, None])).astype(np.float32)


def main() -> None:
    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    zeroed = []
    for path in sorted(source.rglob("*")):
        target = out / path.relative_to(source)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.relative_to(source).parts[0] != "clean":
            os.link(path, target)
            continue
        audio, rate = sf.read(path, dtype="float32")
        gated = gate(audio, rate)
        info = sf.info(path)
        sf.write(target, gated, rate, subtype=info.subtype, format=info.format)
        zeroed.append(float(np.mean(gated == 0)))
    print(f"{len(zeroed)} targets gated; share of samples set to zero: median "
          f"{np.median(zeroed):.3f}, mean {np.mean(zeroed):.3f}")


if __name__ == "__main__":
    main()
