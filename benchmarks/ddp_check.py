"""Check and time multi-GPU training under ``torchrun`` (DistributedDataParallel).

    torchrun --nproc-per-node 2 benchmarks/ddp_check.py --data data/default/train \\
        --output runs/ddp2 --steps 300 --report ddp2.json [--stop-after 150]

Runs the real trainer (:class:`malenhance.training.trainer.Trainer`, stage 1) and writes, from
rank 0, a JSON report with what the issue asks to be shown:

- ``data``: a fingerprint of every example each rank trained on (first 50 steps): the
  ranks' examples of the same step never coincide;
- ``weights``: after the last step, every rank's weights compared with rank 0's (max
  absolute difference; 0.0 means gradients were averaged and applied identically);
- ``writes``: the files each rank opened for writing or renamed under ``--output``
  (an audit hook sees every ``open``/``os.rename``): only rank 0 has any;
- ``throughput``: examples per second over the steady-state steps, all ranks together.

Run it again with ``--resume`` after a ``--stop-after`` run to check that resuming works.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import torch
import torch.distributed as dist

from malenhance.training.config import TrainConfig
from malenhance.training.data import Batch
from malenhance.training.distributed import setup
from malenhance.training.trainer import Trainer

_FINGERPRINT_STEPS = 50


class _FingerprintingTrainer(Trainer):
    """The real trainer, noting a fingerprint of each example it is handed."""

    fingerprints: list[list[float]]

    def _batches(self) -> Iterator[Batch]:
        self.fingerprints = []
        for batch in super()._batches():
            if len(self.fingerprints) < _FINGERPRINT_STEPS:
                # Sum and energy of each clean example: equal only for the same example.
                clean = batch.clean.double()
                prints = (clean.sum(1) * 1e3 + clean.square().sum(1)).cpu().tolist()
                self.fingerprints.append([round(p, 6) for p in prints])
            yield batch


def _watch_writes(folder: Path) -> list[str]:
    """Record every path under ``folder`` this process opens for writing or renames."""
    root = str(folder.resolve())
    seen: list[str] = []

    def hook(event: str, args: tuple) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            mode = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
            flags = args[2] if len(args) > 2 and isinstance(args[2], int) else 0
            writing = any(c in mode for c in "wax+") or flags & (os.O_WRONLY | os.O_RDWR)
            path = os.path.abspath(os.fsdecode(args[0]))
            if writing and path.startswith(root):
                seen.append(path[len(root) + 1:])
        elif event == "os.rename" and len(args) >= 2:
            path = os.path.abspath(os.fsdecode(args[1]))
            if path.startswith(root):
                seen.append(path[len(root) + 1:])

    sys.addaudithook(hook)
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--stop-after", type=int, default=None)
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--report", type=Path, required=True)
    args = parser.parse_args()

    writes = _watch_writes(args.output)
    config = TrainConfig.from_flat(
        data=args.data, output=args.output, stage1_steps=args.steps, stage2_steps=0,
        batch_size=args.batch_size, segment_seconds=4.0, valid_every=0,
        checkpoint_every=100, best_metric="si_sdr", workers=args.workers, seed=0,
        stop_after=args.stop_after, resume=args.resume, valid_max_items=32,
    )
    config.check()
    ctx = setup("auto")
    trainer = _FingerprintingTrainer(config, ctx, None)
    result = trainer.run()

    flat = torch.cat([p.detach().float().flatten() for p in trainer.model.parameters()])
    weights = [flat.clone() for _ in range(ctx.world_size)]
    per_rank = {"fingerprints": trainer.fingerprints, "writes": sorted(set(writes)),
                "device": str(ctx.device)}
    gathered: list = [None] * ctx.world_size
    if ctx.distributed:
        dist.all_gather(weights, flat)
        dist.all_gather_object(gathered, per_rank)
    else:
        gathered = [per_rank]
    if ctx.is_main:
        steps = min(len(r["fingerprints"]) for r in gathered)
        shared = sum(
            len(set(gathered[a]["fingerprints"][s]) & set(gathered[b]["fingerprints"][s]))
            for s in range(steps) for a in range(ctx.world_size)
            for b in range(a + 1, ctx.world_size))
        times = trainer.stage_times.get("1", [])
        steady = times[1:] or times
        step_time = sum(steady) / len(steady) if steady else float("nan")
        report = {
            "world_size": ctx.world_size,
            "gpus": torch.cuda.device_count(),
            "devices": [r["device"] for r in gathered],
            "step_reached": result.step,
            "stopped_early": result.stopped_early,
            "batch_size_per_rank": args.batch_size,
            "data": {"steps_compared": steps, "examples_shared_between_ranks": shared,
                     "first_step_rank_prints": [r["fingerprints"][0][:4] for r in gathered]},
            "weights": {"max_abs_diff_vs_rank0": [float((w - weights[0]).abs().max())
                                                  for w in weights]},
            "writes": {f"rank{r}": len(g["writes"]) for r, g in enumerate(gathered)},
            "writes_rank_nonzero": [w for g in gathered[1:] for w in g["writes"]],
            "throughput": {"mean_step_time_s": step_time,
                           "examples_per_s": args.batch_size * ctx.world_size / step_time,
                           "audio_hours_per_s": args.batch_size * ctx.world_size * 4.0
                           / step_time / 3600},
        }
        args.report.parent.mkdir(parents=True, exist_ok=True)
        args.report.write_text(json.dumps(report, indent=2))
        print(json.dumps(report, indent=2))
    ctx.close()


if __name__ == "__main__":
    main()
