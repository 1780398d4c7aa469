"""End-to-end speed of `malenhance enhance` on a corpus: file by file, batched, and under
torchrun on several GPUs (results go in docs/speed.md).

    python benchmarks/bench_corpus.py --gpus 1 2 4 8 --check 20     # a GPU machine
    python benchmarks/bench_corpus.py --device cpu --hours 0.03 --gpus 1 2 --batch-sizes 4

It builds (once, in --workdir) a folder of files 5-60 s long: 16 kHz mono WAV and 48 kHz
mono FLAC (--share-48k of the hours), then times the command end to end, each run into an
empty output folder:

- ``per_file``: ``--batch-files 0``, the file-by-file path (PyTorch on a GPU);
- ``batched_B``: one process, the model on B files at once (``--batch-files B``);
- ``torchrun_N``: ``torchrun --standalone --nproc-per-node N -m malenhance enhance ...``
  (N processes; on a GPU machine each takes GPU ``LOCAL_RANK % GPUs``, so N = GPUs x
  --procs-per-gpu).

Each result (one JSON line) has the wall time of the whole command (Python start-up, model
load, CUDA start included) and the x real time its summary reports (audio over the
processing time, start-up excluded), the CPU count and load. ``--check K`` also enhances K
files on the CPU file by file (onnxruntime, the reference path) and reports the largest
difference to the batched GPU outputs (the goal: < 1e-4 beyond the output format's step).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import soundfile as sf

REPO = Path(__file__).resolve().parents[1]
# The summary line: corpus runs give "(N x real time)", the per-file path "(RTF r)".
SUMMARY = re.compile(r"enhanced ([\d,]+) files?, .*? of audio in .*?"
                     r"(?: \((?:([\d,]+)x real time|RTF ([\d.]+))\))?(?: by \d+ processes)?; "
                     r"model loaded in ([\d.]+) s; skipped ([\d,]+); failed ([\d,]+)")


def _speechlike(seconds: float, rate: int, seed: int) -> np.ndarray:
    """Voiced bursts at a varying pitch over noise: as costly to enhance as speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    pitch = 120 + 60 * np.sin(2 * np.pi * 0.3 * t + seed)
    voiced = np.sin(2 * np.pi * np.cumsum(pitch) / rate) * (np.sin(2 * np.pi * 2.5 * t) > 0)
    return (0.1 * voiced + 0.02 * rng.standard_normal(t.size)).astype(np.float32)


def _write_one(spec: tuple[str, float, int, int]) -> None:
    path, seconds, rate, seed = spec
    fmt = {"subtype": "PCM_16"} if rate == 16000 else {"subtype": "PCM_24", "format": "FLAC"}
    sf.write(path, _speechlike(seconds, rate, seed), rate, **fmt)


def build_corpus(folder: Path, hours: float, share_48k: float, files: int | None,
                 seed: int = 0) -> dict:
    """Files of 5-60 s (uniform) until ``hours`` (or ``files`` files); kept between runs."""
    manifest = folder / "corpus.json"
    wanted = {"hours": hours, "share_48k": share_48k, "files": files, "seed": seed}
    if manifest.exists() and json.loads(manifest.read_text())["wanted"] == wanted:
        return json.loads(manifest.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    rng = np.random.default_rng(seed)
    specs, total = [], 0.0
    while (total < hours * 3600) if files is None else (len(specs) < files):
        seconds = float(rng.uniform(5, 60))
        rate = 48000 if rng.random() < share_48k else 16000
        ext = "wav" if rate == 16000 else "flac"
        name = folder / "in" / f"spk{len(specs) % 50:02d}" / f"utt{len(specs):06d}.{ext}"
        specs.append((str(name), seconds, rate, len(specs)))
        total += seconds
    for spk in {Path(s[0]).parent for s in specs}:
        spk.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_write_one, specs, chunksize=16))
    info = {"wanted": wanted, "files": len(specs), "hours": round(total / 3600, 3),
            "hours_48k": round(sum(s[1] for s in specs if s[2] == 48000) / 3600, 3)}
    manifest.write_text(json.dumps(info))
    return info


def _pythonpath() -> str:
    """The repo first, then whatever the caller had (a carried site dir on a bare GPU host)."""
    return os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p)


