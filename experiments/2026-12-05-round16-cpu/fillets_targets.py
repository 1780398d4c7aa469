"""Round 16's extra training material: fillets main voices joined into 6-12 s files.

    python experiments/2026-12-05-round16-cpu/fillets_targets.py OUT   # OUT/raw, OUT/teacher

OUT/raw/clean/real16k/cs_fillets_{v,m}/*.flac hold the lines as they are (their own pauses,
echo tails and floor); OUT/teacher/ the same files through DeepFilterNet3 (benchmarks.peers).
The dev speakers (realspeech.FILLETS_DEV) are never read: only `v` and `m`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf

from benchmarks.peers import enhance_with_peer
from recipes.default import dsp, realspeech
from recipes.default.build_data import rng_for

RATE = 16000
VOICES = ("v", "m")
MINUTES_PER_VOICE = 12.0
FILE_SECONDS = (6.0, 12.0)
LEVEL_DB = -26.0


def joined_files(root: Path, voice: str) -> list[np.ndarray]:
    assert voice not in realspeech.FILLETS_DEV
    lines = realspeech.fillets_voices(root, (voice,))[voice]
    order = rng_for(0, "r16-fillets-order", voice).permutation(len(lines))
    out, current, total = [], [], 0.0
    want = float(rng_for(0, "r16-fillets", voice, 0).uniform(*FILE_SECONDS))
    for k in order:
        audio, rate = realspeech.read(lines[int(k)].path)
        current.append(dsp.resample(audio, rate, RATE) if rate != RATE else audio)
        if sum(len(c) for c in current) >= want * RATE:
            joined = np.concatenate(current)
            gain = 10 ** ((LEVEL_DB - dsp.active_rms_db(joined, RATE)) / 20)
            joined = joined * gain
            joined *= min(1.0, 0.97 / float(np.abs(joined).max()))
            out.append(dsp.fade(joined.astype(np.float32), RATE))
            total += len(joined) / RATE
            current = []
            want = float(rng_for(0, "r16-fillets", voice, len(out)).uniform(*FILE_SECONDS))
            if total >= MINUTES_PER_VOICE * 60:
                break
    return out


def write_pairs(root: Path, voices: tuple[str, ...], out: Path) -> None:
    """Each voice's joined files under OUT/raw and OUT/teacher (round 24 calls it with the
    minor voices)."""
    for voice in voices:
        files = joined_files(root, voice)
        for i, audio in enumerate(files):
            rel = Path("clean/real16k") / f"cs_fillets_{voice}" / f"cs_fillets_{voice}_{i:04d}.flac"
            for arm, signal in (("raw", audio),
                                ("teacher", enhance_with_peer("deepfilternet3", audio, RATE, 2))):
                path = out / arm / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                sf.write(str(path), np.clip(signal, -1, 1), RATE)
        print(voice, len(files), "files", round(sum(len(a) for a in files) / RATE / 60, 1), "min")


def main(out: Path) -> None:
    write_pairs(Path("data/default/cache/extracted") / realspeech.FILLETS, VOICES, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
