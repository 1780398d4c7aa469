"""Step time of stage 1 (conventional) versus stage 2 (MAL), through the real trainer.

    python benchmarks/bench_train_step.py --data data/default/train [--steps 300]

For each MAL variant it runs `malenhance train` with the same batch for ``--steps`` steps
of each stage and reads the per-stage mean step time the trainer logs (the first step of
a stage, which includes compilation and cuDNN tuning, is left out). Run it alone on the
GPU: anything sharing the device changes the numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path


def stage_times(log: Path) -> dict[int, dict]:
    times = {}
    for line in log.read_text().splitlines():
        record = json.loads(line)
        if record.get("type") == "stage_end":
            times[record["stage"]] = record
    return times


def run_variant(args: argparse.Namespace, variant: str, layers: str, workdir: Path) -> dict:
    output = workdir / f"{variant}-{layers}"
    command = [
        sys.executable, "-m", "malenhance", "train", "--data", str(args.data),
        "--output", str(output), "--stage1-steps", str(args.steps),
        "--stage2-steps", str(args.steps), "--mal-variant", variant, "--mal-weight", "1",
        "--mal-layers", layers, "--batch-size", str(args.batch_size), "--segment-seconds",
        str(args.segment_seconds), "--valid-every", "0", "--checkpoint-every", "0",
        "--workers", str(args.workers), "--device", args.device, "-q",
    ]
    subprocess.run(command, check=True)
    times = stage_times(output / "train_log.jsonl")
    stage1 = times[1]["mean_step_time_s"]
    stage2 = times[2]["mean_step_time_s"]
    return {
        "variant": variant,
        "layers": layers,
        "stage1_ms": 1000 * stage1,
        "stage2_ms": 1000 * stage2,
        "ratio": stage2 / stage1,
        "stage1_audio_h_per_gpu_min": times[1]["audio_hours_per_gpu_minute"],
        "stage2_audio_h_per_gpu_min": times[2]["audio_hours_per_gpu_minute"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--segment-seconds", type=float, default=4.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--layers", nargs="*", default=["all", "bottleneck"])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for layers in args.layers:
            for variant in ("frozen", "frozen-fe", "dynamic"):
                results.append(run_variant(args, variant, layers, Path(tmp)))
                print(json.dumps(results[-1]), flush=True)
    try:
        import torch

        device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    except ImportError:  # pragma: no cover
        device = "unknown"
    print(json.dumps({"device": device, "batch": args.batch_size,
                      "segment_seconds": args.segment_seconds, "results": results}, indent=2))


if __name__ == "__main__":
    main()
