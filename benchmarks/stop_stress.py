"""Stop real runs at random moments and count the stops that went wrong.

A stop is good when the run exits with the signal's status (128 + its number; 0 if it had
already finished), prints no traceback and leaves no partial file. Races that a single test
meets one time in thirty (docs/reliability.md) show up here in a few minutes:

    python -m benchmarks.stop_stress train 40           # train --workers 2, SIGTERM
    python -m benchmarks.stop_stress jobs 60            # enhance / score --jobs 2, SIGTERM
    python -m benchmarks.stop_stress jobs 30 --sigint   # the same with Ctrl-C
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

from tests.speech import mix
from tests.test_faults import _start, _train_args
from tests.train_data import make_paired, utterances

RATE = 16000


def _train_command(root: Path, i: int) -> tuple[list[object], Path]:
    data = root / "data"
    if not data.exists():
        make_paired(data, count=10, snr_db=0.0)
    run = root / f"run{i}"
    args = _train_args(data, run)
    args[args.index("--workers") + 1] = 2
    args[args.index("--stage1-steps") + 1] = 400
    return args, run


def _jobs_command(root: Path, i: int, seconds: int) -> tuple[list[object], Path]:
    source = root / "source"
    if not source.exists():
        clips = utterances(8)
        for k in range(12):
            clean = np.tile(clips[k % 8], 1 + seconds)[: seconds * RATE] * 0.5
            for name, audio in (("clean", clean), ("noisy", mix(clean, 5.0, seed=k))):
                (source / name).mkdir(parents=True, exist_ok=True)
                sf.write(source / name / f"s{k:02d}.wav", audio, RATE, subtype="PCM_16")
    out = root / f"out{i}"
    if i % 2 == 0:
        return ["enhance", source / "noisy", "-o", f"{out}/", "-j", 2, "-q"], out
    out.mkdir()
    return ["score", source / "noisy", "-r", source / "clean", "-o", out / "table.csv",
            "-j", 2, "--no-dnsmos", "-q"], out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["train", "jobs"])
    parser.add_argument("runs", type=int)
    parser.add_argument("--sigint", action="store_true", help="Ctrl-C instead of SIGTERM")
    parser.add_argument("--seconds", type=int, default=8, help="length of each jobs file")
    options = parser.parse_args()
    signum = signal.SIGINT if options.sigint else signal.SIGTERM
    bad = 0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for i in range(options.runs):
            if options.kind == "train":
                args, out = _train_command(root, i)
            else:
                args, out = _jobs_command(root, i, options.seconds)
            process = _start(*args)
            if options.kind == "train":  # into the steps, loader workers busy
                while not (out / "checkpoints" / "last.pt").exists():
                    if process.poll() is not None:
                        break
                    time.sleep(0.02)
                time.sleep(random.uniform(0.1, 2.0))
            else:
                time.sleep(random.uniform(1.0, 6.0))
            os.killpg(process.pid, signum)
            _, err = process.communicate(timeout=300)
            parts = [p.name for p in out.rglob("*") if p.name.endswith((".part", ".tmp"))]
            good = (process.returncode in (0, 128 + signum) and "Traceback" not in err
                    and "Exception ignored" not in err and not parts)
            bad += not good
            print(i, args[0], process.returncode, "ok" if good else "BAD", *parts, flush=True)
            if not good:
                print(err[-3000:], flush=True)
    print(f"bad stops: {bad} of {options.runs}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
