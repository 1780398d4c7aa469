"""Small generated training folders: espeak-ng speech plus reproducible noise."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from tests.speech import SENTENCES, mix, noise_like, speech

VOICES = [("en-us", 50), ("en-gb", 30), ("en-us", 75), ("en-gb", 60)]
EXTRA = [
    "Every morning the baker opens the shop before the sun is up.",
    "Turn left at the second light and park behind the library.",
    "Seven bright kites drifted slowly above the quiet harbour.",
    "He packed two shirts, a map and a warm coat for the journey.",
]


def utterances(count: int, rate: int = 16000) -> list[np.ndarray]:
    """``count`` different clean utterances (sentences x voices), peak 0.5."""
    texts = SENTENCES + EXTRA
    out = []
    for i in range(count):
        voice, pitch = VOICES[i % len(VOICES)]
        out.append(speech(texts[i % len(texts)], rate, voice, 150 + 10 * (i % 3), pitch))
    return out


def make_paired(root: Path, count: int = 8, snr_db: float = 0.0, rate: int = 16000) -> Path:
    """``root/noisy`` + ``root/clean`` with ``count`` pairs at ``snr_db``."""
    (root / "noisy").mkdir(parents=True, exist_ok=True)
    (root / "clean").mkdir(parents=True, exist_ok=True)
    for i, clean in enumerate(utterances(count, rate)):
        sf.write(root / "clean" / f"u{i:02d}.wav", clean, rate)
        sf.write(root / "noisy" / f"u{i:02d}.wav", mix(clean, snr_db, seed=i, rate=rate), rate)
    return root


def make_mixing(root: Path, clean_count: int = 6, noise_count: int = 3,
                rate: int = 16000) -> Path:
    """``root/clean`` + ``root/noise`` for dynamic mixing."""
    (root / "clean").mkdir(parents=True, exist_ok=True)
    (root / "noise").mkdir(parents=True, exist_ok=True)
    for i, clean in enumerate(utterances(clean_count, rate)):
        sf.write(root / "clean" / f"c{i:02d}.wav", clean, rate)
    for i in range(noise_count):
        sf.write(root / "noise" / f"n{i:02d}.wav", 0.1 * noise_like(rate * 3, seed=100 + i), rate)
    return root
