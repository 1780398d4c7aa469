"""The band above 8 kHz at 48 kHz: what each system keeps of speech and removes of noise.

    python benchmarks/bench_fullband.py --dev data/default/devfull --out eval/devfull

On the full-band development set (recipe stage ``devfull``: held-out real voices with content
above 8 kHz, full-band noise at 5 and 15 dB, 48 kHz), per system and band (0-8 and 8-20 kHz):

- band SNR: clean band energy over the energy of (output - clean) in that band, summed over
  the clip, in dB (the noisy input's own band SNR is printed as ``noisy``);
- upper level: the output's 8-20 kHz energy in speech frames relative to the clean's, in dB;
- clean pass: each system run on the clean references themselves, the 8-20 kHz level of its
  output relative to its input (transparency of the upper band);
- paired differences to DeepFilterNet3 per clip, mean and 95 % confidence half-width;
- RTF at 48 kHz on one thread: CPU seconds of this process (``time.process_time``: all its
  threads, but it is pinned to one CPU with one thread everywhere) per second of audio, on
  the first 30 s of the noisy clips put end to end, best of 2, every system in the same
  run (NSNet2 too). CPU time, not wall time, because the machine is shared: other
  processes stretch the wall clock far more than this process's own CPU time.

Systems: malenhance (full band, the default; the onnxruntime engine that ``malenhance
enhance`` runs on the CPU, whose output equals the PyTorch path's within 1e-4), malenhance
with ``full_band=False`` (the band-limited output of before), every other bundled model
(``malenhance-NAME``, full band), and the peers DeepFilterNet3
(48 kHz native) and noisereduce (works at the input's rate), all on the same files.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.peers import enhance_with_peer, limit_threads  # noqa: E402

RATE = 48000
BANDS = {"0-8k": (0.0, 8000.0), "8-20k": (8000.0, 20000.0)}
N_FFT, HOP = 2048, 512


def _spectra(audio: np.ndarray) -> np.ndarray:
    wav = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float32))
    spec = torch.stft(wav, N_FFT, HOP, window=torch.hann_window(N_FFT), return_complex=True)
    return spec.numpy()


def band_scores(clean: np.ndarray, out: np.ndarray, rate: int) -> dict[str, float]:
    """Band SNRs of ``out`` against ``clean`` and the upper level in speech frames."""
    n = min(len(clean), len(out))
    c, y = _spectra(clean[:n]), _spectra(out[:n])
    freqs = np.fft.rfftfreq(N_FFT, 1 / rate)
    frame_energy = np.sum(np.abs(c) ** 2, axis=0)
    speech = 10 * np.log10(frame_energy + 1e-20) > 10 * np.log10(frame_energy.max()) - 30
    scores = {}
    for name, (lo, hi) in BANDS.items():
        rows = (freqs >= lo) & (freqs < hi)
        signal_e = np.sum(np.abs(c[rows]) ** 2)
        error_e = np.sum(np.abs(y[rows] - c[rows]) ** 2)
        scores[f"snr_{name}"] = float(10 * np.log10((signal_e + 1e-20) / (error_e + 1e-20)))
    upper = (freqs >= BANDS["8-20k"][0]) & (freqs < BANDS["8-20k"][1])
    ratio = np.sum(np.abs(y[upper][:, speech]) ** 2) / (np.sum(np.abs(c[upper][:, speech]) ** 2)
                                                         + 1e-20)
    scores["upper_level"] = float(10 * np.log10(ratio + 1e-20))
    return scores


def _ours(full_band: bool, model: str = "default"):
    """``malenhance enhance``'s CPU path: the onnxruntime engine, one thread."""
    from malenhance.enhance import enhance_signal
    from malenhance.light import load_engine

    engine = load_engine(model, threads=1)

    def run(audio: np.ndarray, rate: int) -> np.ndarray:
        return enhance_signal(engine, audio, rate, full_band=full_band)

    return run


def _peer(name: str):
    return lambda audio, rate: enhance_with_peer(name, audio, rate)


def systems() -> dict:
    from malenhance.hub import DEFAULT_MODEL, bundled_models

    others = {f"malenhance-{name}": _ours(True, name) for name in bundled_models()
              if name != DEFAULT_MODEL}
    return {
        "malenhance": _ours(True),
        "malenhance-8k": _ours(False),
        **others,
        "deepfilternet3": _peer("deepfilternet3"),
        "noisereduce": _peer("noisereduce"),
    }


def clip_names(dev: Path, clips: int | None = None) -> list[str]:
    names = sorted(p.name for p in (dev / "clean").glob("*.wav"))
    return names if clips is None else names[:clips]


