"""Stereo link: does a stereo recording keep its image through enhancement?

    python benchmarks/bench_stereo_link.py --dev data/default/devfull --out eval/stereo.json

Stereo scenes made from the full-band development set (48 kHz): each clip's clean voice in
both channels, the right one panned 3 dB down and delayed (0.25 ms: a near-coincident
pair; 1 ms: a spaced pair), plus independent noise per channel (the clip's own noise on
the left, the next clip's noise at the same level on the right). Per system, band
(0-8 and 8-20 kHz) and clip, over the clean's speech frames (within 30 dB of the loudest),
weighted by the clean's energy so that they measure the voice's image, not the noise's:

- coherence: per frequency bin ``|sum_t L R*| / sqrt(sum_t |L|^2 sum_t |R|^2)`` of the
  output's two channels, averaged over the band's bins weighted by the clean's energy there
  (1 for the clean scene: one voice, a level difference and a delay);
- ILD error: per time-frequency bin, the absolute difference between the output's and the
  clean's left-right level difference, averaged weighted by the clean's energy, dB;
- band SNR: of each channel against its clean channel (bench_fullband's), mean of the two.

Systems: the channels enhanced independently, linked through the channel mean (the model
run once), linked through the channels' summed energies (the model run per channel).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_fullband import BANDS, N_FFT, _spectra, band_scores  # noqa: E402

SCENES = {"pan -3 dB, 0.25 ms": (0.708, 0.00025), "pan -3 dB, 1 ms": (0.708, 0.001)}
SYSTEMS = {"independent": {"stereo_link": False},
           "linked (mean)": {"stereo_link": True, "link_source": "mean"},
           "linked (power)": {"stereo_link": True, "link_source": "power"}}


def scene(dev: Path, names: list[str], index: int, pan: float, delay_s: float,
          ) -> tuple[np.ndarray, np.ndarray, int]:
    """``(clean, noisy)`` stereo ``(2, n)`` arrays of clip ``index`` and the rate."""
    clean, rate = sf.read(dev / "clean" / names[index], dtype="float32")
    noisy, _ = sf.read(dev / "noisy" / names[index], dtype="float32")
    other = names[(index + 1) % len(names)]
    right_noise = (sf.read(dev / "noisy" / other, dtype="float32")[0]
                   - sf.read(dev / "clean" / other, dtype="float32")[0])
    left_noise = noisy - clean
    right_noise = np.resize(right_noise, clean.shape)  # looped or cut to the length
    right_noise *= np.std(left_noise) / (np.std(right_noise) + 1e-12)
    shift = round(delay_s * rate)
    right = pan * np.concatenate([np.zeros(shift, np.float32), clean[: len(clean) - shift]])
    stereo_clean = np.stack([clean, right])
    return stereo_clean, stereo_clean + np.stack([left_noise, right_noise]), rate


def image_scores(clean: np.ndarray, out: np.ndarray, rate: int) -> dict[str, float]:
    """Coherence and ILD error per band of stereo ``out`` against stereo ``clean``, weighted
    by the clean's energy per bin: the image of the speech, not of the residual noise."""
    cl, cr = _spectra(clean[0]), _spectra(clean[1])
    yl, yr = _spectra(out[0]), _spectra(out[1])
    freqs = np.fft.rfftfreq(N_FFT, 1 / rate)
    weight = np.abs(cl) ** 2 + np.abs(cr) ** 2
    speech = weight.sum(0) > weight.sum(0).max() * 1e-3

    def ild(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return 10 * np.log10((np.abs(a) ** 2 + 1e-12) / (np.abs(b) ** 2 + 1e-12))

    scores = {}
    for name, (lo, hi) in BANDS.items():
        rows = (freqs >= lo) & (freqs < hi)
        w = weight[rows][:, speech]
        left, right = yl[rows][:, speech], yr[rows][:, speech]
        cross = np.abs(np.sum(left * np.conj(right), axis=1))
        norm = np.sqrt(np.sum(np.abs(left) ** 2, 1) * np.sum(np.abs(right) ** 2, 1))
        per_bin = cross / (norm + 1e-20)
        scores[f"coherence_{name}"] = float(np.sum(per_bin * w.sum(1)) / w.sum())
        error = np.abs(ild(left, right) - ild(cl[rows][:, speech], cr[rows][:, speech]))
        scores[f"ild_error_db_{name}"] = float(np.sum(error * w) / w.sum())
    return scores


def run(dev: Path, clips: int | None = None) -> dict:
    from malenhance.enhance import EnhancePipeline
    from malenhance.light import load_engine

    engine = load_engine("default", threads=1)
    names = sorted(p.name for p in (dev / "clean").glob("*.wav"))
    chosen = range(len(names) if clips is None else min(clips, len(names)))
    report: dict = {}
    for scene_name, (pan, delay) in SCENES.items():
        rows: dict[str, list[dict[str, float]]] = {n: [] for n in ["clean", "noisy", *SYSTEMS]}
        for index in chosen:
            clean, noisy, rate = scene(dev, names, index, pan, delay)
            outputs = {"clean": clean, "noisy": noisy}
            for name, options in SYSTEMS.items():
                pipeline = EnhancePipeline(engine, rate, 2, **options)
                outputs[name] = np.concatenate([pipeline.push(noisy), pipeline.flush()], axis=1)
            for name, out in outputs.items():
                scores = image_scores(clean, out, rate)
                for key in BANDS:
                    snrs = [band_scores(clean[c], out[c], rate)[f"snr_{key}"] for c in (0, 1)]
                    scores[f"snr_{key}"] = float(np.mean(snrs))
                rows[name].append(scores)
        report[scene_name] = {
            name: {key: round(float(np.mean([v[key] for v in values])), 3) for key in values[0]}
            for name, values in rows.items()
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=Path("data/default/devfull"))
    parser.add_argument("--out", type=Path, default=Path("eval/stereo_link.json"))
    parser.add_argument("--clips", type=int, default=None, help="the first N clips only")
    args = parser.parse_args(argv)
    report = run(args.dev, args.clips)
    text = json.dumps(report, indent=1)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
