"""Level change per band (in speech frames) and in pauses when clean devreal speech is
enhanced, per source, for a few systems (round 14's enhanced clean side):

    python experiments/2026-12-05-round14-gpu/clean_band_levels.py
"""

from __future__ import annotations

import glob
import os

import numpy as np
import soundfile as sf
from scipy import signal

BANDS = [(0, 500), (500, 1000), (1000, 2000), (2000, 3000), (3000, 4000), (4000, 6000),
         (6000, 7000), (7000, 8000)]
SYSTEMS = ["default", "fe-more", "soup-span", "conventional-levers2", "peer-dtln",
           "peer-gtcrn"]


def power(x: np.ndarray) -> np.ndarray:
    return np.abs(signal.stft(x, 16000, nperseg=512, noverlap=384)[2]) ** 2


def levels(reference: np.ndarray, output: np.ndarray) -> list[float]:
    """Output over reference, dB, per band in speech frames (within 30 dB of the loudest),
    then in pauses (more than 50 dB below it)."""
    ref, out = power(reference), power(output)
    freqs = np.fft.rfftfreq(512, 1 / 16000)
    energy = ref.sum(0)
    speech, pause = energy > energy.max() * 1e-3, energy < energy.max() * 1e-5
    result = []
    for low, high in BANDS:
        rows = (freqs >= low) & (freqs < high)
        result.append(10 * np.log10(out[rows][:, speech].sum() / ref[rows][:, speech].sum()))
    pauses = (out[:, pause].sum() + 1e-12) / (ref[:, pause].sum() + 1e-12)
    result.append(10 * np.log10(pauses) if pause.any() else np.nan)
    return result


def main() -> None:
    for source in ("klettres", "g722", "fillets"):
        print(source, "bands:", [f"{a}-{b}" for a, b in BANDS], "pauses")
        for system in SYSTEMS:
            rows = []
            for path in sorted(glob.glob(f"data/default/devreal/clean/real_{source}_*.wav")):
                reference, _ = sf.read(path)
                output, _ = sf.read(f"eval/devreal14/clean/{system}/{os.path.basename(path)}")
                n = min(len(reference), len(output))
                rows.append(levels(reference[:n], output[:n]))
            print(f"  {system:22s}", " ".join(f"{v:+5.1f}" for v in np.nanmean(rows, 0)))


if __name__ == "__main__":
    main()
