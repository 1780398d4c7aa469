"""Round 67 addendum: is the DistillMOS term's bend a spectral tilt? Level of each system's
output against the clean reference, per band, in the reference's speech frames (within 35 dB
of its loudest frame), on devreal clips.

    python experiments/2026-12-06-round67-gpu/band_levels.py noisy default,g64-w6 CLIP,CLIP
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from pause_residual import power_frames  # noqa: E402

EVAL = Path("eval/devreal54")
DEV = Path("data/default/devreal")
BANDS_HZ = [(0, 500), (500, 1000), (1000, 2000), (2000, 4000), (4000, 6000), (6000, 8000)]
N_FFT = 512  # power_frames' default


def band_levels_db(ref: np.ndarray, out: np.ndarray, rate: int) -> list[float]:
    """Output minus reference, dB per band, over the reference's speech frames."""
    r, o = power_frames(ref), power_frames(out)
    n = min(len(r), len(o))
    r, o = r[:n], o[:n]
    energy = r.sum(axis=1)
    speech = energy > energy.max() * 10 ** -3.5
    freqs = np.fft.rfftfreq(N_FFT, 1 / rate)
    levels = []
    for low, high in BANDS_HZ:
        band = (freqs >= low) & (freqs < high)
        levels.append(float(10 * np.log10(o[speech][:, band].sum() / r[speech][:, band].sum())))
    return levels


def main() -> None:
    part, systems = sys.argv[1], sys.argv[2].split(",")
    manifest = json.loads((DEV / "manifest.json").read_text())["clips"]
    clips = sys.argv[3].split(",") if len(sys.argv) > 3 else sorted(Path(c["file"]).stem
                                                                    for c in manifest)
    levels: dict[str, list[list[float]]] = {s: [] for s in systems}
    header = " | ".join(f"{a / 1000:g}-{b / 1000:g} kHz" for a, b in BANDS_HZ)
    print(f"| clip | system | {header} |\n|---|---|" + "---|" * len(BANDS_HZ))
    for clip in clips:
        ref, rate = sf.read(DEV / "clean" / f"{clip}.wav")
        for system in systems:
            out, _ = sf.read(EVAL / part / system / f"{clip}.wav")
            levels[system].append(band_levels_db(ref, out, rate))
            if len(clips) <= 10:
                cells = " | ".join(f"{v:+.1f}" for v in levels[system][-1])
                print(f"| {clip} | {system} | {cells} |")
    for system in systems:
        cells = " | ".join(f"{v:+.2f}" for v in np.mean(levels[system], axis=0))
        print(f"| mean of {len(clips)} | {system} | {cells} |")


if __name__ == "__main__":
    main()