def run(name: str, command: list[str], out: Path, env: dict | None = None) -> dict:
    """Time ``command`` end to end into an empty ``out``; its summary's numbers."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": _pythonpath(), **(env or {})})
    wall = time.perf_counter() - start
    found = SUMMARY.search(proc.stderr)
    result = {"run": name, "rc": proc.returncode, "wall_s": round(wall, 2),
              "load_average": os.getloadavg()[0], "command": " ".join(command[-14:])}
    if found:
        done, speed, rtf, load, skipped, failed = found.groups()
        if speed:
            speed = int(speed.replace(",", ""))
        elif rtf and float(rtf) > 0:
            speed = round(1 / float(rtf))
        result.update(files=int(done.replace(",", "")), model_load_s=float(load),
                      x_realtime_processing=speed, failed=int(failed.replace(",", "")))
    if proc.returncode or not found:
        result["stderr_tail"] = proc.stderr[-2000:]
    return result


def check(corpus: Path, batched: Path, files: int, workdir: Path) -> dict:
    """Largest difference between ``batched`` outputs and the CPU file-by-file path's."""
    every = sorted((corpus / "in").rglob("*.*"))
    sources = every[:: max(len(every) // max(files, 1), 1)][:files]
    reference = workdir / "check"
    shutil.rmtree(reference, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "malenhance", "enhance", *map(str, sources), "-o",
                    str(reference), "--device", "cpu", "-q"], check=True, cwd=REPO,
                   env={**os.environ, "PYTHONPATH": _pythonpath()})
    worst = 0.0
    for source in sources:
        a, _ = sf.read(reference / source.name, always_2d=True)
        b, _ = sf.read(batched / source.relative_to(corpus / "in"), always_2d=True)
        worst = max(worst, float(np.abs(a - b).max()))
    return {"run": "check", "files": len(sources), "max_abs_diff_vs_cpu": worst,
            "pcm16_step": 2.0 ** -15}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu")
    parser.add_argument("--hours", type=float, default=10.0, help="audio in the corpus")
    parser.add_argument("--files", type=int, default=None, help="or this many files")
    parser.add_argument("--share-48k", type=float, default=0.3)
    parser.add_argument("--gpus", type=int, nargs="*", default=[1, 2, 4, 8],
                        help="torchrun runs with this many GPUs (processes on the CPU)")
    parser.add_argument("--procs-per-gpu", type=int, default=1,
                        help="processes per GPU under torchrun (more CPUs per GPU's work)")
    parser.add_argument("--batch-sizes", type=int, nargs="*", default=[64],
                        help="--batch-files of the one-process batched runs")
    parser.add_argument("--no-per-file", action="store_true", help="skip the per-file run")
    parser.add_argument("--check", type=int, default=0, metavar="K",
                        help="compare K batched outputs with the CPU per-file path")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/malenhance-bench-corpus"))
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    corpus = build_corpus(args.workdir / "corpus", args.hours, args.share_48k, args.files)
    env: dict = {"device": args.device, "cpus": os.cpu_count(), **corpus}
    if args.device.startswith("cuda"):
        import torch

        env["gpu"] = torch.cuda.get_device_name()
        env["gpus_present"] = torch.cuda.device_count()
    print(json.dumps(env), flush=True)
    out = args.workdir / "out"
    cli = ["-m", "malenhance", "enhance", str(args.workdir / "corpus" / "in"), "-o", str(out),
           "--device", args.device, "--model", args.model]
    base = [sys.executable, *cli]
    if not args.no_per_file:
        print(json.dumps(run("per_file", [*base, "--batch-files", "0"], out)), flush=True)
    for batch in args.batch_sizes:
        print(json.dumps(run(f"batched_{batch}", [*base, "--batch-files", str(batch)], out)),
              flush=True)
    if args.check:
        print(json.dumps(check(args.workdir / "corpus", out, args.check, args.workdir)),
              flush=True)
    torchrun = str(Path(sys.executable).with_name("torchrun"))
    batch = ["--batch-files", str(args.batch_sizes[-1])] if args.batch_sizes else []
    for gpus in args.gpus:
        procs = gpus * args.procs_per_gpu
        visible = {"CUDA_VISIBLE_DEVICES": ",".join(map(str, range(gpus)))}
        command = [torchrun, "--standalone", "--nproc-per-node", str(procs), *cli, *batch]
        result = run(f"torchrun_{gpus}", command, out,
                     visible if args.device.startswith("cuda") else None)
        print(json.dumps({**result, "processes": procs}), flush=True)
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
