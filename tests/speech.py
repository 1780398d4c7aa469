"""Real test audio: speech synthesised with espeak-ng, mixed with noise at a chosen SNR."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
import torchaudio

SENTENCES = [
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "Please call Stella and ask her to bring these things with her from the store.",
    "A large size in stockings is hard to sell, but we tried anyway.",
    "She sells sea shells by the sea shore while the waves roll in.",
]


#: The default voice's renderings of SENTENCES, for hosts without espeak-ng (the lent GPU
#: machines run tests/test_corpus.py); written by ``python -m tests.speech``.
RENDERED = Path(__file__).parent / "data" / "speech"


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def _rendered_path(text: str, voice: str, speed: int, pitch: int) -> Path:
    key = hashlib.sha256(f"{voice}|{speed}|{pitch}|{text}".encode()).hexdigest()[:16]
    return RENDERED / f"{key}.flac"


@lru_cache(maxsize=32)
def _espeak(text: str, voice: str, speed: int, pitch: int) -> tuple[np.ndarray, int]:
    rendered = _rendered_path(text, voice, speed, pitch)
    if not have_espeak() and rendered.exists():
        audio, rate = sf.read(rendered, dtype="float32")
        return audio, rate
    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", text],
        check=True,
        capture_output=True,
    ).stdout
    audio, rate = sf.read(io.BytesIO(wav), dtype="float32")
    return audio, rate


def speech(
    text: str = SENTENCES[0],
    rate: int = 16000,
    voice: str = "en-us",
    speed: int = 160,
    pitch: int = 50,
) -> np.ndarray:
    """Mono float32 speech at ``rate``, peak-normalised to 0.5."""
    audio, native = _espeak(text, voice, speed, pitch)
    if native != rate:
        audio = torchaudio.functional.resample(torch.from_numpy(audio), native, rate).numpy()
    return (0.5 * audio / (np.abs(audio).max() + 1e-9)).astype(np.float32)


def sentences_with_pauses(
    pause_seconds: float = 1.5, rate: int = 16000
) -> tuple[np.ndarray, list[tuple[int, int]], list[tuple[int, int]]]:
    """The first two SENTENCES with a pause before, between and after them: the clean
    signal, the two sentences' spans and the three pauses' spans (samples)."""
    first, second = speech(SENTENCES[0], rate), speech(SENTENCES[1], rate)
    gap = np.zeros(int(pause_seconds * rate), np.float32)
    clean = np.concatenate([gap, first, gap, second, gap])
    starts = [0, len(gap), len(gap) + len(first), 2 * len(gap) + len(first),
              len(clean) - len(gap)]
    said = [(starts[1], starts[2]), (starts[3], starts[4])]
    pauses = [(0, starts[1]), (starts[2], starts[3]), (starts[4], len(clean))]
    return clean, said, pauses


def noise_like(n: int, seed: int = 0, rate: int = 16000) -> np.ndarray:
    """Pink-ish noise with a 50 Hz-style hum: stationary, broadband, reproducible."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(n)
    spectrum = np.fft.rfft(white)
    freqs = np.fft.rfftfreq(n, 1 / rate)
    spectrum /= np.sqrt(np.maximum(freqs, 50.0))
    pink = np.fft.irfft(spectrum, n)
    hum = 0.3 * np.sin(2 * np.pi * 100 * np.arange(n) / rate)
    out = pink / pink.std() + hum
    return (out / out.std()).astype(np.float32)


def mix(clean: np.ndarray, snr_db: float, seed: int = 0, rate: int = 16000) -> np.ndarray:
    """``clean`` plus noise scaled to ``snr_db``."""
    noise = noise_like(len(clean), seed, rate)
    gain = np.sqrt(np.mean(clean**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
    return (clean + gain * noise).astype(np.float32)


def si_sdr(estimate: np.ndarray, reference: np.ndarray) -> float:
    """Scale-invariant SDR in dB (for assertions only; the product uses torchmetrics-free code)."""
    reference = reference - reference.mean()
    estimate = estimate - estimate.mean()
    alpha = np.dot(estimate, reference) / (np.dot(reference, reference) + 1e-12)
    target = alpha * reference
    return float(10 * np.log10(np.sum(target**2) / (np.sum((estimate - target) ** 2) + 1e-12)))


def render_sentences() -> None:
    """Write the default voice's SENTENCES to RENDERED (lossless: the same samples)."""
    RENDERED.mkdir(parents=True, exist_ok=True)
    for text in SENTENCES:
        audio, rate = _espeak(text, "en-us", 160, 50)
        path = _rendered_path(text, "en-us", 160, 50)
        sf.write(path, audio, rate, subtype="PCM_16")
        print(path, file=sys.stderr)


if __name__ == "__main__":
    render_sentences()
