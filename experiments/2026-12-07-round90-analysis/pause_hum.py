"""Round 90: what a model leaves in the pauses of tests/test_speech_gate.py's signal (two
espeak-ng sentences with 1.5 s pauses in stationary pink noise and a 100 Hz hum, 5 dB SNR),
per pause: the median and loudest 10 ms frame of the output (dBFS), where the loudest is,
its strongest frequency, and how many frames rise above -70 dBFS.

    python experiments/2026-12-07-round90-analysis/pause_hum.py malenhance/weights/default \
        malenhance/weights/real-noise
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parents[2]))
from malenhance.enhance import enhance_signal  # noqa: E402
from malenhance.hub import load_model  # noqa: E402
from tests.speech import noise_like, sentences_with_pauses  # noqa: E402

RATE = 16000
FRAME = 160  # 10 ms


def signal() -> tuple[np.ndarray, dict[str, tuple[int, int]]]:
    """test_speech_gate.py's `talk` signal, and the spans of its three pauses."""
    clean, said, pauses = sentences_with_pauses(1.5, RATE)
    noise = noise_like(len(clean), seed=1)
    voiced = np.concatenate([clean[a:b] for a, b in said])
    gain = np.sqrt(np.mean(voiced**2) / (np.mean(noise**2) * 10 ** 0.5))
    spans = dict(zip(("before", "between", "after"), pauses, strict=True))
    return (clean + gain * noise).astype(np.float32), spans


def main() -> None:
    noisy, spans = signal()
    print("| model | pause | median (dBFS) | loudest (dBFS) | at (s) | its peak (Hz) "
          "| frames > -70 dBFS |")
    print("|---|---|---|---|---|---|---|")
    for spec in sys.argv[1:]:
        out = enhance_signal(load_model(spec), noisy, RATE)
        for name, (start, end) in spans.items():
            x = out[start:end]
            levels = 10 * np.log10(np.mean(x[: len(x) // FRAME * FRAME].reshape(-1, FRAME) ** 2, 1)
                                   + 1e-12)
            loud = int(np.argmax(levels))
            around = x[max(0, loud * FRAME - 400): loud * FRAME + 560]
            spectrum = np.abs(np.fft.rfft(around * np.hanning(len(around))))
            peak = np.fft.rfftfreq(len(around), 1 / RATE)[int(np.argmax(spectrum))]
            print(f"| `{Path(spec).name}` | {name} | {np.median(levels):.1f} | {levels.max():.1f} "
                  f"| {loud * FRAME / RATE:.2f} | {peak:.0f} | {int((levels > -70).sum())} |")


if __name__ == "__main__":
    main()
