"""Round 90: how far a model takes stationary noise down in the pauses after speech.
test_speech_gate.py's sentences and pauses, in pink or white noise alone (no hum) at 0, 5
and 15 dB SNR, five noise seeds; per model the pauses' input energy over output energy (dB).
``peer:NAME`` runs a peer of benchmarks/peers.py (gtcrn, dtln, deepfilternet3, ...) instead.

    python experiments/2026-12-07-round90-analysis/pause_stationary.py malenhance/weights/default \
        malenhance/weights/real-noise
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2]))
from benchmarks.peers import enhance_with_peer  # noqa: E402
from malenhance.enhance import enhance_signal  # noqa: E402
from malenhance.hub import load_model  # noqa: E402
from tests.speech import sentences_with_pauses  # noqa: E402

RATE = 16000
SEEDS = range(1, 6)


def pink(n: int, seed: int) -> np.ndarray:
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    spectrum /= np.sqrt(np.maximum(np.fft.rfftfreq(n, 1 / RATE), 50.0))
    return np.fft.irfft(spectrum, n)


def white(n: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(n)


def main() -> None:
    models = {spec.split(":", 1)[1] if spec.startswith("peer:") else Path(spec).name:
              spec if spec.startswith("peer:") else load_model(spec) for spec in sys.argv[1:]}
    clean, said, all_pauses = sentences_with_pauses(1.5, RATE)
    n, pauses = len(clean), all_pauses[1:]  # the pauses after speech
    voiced = np.concatenate([clean[a:b] for a, b in said])
    print("| noise | SNR (dB) | " + " | ".join(f"`{m}`" for m in models) + " |")
    print("|---|---|" + "---|" * len(models))
    for kind, make in (("pink", pink), ("white", white)):
        for snr in (0, 5, 15):
            reduction = {m: [] for m in models}
            for seed in SEEDS:
                noise = make(n, seed)
                gain = np.sqrt(np.mean(voiced**2) / (np.mean(noise**2) * 10 ** (snr / 10)))
                noisy = (clean + gain * noise).astype(np.float32)
                before = np.concatenate([noisy[a:b] for a, b in pauses])
                for name, model in models.items():
                    out = (enhance_with_peer(model[5:], noisy, RATE) if isinstance(model, str)
                           else enhance_signal(model, noisy, RATE))
                    after = np.concatenate([out[a:b] for a, b in pauses])
                    reduction[name].append(10 * np.log10(np.mean(before**2)
                                                         / (np.mean(after**2) + 1e-20)))
            cells = [f"{np.mean(v):.1f} ({min(v):.1f}..{max(v):.1f})" for v in reduction.values()]
            print(f"| {kind} | {snr} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
