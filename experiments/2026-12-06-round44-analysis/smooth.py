"""Round 44, step 4 (README): the default's devreal outputs with their per-bin gain
median-filtered over 5 frames in time, scored by DNSMOS and by step 3's fluctuation.

    python experiments/2026-12-06-round44-analysis/smooth.py eval/devreal18 data/default/devreal
    python -m malenhance score eval/devreal18/noisy/smooth5 --dnsmos --jobs 2 \
        -o eval/r44/dnsmos-smooth.csv --quiet
    python experiments/2026-12-06-round44-analysis/smooth.py eval/devreal18 \
        data/default/devreal eval/r44/dnsmos-smooth.csv   # the table

Writes EVAL/noisy/smooth5 as 16-bit PCM (the CLI's format for these inputs).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy.ndimage import median_filter
from scipy.signal import istft, stft

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
tails = load_decide("2026-12-06-round44-analysis", "tails")

NAME, FRAMES = "smooth5", 5
N_FFT, HOP = 320, 160


def smoothed(noisy: np.ndarray, out: np.ndarray, rate: int) -> np.ndarray:
    """``out`` with its gain against ``noisy`` median-filtered over FRAMES frames per bin."""
    _, _, x = stft(noisy, rate, nperseg=N_FFT, noverlap=N_FFT - HOP)
    _, _, y = stft(out, rate, nperseg=N_FFT, noverlap=N_FFT - HOP)
    gain = np.minimum(np.abs(y) / (np.abs(x) + 1e-9), 1.0)
    steady = median_filter(gain, size=(1, FRAMES), mode="nearest")
    _, audio = istft(y * steady / (gain + 1e-9), rate, nperseg=N_FFT, noverlap=N_FFT - HOP)
    return audio[: len(out)]


def write(folder: Path, dev: Path) -> None:
    target = folder / "noisy" / NAME
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted((folder / "noisy" / "h-ovs05").glob("*.wav")):
        out, rate = sf.read(path, dtype="float64")
        noisy, _ = sf.read(dev / "noisy" / path.name, dtype="float64")
        sf.write(target / path.name, np.clip(smoothed(noisy, out, rate), -1, 1), rate,
                 subtype="PCM_16")


def report(folder: Path, dev: Path, scores: Path) -> None:
    _, _, d120 = round19.tables(folder)
    d120 = {**d120, NAME: round13.table(scores)[NAME]}
    clips = json.loads((dev / "manifest.json").read_text())["clips"]
    systems = ("h-ovs05", NAME, "peer-gtcrn", "peer-deepfilternet3")
    print("DNSMOS SIG / BAK / OVRL, mean over each cell's clips\n")
    tails.dnsmos_cells({s: d120[s] for s in systems}, clips)
    print("\nOutside speech frames: std of the frame level / median frame-to-frame change "
          "(dB):\n")
    tails.fluctuation_table(folder, dev, clips, systems)


def main() -> None:
    folder, dev = Path(sys.argv[1]), Path(sys.argv[2])
    if len(sys.argv) > 3:
        report(folder, dev, Path(sys.argv[3]))
    else:
        write(folder, dev)


if __name__ == "__main__":
    main()
