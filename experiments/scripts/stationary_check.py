"""A paired check set of steady noise: development speech + fresh synthetic hum, fan, engine,
coloured noise.

    python experiments/scripts/stationary_check.py --out eval/stationary     # OUT/clean, OUT/noisy
    malenhance enhance eval/stationary/noisy -o eval/stationary/SYSTEM -m MODEL
    malenhance score eval/stationary/SYSTEM ... --ref eval/stationary/clean \\
        --noisy eval/stationary/noisy --dnsmos

The development set's noise is real sound effects and music; steady noise (hum, fans,
engines, hiss), common in real recordings, is nearly absent from it. These are new
instances (own seeds) of the recipe's synthetic noise types, which training also uses, so
this is a regression check for a noise class, not an independent test.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from recipes.default import noises  # noqa: E402

KINDS = ("coloured", "hum", "fan", "engine")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clean", type=Path, default=Path("eval/dev100/clean"))
    ap.add_argument("--out", type=Path, default=Path("eval/stationary"))
    ap.add_argument("--files", type=int, default=40)
    ap.add_argument("--seed", type=int, default=777)
    args = ap.parse_args(argv)
    speech = sorted(args.clean.glob("*.wav"))[: args.files]
    if not speech:  # an empty check set would score as "no change" downstream
        print(f"error: no .wav files in {args.clean}", file=sys.stderr)
        return 2
    (args.out / "clean").mkdir(parents=True, exist_ok=True)
    (args.out / "noisy").mkdir(parents=True, exist_ok=True)
    for i, path in enumerate(speech):
        clean, rate = sf.read(path, dtype="float32")
        rng = np.random.default_rng([args.seed, i])
        kind = KINDS[i % len(KINDS)]
        noise = np.asarray(noises.SYNTHETIC[kind](rng, len(clean), rate)[0], np.float32)
        snr_db = rng.uniform(-2.0, 12.0)
        active = clean[np.abs(clean) > 1e-4]
        gain = np.sqrt(np.mean(active**2) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
        noisy = clean + gain * noise
        scale = min(1.0, 0.5 / np.abs(noisy).max())
        name = f"{i:02d}_{kind}.wav"
        sf.write(args.out / "noisy" / name, noisy * scale, rate)
        sf.write(args.out / "clean" / name, clean * scale, rate)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