def enhance_all(dev: Path, out: Path, runners: dict, names: list[str]) -> None:
    """Enhance ``dev/noisy`` and ``dev/clean`` with each system (files that exist are kept)."""
    for part in ("noisy", "clean"):
        for path in (dev / part / name for name in names):
            audio, rate = sf.read(path, dtype="float32")
            for name, run in runners.items():
                target = out / part / name / path.name
                if target.exists():
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                sf.write(target, run(audio, rate), rate, subtype="FLOAT")


Rows = dict[str, list[dict[str, float]]]


def score(dev: Path, out: Path, names: list[str], clips: list[str],
          ) -> tuple[dict[str, dict[str, float]], Rows]:
    """Mean scores per system over the clips (and the noisy input's band SNRs), and the
    per-clip scores."""
    rows: dict[str, list[dict[str, float]]] = {n: [] for n in ["noisy", *names]}
    passes: dict[str, list[float]] = {n: [] for n in names}
    for path in (dev / "clean" / clip for clip in clips):
        clean, rate = sf.read(path, dtype="float32")
        noisy, _ = sf.read(dev / "noisy" / path.name, dtype="float32")
        rows["noisy"].append(band_scores(clean, noisy, rate))
        for name in names:
            out_noisy, _ = sf.read(out / "noisy" / name / path.name, dtype="float32")
            rows[name].append(band_scores(clean, out_noisy, rate))
            out_clean, _ = sf.read(out / "clean" / name / path.name, dtype="float32")
            passes[name].append(band_scores(clean, out_clean, rate)["upper_level"])
    table = {}
    for name, values in rows.items():
        table[name] = {key: round(float(np.mean([v[key] for v in values])), 2)
                       for key in values[0]}
        if name in passes:
            table[name]["clean_pass_upper_level"] = round(float(np.mean(passes[name])), 2)
            for row, value in zip(values, passes[name], strict=True):
                row["clean_pass_upper_level"] = value
    return table, rows


def paired(rows: Rows, reference: str) -> dict[str, dict[str, str]]:
    """Per system, the mean per-clip difference to ``reference`` and its 95 % confidence
    half-width (normal approximation), e.g. ``"+0.12 ±0.30"``."""
    out = {}
    for name, values in rows.items():
        if name == reference or name == "noisy":
            continue
        out[name] = {}
        for key in values[0]:
            diff = np.array([a[key] - b[key] for a, b in zip(values, rows[reference],
                                                               strict=True)])
            half = 1.96 * diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else 0.0
            out[name][key] = f"{diff.mean():+.2f} ±{half:.2f}"
    return out


def timing_audio(dev: Path, seconds: float) -> np.ndarray:
    """The first ``seconds`` of the noisy clips put end to end (48 kHz)."""
    parts, total = [], 0
    for path in sorted((dev / "noisy").glob("*.wav")):
        audio, rate = sf.read(path, dtype="float32")
        if rate != RATE:
            raise ValueError(f"{path}: {rate} Hz, expected {RATE}")
        parts.append(audio)
        total += len(audio)
        if total >= seconds * RATE:
            break
    return np.concatenate(parts)[: int(seconds * RATE)]


def rtf_48k(audio: np.ndarray, runners: dict, repeats: int = 2) -> dict[str, float]:
    """CPU seconds of this process per second of 48 kHz audio on one thread, best of
    ``repeats`` (loading and a 1 s warm-up not counted)."""
    out = {}
    with limit_threads(1):
        torch.set_num_threads(1)
        for name, run in runners.items():
            run(audio[:RATE], RATE)
            best = float("inf")
            for _ in range(repeats):
                start = time.process_time()
                run(audio, RATE)
                best = min(best, time.process_time() - start)
            out[name] = round(best / (len(audio) / RATE), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=Path("data/default/devfull"))
    parser.add_argument("--out", type=Path, default=Path("eval/devfull"))
    parser.add_argument("--no-rtf", action="store_true", help="skip the speed measurement")
    parser.add_argument("--clips", type=int, default=None, help="the first N clips only")
    parser.add_argument("--rtf-seconds", type=float, default=30.0)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    runners = systems()
    clips = clip_names(args.dev, args.clips)
    enhance_all(args.dev, args.out, runners, clips)
    table, rows = score(args.dev, args.out, list(runners), clips)
    report: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "clips": len(clips),
                    "bands": table, "paired_vs_deepfilternet3": paired(rows, "deepfilternet3")}
    if not args.no_rtf:
        timed = {**runners, "nsnet2": _peer("nsnet2")}
        load = os.getloadavg()[0]
        report["rtf_48k_1_thread_cpu_time"] = rtf_48k(
            timing_audio(args.dev, args.rtf_seconds), timed)
        report["load_average_1min"] = [round(load, 2), round(os.getloadavg()[0], 2)]
    print(json.dumps(report, indent=1))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
