"""Where a mask model's DNSMOS SIG loss comes from: damage to speech, or noise left in it.

    python experiments/scripts/sig_decomposition.py [--model default] \\
        [--clean data/devfresh/dev/clean] [--noisy data/devfresh/dev/noisy] [--count 40]

MalNet's filter is linear in its input, so its output on ``noisy = clean + noise`` is
exactly the filtered clean speech plus the filtered noise (``MalNet.forward(noisy, also)``).
DNSMOS scores each part apart: the filtered speech alone (speech damage, no residual noise)
and the clean speech plus the filtered noise (residual noise, no speech damage), next to the
clean speech and the model's output. A second table gives the filter's gain on the speech
per band (dB, speech-active frames), overall and in the bins where the speech is at least
10 dB above the noise or below it: how much speech it takes off where it should not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

EDGES_HZ = (0, 250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8001)
SIGNALS = ("clean", "output", "filtered speech", "clean + filtered noise")


def split_output(model: torch.nn.Module, clean: np.ndarray, noisy: np.ndarray,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The model's filtered speech and filtered noise (they sum to its output)."""
    noisy_t = torch.from_numpy(noisy)[None]
    with torch.no_grad():
        _, speech = model(noisy_t, torch.from_numpy(clean)[None])
        _, noise = model(noisy_t, torch.from_numpy(noisy - clean)[None])
    return speech[0].numpy(), noise[0].numpy()


def band_gains(clean: np.ndarray, noise: np.ndarray, speech: np.ndarray, rate: int,
               n_fft: int = 320, hop: int = 160) -> dict[str, np.ndarray]:
    """Per-band gain (dB) from ``clean`` to the filtered ``speech`` in speech-active frames:
    all bins, bins where the clean speech is >= 10 dB above ``noise``, and bins below it."""
    def power(x: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop] * np.hanning(n_fft)
        return np.abs(np.fft.rfft(frames, axis=1)) ** 2

    ps, pn, pf = power(clean), power(noise), power(speech)
    active = ps.sum(1) > ps.sum(1).max() * 1e-3
    ps, pn, pf = ps[active], pn[active], pf[active]
    freqs = np.fft.rfftfreq(n_fft, 1 / rate)
    local_snr = 10 * np.log10((ps + 1e-20) / (pn + 1e-20))
    out = {name: np.full(len(EDGES_HZ) - 1, np.nan) for name in ("all", "speech >= noise + 10 dB",
                                                                 "speech < noise")}
    for i, (lo, hi) in enumerate(zip(EDGES_HZ[:-1], EDGES_HZ[1:], strict=True)):
        band = (freqs >= lo) & (freqs < hi)
        for name, pick in (("all", np.ones_like(local_snr, bool)),
                           ("speech >= noise + 10 dB", local_snr >= 10),
                           ("speech < noise", local_snr < 0)):
            cells = pick[:, band]
            if cells.any():
                out[name][i] = 10 * np.log10(pf[:, band][cells].sum() / ps[:, band][cells].sum())
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="default", help="model spec (folder or bundled name)")
    ap.add_argument("--clean", type=Path, default=Path("data/devfresh/dev/clean"))
    ap.add_argument("--noisy", type=Path, default=Path("data/devfresh/dev/noisy"))
    ap.add_argument("--count", type=int, default=40, help="first N files (sorted by name)")
    args = ap.parse_args(argv)

    from malenhance import load_model
    from malenhance.scoring.metrics import dnsmos_scores

    files = sorted(args.noisy.glob("*.wav"))[: args.count]
    if not files or not args.clean.is_dir():
        print(f"error: no noisy WAV files in {args.noisy} or no folder {args.clean}",
              file=sys.stderr)
        return 2
    model = load_model(args.model).eval()
    scores: dict[str, list[dict[str, float]]] = {name: [] for name in SIGNALS}
    gains: dict[str, list[np.ndarray]] = {}
    for path in files:
        clean, rate = sf.read(args.clean / path.name, dtype="float32")
        noisy, _ = sf.read(path, dtype="float32")
        n = min(len(clean), len(noisy))
        clean, noisy = clean[:n], noisy[:n]
        speech, noise = split_output(model, clean, noisy)
        signals = dict(zip(SIGNALS, (clean, speech + noise, speech, clean + noise),
                           strict=True))
        for name, signal in signals.items():
            scores[name].append(dnsmos_scores(signal, rate).values)
        for name, row in band_gains(clean, noisy - clean, speech, rate).items():
            gains.setdefault(name, []).append(row)

    print(f"{len(files)} files, model {args.model}\n")
    print("| signal | SIG | BAK | OVRL |\n|---|---|---|---|")
    for name, rows in scores.items():
        means = [np.mean([r[f"dnsmos_{k}"] for r in rows]) for k in ("sig", "bak", "ovrl")]
        print(f"| {name} | " + " | ".join(f"{m:.3f}" for m in means) + " |")
    bands = [f"{lo / 1000:g}-{min(hi, 8000) / 1000:g} kHz"
             for lo, hi in zip(EDGES_HZ[:-1], EDGES_HZ[1:], strict=True)]
    print("\nGain of the filter on the speech (dB, mean over files)\n")
    print("| bins | " + " | ".join(bands) + " |\n|---|" + "---|" * len(bands))
    for name, rows in gains.items():
        means = np.nanmean(np.stack(rows), axis=0)
        print(f"| {name} | " + " | ".join(f"{m:.1f}" for m in means) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
