"""Round 54, afterwards (descriptive): how the default treats quiet speech.

    python experiments/2026-12-06-round54-analysis/quiet.py data/default > \
        experiments/2026-12-06-round54-analysis/quiet.md

1. A quiet syllable of devreal's clean reference ``real_klettres_klettres_tn_030`` (2.2-3.2 s,
   about 35 dB under the syllables before it): what the default removes of it in the clip,
   and alone (0.5 s of silence each side) at its own level and 10, 20, 30 dB louder.
2. Three clean references (one per source) whole, at their own level and 10-40 dB quieter:
   output minus input level, PESQ-wb and ESTOI of output against input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import soundfile as sf
from pesq import pesq
from pystoi import stoi

import malenhance

CLIPS = ["real_g722_IvrvoiceRU_000", "real_klettres_klettres_uk_011",
         "real_fillets_fillets_c_001"]


def level(audio: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(np.square(audio, dtype=np.float64)) + 1e-12))


def main() -> None:
    clean = Path(sys.argv[1]) / "devreal/clean"
    model = malenhance.load_model()
    audio, rate = sf.read(clean / "real_klettres_klettres_tn_030.wav", dtype="float32")
    span = slice(int(2.2 * rate), int(3.2 * rate))
    syllable = audio[span]
    out = malenhance.enhance_array(model, audio, rate)
    print("## A quiet syllable (tn_030, 2.2-3.2 s)\n")
    print("| condition | input level (dBFS) | output minus input (dB) |")
    print("|---|---|---|")
    print(f"| in the clip | {level(syllable):.1f} | {level(out[span]) - level(syllable):+.1f} |")
    pad = np.zeros(rate // 2, np.float32)
    for gain_db in (0, 10, 20, 30):
        piece = syllable * np.float32(10 ** (gain_db / 20))
        alone = malenhance.enhance_array(model, np.concatenate([pad, piece, pad]), rate)
        kept = alone[len(pad):len(pad) + len(piece)]
        print(f"| alone, +{gain_db} dB | {level(piece):.1f} | {level(kept) - level(piece):+.1f} |")
    print("\n## Whole clean references at lower levels\n")
    print("| clip | level (dBFS) | output minus input (dB) | PESQ-wb | ESTOI |")
    print("|---|---|---|---|---|")
    for name in CLIPS:
        audio, rate = sf.read(clean / f"{name}.wav", dtype="float32")
        for gain_db in (0, -10, -20, -30, -40):
            x = audio * np.float32(10 ** (gain_db / 20))
            y = malenhance.enhance_array(model, x, rate)
            print(f"| {name} | {level(x):.1f} | {level(y) - level(x):+.1f} "
                  f"| {pesq(rate, x, y, 'wb'):.2f} | {stoi(x, y, rate, extended=True):.3f} |")


if __name__ == "__main__":
    main()
