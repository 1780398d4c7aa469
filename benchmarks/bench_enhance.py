"""Speed and memory of `malenhance enhance` (results go in docs/speed.md).

    python benchmarks/bench_enhance.py                 # CPU: start-up, memory, RTF
    python benchmarks/bench_enhance.py --gpu           # GPU batch throughput (x real time)
    python benchmarks/bench_enhance.py --peers         # also time NSNet2 and DeepFilterNet3

On the CPU, in one run so that both see the same machine load: the wall time of the whole
`malenhance enhance` command on a 3 s file beside `python -c "import numpy"` (the floor of
any numpy program), with the default onnxruntime engine and with `MALENHANCE_ENGINE=torch`;
the peak resident set size of the command on a 3 s, 10- and 60-minute 16 kHz file (flat in
length, <= 300 MB is the goal); the real-time factor on one thread (one CPU) of both
engines, alternated, by wall and by CPU time, beside the peers.
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


def time_rtf(threads: int, seconds: float = 60.0, repeats: int = 3, engine: str = "onnxruntime",
             clock: str = "wall", model_spec: str = "default") -> float:
    """Best-of-``repeats`` RTF of the enhancement pipeline on ``threads`` threads (and CPUs).

    ``engine``: ``onnxruntime`` (the CPU default, :mod:`malenhance.light`), ``torch`` (the
    PyTorch model, GRU in onnxruntime) or ``torch_gru`` (all PyTorch); ``model_spec``: what
    ``-m`` takes (onnxruntime only for an ensemble).
    """
    from benchmarks.peers import limit_threads
    from malenhance.enhance import enhance_signal
    from malenhance.fast_gru import DISABLE_ENV
    from malenhance.hub import load_model
    from malenhance.light import load_engine

    os.environ[DISABLE_ENV] = "1" if engine == "torch_gru" else "0"
    timer = {"wall": time.perf_counter, "cpu": time.process_time}[clock]
    x = _signal(seconds)
    with limit_threads(threads):
        model = (load_engine(model_spec, threads=threads) if engine == "onnxruntime"
                 else load_model(model_spec))
        enhance_signal(model, x[:16000], 16000)
        best = min(_timed(lambda: enhance_signal(model, x, 16000), timer)
                   for _ in range(repeats))
    return round(best / seconds, 5)


def _timed(fn, timer=time.perf_counter) -> float:
    start = timer()
    fn()
    return timer() - start


def startup(seconds: float = 3.0, repeats: int = 5) -> dict:
    """Best wall time of `malenhance enhance` on a ``seconds`` file, end to end, with each
    engine, beside `python -c "import numpy"`, interleaved so that all see the same load."""
    commands = {"numpy_floor_s": [sys.executable, "-c", "import numpy"]}
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.wav"
        sf.write(src, _signal(seconds), 16000, subtype="PCM_16")
        enhance = [sys.executable, "-m", "malenhance", "enhance", str(src), "-o",
                   str(Path(tmp) / "out.wav"), "--overwrite", "--quiet"]
        commands["enhance_onnxruntime_s"] = enhance
        commands["enhance_torch_s"] = enhance
        for _ in range(repeats):
            for name, command in commands.items():
                env = {**os.environ, "MALENHANCE_ENGINE": "torch" if "torch" in name else ""}
                took = _timed(lambda c=command, e=env: subprocess.run(c, env=e, check=True))
                results[name] = round(min(results.get(name, took), took), 3)
    floor = results["numpy_floor_s"]
    results["onnxruntime_over_floor"] = round(results["enhance_onnxruntime_s"] / floor, 2)
    results["torch_over_floor"] = round(results["enhance_torch_s"] / floor, 2)
    return results


def write_long_file(path: Path, minutes: float, rate: int = 16000) -> None:
    """Write block by block so the benchmark itself stays small in memory."""
    with sf.SoundFile(path, "w", rate, 1, subtype="PCM_16") as handle:
        blocks, rest = divmod(minutes * 60, 10.0)
        for i in range(int(blocks)):
            handle.write(_signal(10.0, rate, seed=i))
        if rest:
            handle.write(_signal(rest, rate, seed=int(blocks)))


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


def peak_memory_mb(minutes: float, workdir: Path, engine: str = "") -> tuple[float, float]:
    """Peak RSS (MB) and wall time (s) of `malenhance enhance` on a file of ``minutes``
    (``engine``: the value of MALENHANCE_ENGINE, e.g. ``torch``; empty: the default)."""
    src = workdir / f"long_{minutes:g}min.wav"
    if not src.exists():
        write_long_file(src, minutes)
    command = [sys.executable, "-m", "malenhance", "enhance", str(src),
               "-o", str(workdir / "out.wav"), "--overwrite", "--quiet"]
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _LAUNCHER, *command],
                          capture_output=True, text=True, check=True,
                          env={**os.environ, "MALENHANCE_ENGINE": engine})
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
    parser.add_argument("--peers", action="store_true", help="time NSNet2 and DeepFilterNet3 too")
    parser.add_argument("--minutes", type=float, nargs="*", default=[0.05, 10, 60],
                        help="file lengths for the memory test (0.05: 3 s)")
    parser.add_argument("--models", nargs="*", default=[],
                        help="more models (-m specs, e.g. ensemble) timed beside the default "
                             "on one thread, onnxruntime")
    parser.add_argument("--rtf-only", action="store_true",
                        help="skip the start-up and memory tests")
    args = parser.parse_args()
    results: dict = {"cpu": os.cpu_count(), "torch": torch.__version__,
                     "load_average_at_start": os.getloadavg()}
    if args.gpu:
        for batch in (16, 64, 256):
            results[f"gpu_batch_{batch}"] = gpu_throughput(batch)
        print(json.dumps(results, indent=2))
        return
    if not args.rtf_only:
        results["startup_3s_file"] = startup()
        print(json.dumps(results, indent=2), flush=True)
    # Memory next: the peers' timing changes this process (threads, CPU affinity).
    with tempfile.TemporaryDirectory() as tmp:
        for minutes in [] if args.rtf_only else args.minutes:
            for engine in ("", "torch") if minutes == 10 else ("",):
                mb, wall = peak_memory_mb(minutes, Path(tmp), engine)
                name = f"{minutes:g}min" + ("_torch" if engine else "")
                results[f"peak_rss_mb_{name}"] = round(mb, 1)
                results[f"wall_s_{name}"] = round(wall, 2)
    print(json.dumps(results, indent=2), flush=True)
    # RTF on one thread: the engines alternated, by wall and by CPU time, then the peers.
    for clock in ("wall", "cpu"):
        for _ in range(2):
            for engine in ("onnxruntime", "torch"):
                results.setdefault(f"rtf_1_thread_{clock}_{engine}", []).append(
                    time_rtf(1, engine=engine, clock=clock))
            for spec in args.models:
                results.setdefault(f"rtf_1_thread_{clock}_onnxruntime_{spec}", []).append(
                    time_rtf(1, clock=clock, model_spec=spec))
        if args.peers:
            from benchmarks.peers import time_peers

            results[f"peers_rtf_1_thread_{clock}"] = time_peers(
                _signal(60.0), 16000, names=["nsnet2", "deepfilternet3"], clock=clock)
    if args.rtf_only:
        results["load_average_at_end"] = os.getloadavg()
        print(json.dumps(results, indent=2))
        return
    results["rtf_all_cores_onnxruntime"] = time_rtf(os.cpu_count() or 1)
    results["rtf_all_cores_torch"] = time_rtf(os.cpu_count() or 1, engine="torch")
    results["load_average_at_end"] = os.getloadavg()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
