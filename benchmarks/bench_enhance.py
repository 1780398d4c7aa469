"""Speed and memory of `malenhance enhance` (results go in README.md).

    python benchmarks/bench_enhance.py                 # CPU: RTF on 1 thread / all cores, memory
    python benchmarks/bench_enhance.py --gpu           # GPU batch throughput (x real time)
    python benchmarks/bench_enhance.py --peers         # also time installed peers, same run

Memory is the peak resident set size of a `malenhance enhance` subprocess on a generated
10- and 60-minute 16 kHz file; flat in length is the goal (<= 600 MB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _signal(seconds: float, rate: int = 16000, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voiced = np.sin(2 * np.pi * 140 * t) * (np.sin(2 * np.pi * 3 * t) > 0)
    return (0.1 * voiced + 0.03 * rng.standard_normal(t.size)).astype(np.float32)


def time_rtf(threads: int, seconds: float = 60.0, repeats: int = 3,
             torch_gru: bool = False) -> float:
    """Best-of-``repeats`` RTF of ``enhance_tensor``; ``torch_gru``: without fast_gru."""
    from malenhance.enhance import enhance_tensor
    from malenhance.fast_gru import DISABLE_ENV
    from malenhance.hub import load_model

    os.environ[DISABLE_ENV] = "1" if torch_gru else "0"
    torch.set_num_threads(threads)
    model = load_model()
    x = torch.from_numpy(_signal(seconds))
    with torch.inference_mode():
        enhance_tensor(model, x[:16000], 16000)
        best = min(_timed(lambda: enhance_tensor(model, x, 16000)) for _ in range(repeats))
    return best / seconds


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def write_long_file(path: Path, minutes: float, rate: int = 16000) -> None:
    """Write block by block so the benchmark itself stays small in memory."""
    with sf.SoundFile(path, "w", rate, 1, subtype="PCM_16") as handle:
        for i in range(int(minutes * 6)):
            handle.write(_signal(10.0, rate, seed=i))


# Peak memory as the kernel reports it when the command exits (what `/usr/bin/time -v` shows),
# exit included. The command runs under a small launcher because a process forked from this
# one would inherit this process's memory high-water mark.
_LAUNCHER = (
    "import os, subprocess, sys\n"
    "p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
    "err = p.stderr.read()\n"
    "_, status, usage = os.wait4(p.pid, 0)\n"
    "sys.stderr.write(err.decode(errors='replace'))\n"
    "print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)\n"
)


def peak_memory_mb(minutes: float, workdir: Path) -> tuple[float, float]:
    """Peak RSS (MB) and wall time (s) of `malenhance enhance` on a file of ``minutes``."""
    src = workdir / f"long_{minutes:g}min.wav"
    write_long_file(src, minutes)
    command = [sys.executable, "-m", "malenhance", "enhance", str(src),
               "-o", str(workdir / "out.wav"), "--overwrite", "--quiet"]
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *command],
                          capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - start
    code, kilobytes = proc.stdout.split()
    if code != "0":
        raise RuntimeError(proc.stderr)
    return int(kilobytes) / 1024, elapsed


def gpu_throughput(batch: int = 64, seconds: float = 10.0, repeats: int = 5) -> dict:
    from malenhance.hub import load_model

    model = load_model(device="cuda")
    x = torch.randn(batch, int(seconds * 16000), device="cuda") * 0.1
    with torch.inference_mode():
        model(x)
        torch.cuda.synchronize()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            model(x)
            torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
    best = min(times)
    return {
        "device": torch.cuda.get_device_name(),
        "batch": batch,
        "clip_seconds": seconds,
        "x_realtime": batch * seconds / best,
        "peak_gpu_mb": torch.cuda.max_memory_allocated() / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpu", action="store_true", help="only the GPU throughput")
    parser.add_argument("--peers", action="store_true", help="time installed peers too")
    parser.add_argument("--minutes", type=float, nargs="*", default=[10, 60])
    args = parser.parse_args()
    results: dict = {"cpu": os.cpu_count(), "torch": torch.__version__}
    if args.gpu:
        for batch in (16, 64, 256):
            results[f"gpu_batch_{batch}"] = gpu_throughput(batch)
        print(json.dumps(results, indent=2))
        return
    # Memory first: the peers' timing changes this process (threads, CPU affinity).
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in args.minutes:
            mb, wall = peak_memory_mb(minutes, Path(tmp))
            results[f"peak_rss_mb_{minutes:g}min"] = mb
            results[f"wall_s_{minutes:g}min"] = wall
    # Alternate the two GRU backends so that both see the same machine load.
    for _ in range(2):
        results.setdefault("rtf_1_thread", []).append(time_rtf(1))
        results.setdefault("rtf_1_thread_torch_gru", []).append(time_rtf(1, torch_gru=True))
    results["rtf_all_cores"] = time_rtf(os.cpu_count() or 1)
    results["rtf_all_cores_torch_gru"] = time_rtf(os.cpu_count() or 1, torch_gru=True)
    if args.peers:
        from benchmarks.peers import time_peers

        results["peers_rtf_1_thread"] = time_peers(_signal(60.0), 16000)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
