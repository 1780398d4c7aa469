"""The fill level trial: every 5th dev8k clip, upsampled to 16 kHz, its upper band emptied,
then white noise high-passed at 4 kHz added at a level under the clip's RMS; PESQ-nb of the
model's output brought back to 8 kHz. From the repo root:

    python experiments/2026-12-05-dev8k-bandfill/fill_levels.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf
import torch
import torchaudio
from pesq import pesq

import malenhance

LEVELS_DB = (-20, -30, -40, -50)


def band(signal: np.ndarray, keep) -> np.ndarray:
    spectrum = np.fft.rfft(signal)
    freqs = np.fft.rfftfreq(len(signal), 1 / 16000)
    spectrum[~keep(freqs)] = 0
    return np.fft.irfft(spectrum, len(signal)).astype(np.float32)


def main() -> None:
    model = malenhance.load_model()
    rng = np.random.default_rng(0)
    scores: dict[int, list[float]] = {level: [] for level in LEVELS_DB}
    for path in sorted(Path("data/default/dev8k/noisy").glob("*.wav"))[::5]:
        noisy, rate = sf.read(path, dtype="float32")
        clean, _ = sf.read(str(path).replace("/noisy/", "/clean/"))
        up = torchaudio.functional.resample(torch.from_numpy(noisy), rate, 16000).numpy()
        low = band(up, lambda f: f <= 3900)
        high = band(rng.standard_normal(len(up)), lambda f: f >= 4000)
        high /= np.std(high)
        for level in LEVELS_DB:
            filled = low + high * np.std(low) * 10 ** (level / 20)
            enhanced = malenhance.enhance_array(model, filled, 16000)
            down = torchaudio.functional.resample(torch.from_numpy(enhanced), 16000, rate)
            scores[level].append(pesq(rate, clean, down.numpy().astype(np.float64)[:len(noisy)],
                                      "nb"))
    for level, values in scores.items():
        print(level, round(float(np.mean(values)), 3))


if __name__ == "__main__":
    main()
