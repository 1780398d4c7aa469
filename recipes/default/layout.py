"""Writing the two layouts the trainer and scorer read, their manifests and size reports.

Training (dynamic mixing): ``TRAIN/clean/**.flac`` (``clean/real8k/`` keeps native 8 kHz),
``TRAIN/noise/**.flac`` and ``TRAIN/rir/**.flac``. Development (paired):
``DEV/noisy/NAME`` and ``DEV/clean/NAME`` with the same relative names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from recipes.default import dsp

MIB = 1024 * 1024
#: Reverberant targets keep the direct path plus this much (as
#: ``malenhance.training.datasets`` does).
EARLY_REFLECTIONS_S = 0.05


def safe_name(text: str, limit: int = 80) -> str:
    """A file-name-safe version of ``text``."""
    return re.sub(r"[^A-Za-z0-9._+-]+", "_", text).strip("_")[:limit] or "x"


def write_audio(path: Path, audio: np.ndarray, rate: int) -> float:
    """Write 16-bit PCM (FLAC or WAV by suffix), clipped to [-1, 1]; returns seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = "FLAC" if path.suffix == ".flac" else "WAV"
    sf.write(str(path), np.clip(audio, -1.0, 1.0), rate, format=fmt, subtype="PCM_16")
    return len(audio) / rate


def write_json(path: Path, data: dict) -> None:
    """Write pretty, stable JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def dir_mib(path: Path) -> float:
    """Total size of the files under ``path`` in MiB."""
    if not path.exists():
        return 0.0
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / MIB


def audio_seconds(path: Path) -> float:
    """Total duration of the audio files under ``path``."""
    total = 0.0
    for p in path.rglob("*"):
        if p.suffix in {".flac", ".wav"}:
            info = sf.info(str(p))
            total += info.frames / info.samplerate
    return total


@dataclass
class Example:
    """One paired development example before writing."""

    name: str
    noisy: np.ndarray
    clean: np.ndarray
    rate: int
    meta: dict


def make_example(name: str, clean: np.ndarray, noise: np.ndarray, rate: int, snr_db: float,
                 level_db: float, rng: np.random.Generator, rir: np.ndarray | None = None,
                 meta: dict | None = None) -> Example:
    """Mix one paired example.

    With a room (``rir``), the noisy input holds the fully reverberant speech and the target
    keeps the direct path plus the first ``EARLY_REFLECTIONS_S`` (the trainer's convention,
    ``malenhance.training.datasets``); without one the target is the dry speech. ``snr_db`` is the
    active level of the (reverberant) speech over the noise RMS; the noisy mixture is set to
    ``level_db`` dBFS and the target scaled by the same gain; both are lowered together if
    either would clip.
    """
    if rir is not None:
        speech = dsp.reverberate(clean, rir)
        direct = int(np.argmax(np.abs(rir)))
        target = dsp.reverberate(clean, rir[: direct + int(EARLY_REFLECTIONS_S * rate)])
    else:
        speech = target = clean.astype(np.float32)
    seg = dsp.fit_length(noise, len(speech), rng, rate)
    noisy = dsp.mix_at_snr(speech, seg, snr_db, rate)
    gain = 10 ** ((level_db - dsp.rms_db(noisy)) / 20)
    peak = max(float(np.abs(noisy).max()) * gain, float(np.abs(target).max()) * gain)
    if peak > 0.97:
        gain *= 0.97 / peak
    info = dict(meta or {})
    info.update(
        {"snr_db": round(float(snr_db), 2), "level_db": round(dsp.rms_db(noisy * gain), 2),
         "seconds": round(len(target) / rate, 3), "rate": rate}
    )
    return Example(name, (noisy * gain).astype(np.float32), (target * gain).astype(np.float32),
                   rate, info)


def write_paired(out: Path, examples: list[Example], header: dict, suffix: str = ".wav") -> dict:
    """Write ``out/noisy/NAME`` and ``out/clean/NAME`` and ``out/manifest.json``."""
    clips = []
    for ex in examples:
        fname = safe_name(ex.name) + suffix
        write_audio(out / "noisy" / fname, ex.noisy, ex.rate)
        write_audio(out / "clean" / fname, ex.clean, ex.rate)
        clips.append({"file": fname, **ex.meta})
    manifest = {**header, "count": len(clips), "clips": clips}
    write_json(out / "manifest.json", manifest)
    return manifest


def check_paired(out: Path) -> list[str]:
    """Problems with a paired layout: unmatched names, rate or length mismatches."""
    noisy = {p.relative_to(out / "noisy") for p in (out / "noisy").rglob("*") if p.is_file()}
    clean = {p.relative_to(out / "clean") for p in (out / "clean").rglob("*") if p.is_file()}
    problems = [f"unpaired {p}" for p in sorted(noisy ^ clean)]
    for rel in sorted(noisy & clean):
        a, b = sf.info(str(out / "noisy" / rel)), sf.info(str(out / "clean" / rel))
        if (a.samplerate, a.frames) != (b.samplerate, b.frames):
            problems.append(f"mismatch {rel}")
    return problems
