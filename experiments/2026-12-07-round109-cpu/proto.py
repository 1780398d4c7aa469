"""Round 109's prototype, on TRAINING voices only (never devreal): the default's output mixed
with its input by a share that grows with a causal running estimate of the input's SNR.

    .venv/bin/python experiments/2026-12-07-round109-cpu/proto.py

Prints, per setting, transparency PESQ-wb on clean real training recordings and in-noise
PESQ-wb / SI-SDR / SI-SDR drops at 0-20 dB (training noise). Not evidence for any decision:
it only picks which settings the rule (RULE.md) names before devreal is scored.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import soundfile as sf
from pesq import pesq
from scipy.signal import lfilter

from malenhance import load_model
from malenhance.enhance import enhance_array

SR = 16000
rng = random.Random(109)


def si_sdr(ref: np.ndarray, est: np.ndarray) -> float:
    ref = ref - ref.mean()
    est = est - est.mean()
    s = (est @ ref) / (ref @ ref + 1e-12) * ref
    return 10 * np.log10((s @ s + 1e-12) / ((est - s) @ (est - s) + 1e-12))


def automix(dry: np.ndarray, wet: np.ndarray, target_db: float, tau_s: float,
            max_share: float) -> np.ndarray:
    removed = dry - wet
    a = np.exp(-1.0 / (tau_s * SR))
    kept = lfilter([1 - a], [1, -a], wet.astype(np.float64) ** 2)
    gone = lfilter([1 - a], [1, -a], removed.astype(np.float64) ** 2)
    snr = 10 * np.log10((kept + 1e-12) / (gone + 1e-12))
    share = np.clip(10 ** ((snr - target_db) / 20), 0.0, max_share)
    return (wet + share * removed).astype(np.float32)


def load(path: Path) -> np.ndarray:
    x, sr = sf.read(path, dtype="float32", always_2d=True)
    assert sr == SR, path
    x = x[:, 0][: 8 * SR]
    return x / max(1e-3, np.abs(x).max()) * 0.5


def main() -> None:
    files = sorted(Path("data/default/train/clean/real16k").rglob("*.flac"))
    files += sorted(Path("data/r58/pairs-extra/original").rglob("*.flac"))
    files = [f for f in files if sf.info(f).duration >= 2.0]
    rng.shuffle(files)
    files = files[:48]
    noises = sorted(Path("data/default/train/noise/real").rglob("*.*"))
    model = load_model("default")
    cases = []  # (reference, input, snr or None, enhanced)
    for f in files:
        clean = load(f)
        cases.append((clean, clean, None, enhance_array(model, clean, SR)))
        for snr in (0, 10, 15, 20):
            n, nsr = sf.read(rng.choice(noises), dtype="float32", always_2d=True)
            n = n[:, 0]
            if nsr != SR or len(n) < len(clean):
                n = np.resize(n, len(clean)) if nsr == SR else None
            if n is None:
                continue
            start = rng.randrange(0, len(n) - len(clean) + 1)
            n = n[start:start + len(clean)]
            n = n * np.sqrt((clean @ clean) / (n @ n + 1e-12) / 10 ** (snr / 10))
            noisy = (clean + n).astype(np.float32)
            cases.append((clean, noisy, snr, enhance_array(model, noisy, SR)))
    settings = [("none", None)] + [
        (f"T{t} tau{tau} max{m}", (t, tau, m))
        for t in (35, 40, 45) for tau in (1.0, 3.0) for m in (0.5,)
    ]
    for label, setting in settings:
        trans, by_snr, drops = [], {}, 0
        for clean, noisy, snr, wet in cases:
            out = wet if setting is None else automix(noisy, wet, *setting)
            if snr is None:
                trans.append(pesq(SR, clean, out, "wb"))
                continue
            p, s = pesq(SR, clean, out, "wb"), si_sdr(clean, out)
            by_snr.setdefault(snr, []).append((p, s))
            drops += snr >= 15 and s < si_sdr(clean, noisy)
        means = {snr: np.mean(vals, axis=0) for snr, vals in sorted(by_snr.items())}
        row = " ".join(f"{snr}dB {m[0]:.3f}/{m[1]:.2f}" for snr, m in means.items())
        print(f"{label:22s} clean-in {np.mean(trans):.3f}  {row}  drops {drops}", flush=True)


if __name__ == "__main__":
    main()
