"""Round 37's data: round 36's teacher pairs with the teacher's output only where the voice
is not (RULE.md).

    python experiments/2026-12-06-round37-cpu/gated_targets.py data/r36/teach data/r37/gated \
        [RAW_DB TEACHER_DB]   # round 39: -25 -40

OUT is SRC hard-linked; each G.722 / klettres target (the pairs round 36 made; the fillets
pairs are left as they are) becomes gain x raw + (1 - gain) x teacher, the gain following the
raw recording's frame level against its loudest frame: 1 at or above -35 dB, 0 at or below
-50 dB, linear in dB between, smoothed over 30 ms. A target is unlinked before it is
replaced, so SRC is never written.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

HOP, WINDOW = 160, 320  # 10 ms frames of 20 ms at 16 kHz
RAW_DB, TEACHER_DB = -35.0, -50.0
SMOOTH = 480  # 30 ms


def voice_gain(raw: np.ndarray, raw_db: float = RAW_DB, teacher_db: float = TEACHER_DB
               ) -> np.ndarray:
    """Per-sample gain: 1 where the recording is within ``-raw_db`` dB of its loudest frame,
    0 where it is ``-teacher_db`` dB or more below it."""
    padded = np.pad(raw, (WINDOW // 2, WINDOW // 2))
    frames = np.lib.stride_tricks.sliding_window_view(padded, WINDOW)[::HOP]
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    level -= level.max()
    frame_gain = np.clip((level - teacher_db) / (raw_db - teacher_db), 0.0, 1.0)
    gain = np.interp(np.arange(len(raw)), np.arange(len(frame_gain)) * HOP, frame_gain)
    kernel = np.hanning(SMOOTH)
    return np.convolve(gain, kernel / kernel.sum(), mode="same")


def rewrite_targets(src: Path, out: Path, target_of) -> int:
    """OUT = SRC hard-linked, each G.722 / klettres target replaced (after it is unlinked)
    by ``target_of(teacher, raw, rate)``; returns how many (rounds 37, 39, 42)."""
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["cp", "-rl", str(src), str(out)], check=True)
    done = 0
    for speaker in sorted((out / "clean" / "real16k").iterdir()):
        if speaker.name.startswith("cs_fillets"):
            continue
        for target in sorted(speaker.iterdir()):
            teacher, rate = sf.read(target, dtype="float64")
            raw, _ = sf.read(out / "original" / "real16k" / speaker.name / target.name,
                             dtype="float64")
            target.unlink()
            sf.write(target, target_of(teacher, raw, rate).astype(np.float32), rate)
            done += 1
    return done


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    raw_db, teacher_db = (float(v) for v in sys.argv[3:5]) if len(sys.argv) > 3 else (
        RAW_DB, TEACHER_DB)

    def gated(teacher: np.ndarray, raw: np.ndarray, rate: int) -> np.ndarray:
        gain = voice_gain(raw, raw_db, teacher_db)
        return gain * raw + (1 - gain) * teacher

    print(f"{rewrite_targets(src, out, gated)} targets gated")


if __name__ == "__main__":
    main()
