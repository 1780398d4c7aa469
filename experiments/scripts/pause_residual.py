"""How much noise each system leaves in the speech pauses of a paired development set.

    python experiments/scripts/pause_residual.py eval/dev/SYSTEM ... \\
        [--clean eval/dev100/clean] [--noisy eval/dev100/noisy] [--worst 15] [--glob '*.wav']

DNSMOS BAK (and with it OVRL) hears the noise left in pauses; this shows where it is left.
Pauses are the STFT frames (32 ms, 10 ms hop) of the clean reference at least 50 dB below
its loudest frame. For each system: the attenuation of the noisy input's energy in those
frames per frequency band (median over files, dB), the total residual relative to the
speech level (energy mean over files, dB), and, against the first system, the files where
the others remove the most noise more than it does (with the noise of each clip, from the
development set's manifest.json when there is one).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import soundfile as sf

EDGES_HZ = (0, 250, 500, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8001)
PAUSE_DB = -50.0
SPEECH_DB = -30.0


def power_frames(x: np.ndarray, n_fft: int = 512, hop: int = 160) -> np.ndarray:
    """``(frames, bins)`` power spectrogram with a Hann window."""
    x = np.pad(x, (0, max(0, n_fft - len(x))))
    frames = np.lib.stride_tricks.sliding_window_view(x, n_fft)[::hop] * np.hanning(n_fft)
    return np.abs(np.fft.rfft(frames, axis=1)) ** 2


def band_sums(power: np.ndarray, rate: int, n_fft: int = 512) -> np.ndarray:
    """``(frames, bands)`` energy in the bands of :data:`EDGES_HZ`."""
    freqs = np.fft.rfftfreq(n_fft, 1 / rate)
    return np.stack([power[:, (freqs >= lo) & (freqs < hi)].sum(1)
                     for lo, hi in zip(EDGES_HZ[:-1], EDGES_HZ[1:], strict=True)], axis=1)


def clip_residual(clean: np.ndarray, noisy: np.ndarray, enhanced: np.ndarray,
                  rate: int) -> tuple[np.ndarray, float] | None:
    """Per-band attenuation (dB) in the pauses and the residual over speech level (dB)."""
    n = min(len(clean), len(noisy), len(enhanced))
    ref = power_frames(clean[:n]).sum(1)
    pauses = ref < ref.max() * 10 ** (PAUSE_DB / 10)
    speech = ref > ref.max() * 10 ** (SPEECH_DB / 10)
    if pauses.sum() < 5 or not speech.any():
        return None
    left = band_sums(power_frames(enhanced[:n])[pauses], rate)
    before = band_sums(power_frames(noisy[:n])[pauses], rate)
    attenuation = 10 * np.log10(left.sum(0) / (before.sum(0) + 1e-20) + 1e-12)
    residual = 10 * np.log10(left.sum(1).mean() / ref[speech].mean() + 1e-12)
    return attenuation, float(residual)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("systems", nargs="+", type=Path, help="folders of enhanced WAVs")
    ap.add_argument("--clean", type=Path, default=Path("eval/dev100/clean"))
    ap.add_argument("--noisy", type=Path, default=Path("eval/dev100/noisy"))
    ap.add_argument("--manifest", type=Path, default=Path("data/default/dev/manifest.json"))
    ap.add_argument("--worst", type=int, default=15, help="files to list (0: none)")
    ap.add_argument("--glob", default="*.wav", help="which references (e.g. 'real_g722_*.wav')")
    args = ap.parse_args(argv)
    noise_of = {}
    if args.manifest.exists():
        noise_of = {c["file"]: f'{c["noise"]["group"]} {c["snr_db"]:+.1f} dB'
                    for c in json.loads(args.manifest.read_text())["clips"]}
    results: dict[Path, dict[str, tuple[np.ndarray, float]]] = {s: {} for s in args.systems}
    for ref_path in sorted(args.clean.glob(args.glob)):
        clean, rate = sf.read(ref_path, dtype="float64")
        noisy, _ = sf.read(args.noisy / ref_path.name, dtype="float64")
        for system in args.systems:
            enhanced, _ = sf.read(system / ref_path.name, dtype="float64")
            got = clip_residual(clean, noisy, enhanced, rate)
            if got is not None:
                results[system][ref_path.name] = got
    bands = " ".join(f"{lo / 1000:g}-{hi / 1000:g}k" for lo, hi in
                     zip(EDGES_HZ[:-1], EDGES_HZ[1:], strict=True))
    print(f"noise attenuation in pauses, median dB per band ({bands}); residual vs speech")
    for system, per_file in results.items():
        att = np.median([a for a, _ in per_file.values()], axis=0)
        energy = np.mean([10 ** (r / 10) for _, r in per_file.values()])
        print(f"{system.name[:28]:28s} {' '.join(f'{v:6.1f}' for v in att)}   "
              f"{10 * np.log10(energy):6.1f} dB  ({len(per_file)} files)")
    first, others = args.systems[0], args.systems[1:]
    if args.worst and others:
        common = sorted(set(results[first]).intersection(*(results[s] for s in others)))
        gap = {f: results[first][f][1] - min(results[s][f][1] for s in others) for f in common}
        print(f"\nfiles where {first.name} leaves the most more than the best of the others "
              "(residual vs speech, dB):")
        for name in sorted(gap, key=gap.get, reverse=True)[: args.worst]:
            row = " ".join(f"{results[s][name][1]:6.1f}" for s in args.systems)
            print(f"{row}   {name}  {noise_of.get(name, '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
