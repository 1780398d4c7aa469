"""Round 60 probe (descriptive, no training): the default with its input features computed
from a level-normalised copy of the spectrum (the mask still filters the original).

    python experiments/2026-12-06-round60-cpu/levelprobe.py data/default TAU_S MAX_DB [CLIP...]

The model setting ``level_norm_s`` (malenhance/model.py): per frame the mean power of the last
TAU_S of input sets a gain that lifts what the network sees towards TARGET_DBFS (env, default
-25: the training mixtures' level), up to MAX_DB and never below 0 dB. Prints
transparency (clean references) and, where the clip has a noisy twin, PESQ-wb of the noisy
pass, for the plain default and the normalised one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import torch
from pesq import pesq
from pystoi import stoi

import malenhance

TARGET_DBFS = float(os.environ.get('TARGET_DBFS', -25))


@torch.no_grad()
def run(model: malenhance.MalNet, audio: np.ndarray) -> np.ndarray:
    return model(torch.from_numpy(audio)[None])[0].numpy()


def main() -> None:
    root = Path(sys.argv[1]) / "devreal"
    tau_s, max_db = float(sys.argv[2]), float(sys.argv[3])
    names = sys.argv[4:]
    plain = malenhance.load_model().eval()
    lifted = plain.with_settings(level_norm_s=tau_s, level_norm_dbfs=TARGET_DBFS,
                                 level_norm_max_db=max_db).eval()
    print(f"tau {tau_s} s, max {max_db} dB")
    print("| clip | transp. PESQ-wb plain | norm | ESTOI plain | norm "
          "| noisy PESQ-wb plain | norm |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        clean, rate = sf.read(root / "clean" / f"{name}.wav", dtype="float32")
        row = []
        outs = [run(plain, clean), run(lifted, clean)]
        row += [f"{pesq(rate, clean, y, 'wb'):.2f}" for y in outs]
        row += [f"{stoi(clean, y, rate, extended=True):.3f}" for y in outs]
        noisy_path = root / "noisy" / f"{name}.wav"
        if noisy_path.exists():
            noisy, _ = sf.read(noisy_path, dtype="float32")
            row += [f"{pesq(rate, clean, run(m, noisy), 'wb'):.2f}" for m in (plain, lifted)]
        print(f"| {name} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
