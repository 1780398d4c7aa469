"""Round 44, step 2 (README): the default's devreal outputs with the band above 5 kHz lowered,
scored by DNSMOS beside the default and GTCRN.

    python experiments/2026-12-06-round44-analysis/shelf.py eval/devreal18 eval/r44
    python -m malenhance score eval/r44/shelf6 eval/r44/shelf12 --dnsmos --jobs 2 \
        -o eval/r44/dnsmos.csv --quiet
    python experiments/2026-12-06-round44-analysis/shelf.py eval/devreal18 eval/r44 \
        data/default/devreal   # the table

Each output is written as 16-bit PCM, the CLI's format for these inputs (round 43: DNSMOS
reads the format).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from rounds import load_decide  # noqa: E402

round13 = load_decide("2026-12-05-round13-gpu")
round19 = load_decide("2026-12-05-round19-cpu")
tails = load_decide("2026-12-06-round44-analysis", "tails")

SHELVES_DB = (6, 12)
LOW_HZ, HIGH_HZ = 4500.0, 5500.0


def shelved(audio: np.ndarray, rate: int, cut_db: float) -> np.ndarray:
    """``audio`` with everything above HIGH_HZ ``cut_db`` lower (raised-cosine from LOW_HZ)."""
    freqs = np.fft.rfftfreq(len(audio), 1 / rate)
    ramp = np.clip((freqs - LOW_HZ) / (HIGH_HZ - LOW_HZ), 0.0, 1.0)
    gain_db = -cut_db * 0.5 * (1 - np.cos(np.pi * ramp))
    return np.fft.irfft(np.fft.rfft(audio) * 10 ** (gain_db / 20), n=len(audio))


def write(folder: Path, out: Path) -> None:
    for cut in SHELVES_DB:
        target = out / f"shelf{cut}"
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted((folder / "noisy" / "h-ovs05").glob("*.wav")):
            audio, rate = sf.read(path, dtype="float64")
            sf.write(target / path.name, np.clip(shelved(audio, rate, cut), -1, 1), rate,
                     subtype="PCM_16")


def report(folder: Path, out: Path, dev: Path) -> None:
    _, _, d120 = round19.tables(folder)
    shelf = round13.table(out / "dnsmos.csv")
    systems = {"h-ovs05": d120["h-ovs05"], **{f"shelf{c}": shelf[f"shelf{c}"]
                                              for c in SHELVES_DB},
               "peer-gtcrn": d120["peer-gtcrn"], "peer-deepfilternet3": d120[
                   "peer-deepfilternet3"]}
    clips = json.loads((dev / "manifest.json").read_text())["clips"]
    print("DNSMOS SIG / BAK / OVRL, mean over the clips of each cell\n")
    tails.dnsmos_cells(systems, clips, total=True)


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    if len(sys.argv) > 3:
        report(folder, out, Path(sys.argv[3]))
    else:
        write(folder, out)


if __name__ == "__main__":
    main()
