"""How long the intrusive metrics take per hour of 16 kHz audio.

Generates ``--minutes`` of speech (espeak-ng) cut into clips, mixes each with noise at
0-15 dB SNR as the "enhanced" signal, then

1. times each metric alone on one core (real-time factor), and
2. runs the whole ``malenhance score`` pipeline (PESQ, STOI, ESTOI, SI-SDR, CSIG/CBAK/COVL,
   file reading and CSV writing) with ``--jobs`` workers,

and extrapolates both to one hour of audio. Goal: <= 3 minutes per hour on 2 cores.

Wall time depends on what else runs on the machine, so CPU time is reported too: on an
otherwise idle machine the wall time is about the CPU time divided by the workers.

Run from the repository root (needs espeak-ng)::

    python benchmarks/score_speed.py --minutes 15 --clip-seconds 8 --jobs 2
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from malenhance.scoring import (
    composite,  # noqa: E402
    score,  # noqa: E402
)
from malenhance.scoring.metrics import pesq_score, si_sdr, stoi_score  # noqa: E402
from tests.speech import SENTENCES, mix, speech  # noqa: E402

RATE = 16000
VOICES = [("en-us", 160, 50), ("en-gb", 175, 40), ("en-us", 140, 70), ("en-gb", 150, 30)]


def make_clips(minutes: float, clip_seconds: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """(clean, degraded) clips adding up to ``minutes`` of 16 kHz audio."""
    utterances = itertools.cycle(
        speech(text, RATE, voice, speed, pitch) for voice, speed, pitch in VOICES
        for text in SENTENCES
    )
    rng = np.random.default_rng(0)
    clips, total, clip_samples = [], 0, int(clip_seconds * RATE)
    while total < minutes * 60 * RATE:
        parts, length = [], 0
        while length < clip_samples:
            part = next(utterances)
            parts.append(part)
            length += len(part)
        clean = np.concatenate(parts)[:clip_samples]
        degraded = mix(clean, float(rng.uniform(0, 15)), seed=len(clips))
        clips.append((clean, degraded))
        total += len(clean)
    return clips


def time_metrics(clips: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, float]:
    """CPU seconds per metric over all clips, in this process with one thread."""
    pairs = [(c.astype(np.float64), d.astype(np.float64)) for c, d in clips]
    metrics = {
        "pesq_wb": lambda c, d: pesq_score(c, d, RATE),
        "stoi": lambda c, d: stoi_score(c, d, RATE),
        "estoi": lambda c, d: stoi_score(c, d, RATE, extended=True),
        "si_sdr": lambda c, d: si_sdr(d, c),
        "composite (LLR, WSS, segSNR)": lambda c, d: composite.composite_scores(c, d, RATE, 2.0),
    }
    seconds = {}
    for name, metric in metrics.items():
        start = time.process_time()
        for clean, degraded in pairs:
            metric(clean, degraded)
        seconds[name] = time.process_time() - start
    return seconds


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_folders(clips: list[tuple[np.ndarray, np.ndarray]], root: Path) -> tuple[Path, Path]:
    clean_dir, enhanced_dir = root / "clean", root / "enhanced"
    clean_dir.mkdir()
    enhanced_dir.mkdir()
    for i, (clean, degraded) in enumerate(clips):
        sf.write(clean_dir / f"{i:05d}.wav", clean, RATE, subtype="PCM_16")
        sf.write(enhanced_dir / f"{i:05d}.wav", degraded, RATE, subtype="PCM_16")
    return clean_dir, enhanced_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15.0, help="audio to generate")
    parser.add_argument("--clip-seconds", type=float, default=8.0, help="length of each file")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="score workers")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()

    clips = make_clips(args.minutes, args.clip_seconds)
    audio_hours = sum(len(c) for c, _ in clips) / RATE / 3600
    print(f"{len(clips)} clips of {args.clip_seconds:g} s, {audio_hours * 60:.1f} min of audio")

    import torch
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        torch.set_num_threads(1)
        per_metric = time_metrics(clips)
    print("\none core, each metric alone (CPU time):")
    for name, seconds in per_metric.items():
        print(f"  {name:30s} RTF {seconds / (audio_hours * 3600):.4f}"
              f"  = {seconds / audio_hours / 60:5.2f} min per hour")
    single = sum(per_metric.values()) / audio_hours / 60
    print(f"  {'all intrusive metrics':30s} {'':10s}  = {single:5.2f} min per hour")

    with tempfile.TemporaryDirectory() as tmp:
        clean_dir, enhanced_dir = write_folders(clips, Path(tmp))
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        report = score([enhanced_dir], reference=clean_dir, output=Path(tmp) / "scores.csv",
                       jobs=args.jobs)
        wall, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    assert not report.errors, report.errors[:3]
    per_hour = wall / audio_hours / 60
    cpu_per_hour = cpu / audio_hours / 60
    load = os.getloadavg()[0]
    print(f"\nmalenhance score, --jobs {args.jobs}, {audio_hours * 60:.1f} min of audio "
          f"(load average {load:.1f} on {os.cpu_count()} cores):")
    print(f"  wall {wall:.1f} s -> {per_hour:.2f} min per hour of audio "
          f"(goal <= 3: {'met' if per_hour <= 3 else 'NOT met'})")
    print(f"  CPU  {cpu:.1f} s -> {cpu_per_hour:.2f} CPU-min per hour; "
          f"{cpu_per_hour / args.jobs:.2f} min per hour on {args.jobs} idle cores")
    if args.json:
        args.json.write_text(json.dumps({
            "audio_minutes": audio_hours * 60, "clip_seconds": args.clip_seconds,
            "jobs": args.jobs, "wall_seconds": wall, "minutes_per_hour": per_hour,
            "cpu_seconds": cpu, "load_average": load,
            "single_core_minutes_per_hour": {
                k: v / audio_hours / 60 for k, v in per_metric.items()
            },
        }, indent=2))


if __name__ == "__main__":
    main()
