"""The training loop: a conventional stage, then Model as Loss (MAL).

:func:`train` takes a :class:`TrainConfig` and an optional progress callback and returns a
:class:`TrainResult`; it prints nothing. Global steps ``[0, stage1_steps)`` are stage 1
(:class:`~malenhance.losses.Stage1Loss`), steps ``[stage1_steps, stage1_steps +
stage2_steps)`` are stage 2 (the stage-1 loss plus ``mal_weight`` times
:class:`~malenhance.losses.MALLoss`). Each stage has its own AdamW optimizer and warm-up +
cosine schedule; stage 2 starts from the last stage-1 weights (or ``--init``).

Files under ``output``: ``checkpoints/last.pt`` (everything needed to resume),
``checkpoints/best-stage{1,2}.pt`` (best weights by ``best_metric``), ``train_log.jsonl``,
``curves.png``, ``stage1/`` (the stage-1 model, when stage 2 follows) and the final model
(``config.json``, ``model.safetensors``, ``README.md``) in ``output`` itself.

Under ``torchrun`` every process trains on its own shard of each batch through
DistributedDataParallel; only rank 0 writes files and reports progress.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader

from malenhance import checkpoint, curves
from malenhance.data import (
    Batch,
    DataConfig,
    DataWarning,
    ShardedBatchSampler,
    build_datasets,
    collate,
)
from malenhance.distributed import DistContext, setup
from malenhance.errors import TrainingError
from malenhance.losses import MAL_LAYERS, MAL_VARIANTS, MALLoss, Stage1Loss
from malenhance.model import MalNet
from malenhance.validation import METRICS, evaluate, missing_metrics

CHECKPOINT_FORMAT = 1
# A resumed run must agree with the checkpoint on everything that shapes the step stream.
RESUME_MUST_MATCH = ("seed", "batch_size", "segment_seconds", "stage1_steps", "mal_variant",
                     "mal_layers", "mal_weight", "mal_chunk_seconds", "residual_weight",
                     "speech_distortion_weight", "extra_noise_prob", "noise_balance", "data",
                     "oversuppression_weight", "clean_prob")
# Options added after checkpoints were first written: their value when a checkpoint lacks them.
RESUME_DEFAULTS = {"residual_weight": 0.0, "speech_distortion_weight": 0.0,
                   "extra_noise_prob": 0.0, "noise_balance": False,
                   "oversuppression_weight": 0.0, "clean_prob": 0.0}


# Init-model settings --model-config may change along with --init (function-preserving).
GROWABLE = frozenset({"df_order"})


@dataclass
class TrainConfig:
    """Everything a training run depends on (the CLI fills it from its options).

    Attributes:
        data: data folder (paired or dynamic-mixing layout, see :mod:`malenhance.data`).
        output: folder for the exported model, checkpoints, log and plot.
        stage1_steps, stage2_steps: optimizer steps of each stage (0 skips a stage).
        mal_variant: ``frozen``, ``frozen-fe`` or ``dynamic`` (see ``MALLoss``).
        mal_weight: weight of the MAL term in stage 2 (0 = stage-1 loss with the stage-2
            schedule and freezing: the "continue stage 1" baseline).
        mal_layers: ``bottleneck`` or ``all`` encoder depths.
        residual_weight: extra weight on spectral error where the output is louder than the
            clean target (residual noise), in every stage of this run; 0 = off.
        oversuppression_weight: extra weight on spectral error where the output is quieter
            than the clean target (speech taken away), in every stage of this run; 0 = off.
        clean_prob: share of training mixtures with no noise (input = target); 0 = off.
        speech_distortion_weight: weight of a spectral loss between the clean speech passed
            through the model's filter (the filter it chose for the noisy input) and the clean
            speech itself: speech damage counted apart from residual noise, in every stage of
            this run; 0 = off.
        mal_fused: encode clean and enhanced audio in one batched call (see ``MALLoss``);
            ``None`` = on CUDA only.
        mal_chunk_seconds: MAL encodes chunks of this length, batched (see ``MALLoss``;
            0 = whole segments). 1 s keeps a MAL step within ~1.3x of a stage-1 step on an
            H100, where the GRU's time loop dominates.
        valid: validation folder; else a seeded held-out share of ``data``.
        init: model spec (folder, bundled name or Hub repo) to start from.
        resume: continue from ``output/checkpoints/last.pt`` if it exists.
        model_config: ``MalNet`` init arguments (smaller or larger variants); with ``init``
            only ``df_order``, which grows the initial model's filter (``with_df_order``).
        stage2_lr: peak learning rate of stage 2 (default: half of ``lr``).
        warmup_steps: linear warm-up of each stage (capped at a tenth of the stage).
        grad_clip: maximum gradient norm.
        valid_every: validate every this many steps (and at the end of each stage).
        checkpoint_every: write ``last.pt`` every this many steps (and at stage ends).
        best_metric: validation metric that picks the best checkpoint.
        export: export the ``best`` (by ``best_metric``) or the ``last`` weights.
        log_every: average the loss terms over this many steps per log line.
        device: ``auto``, ``cpu``, ``cuda`` or ``cuda:N``.
        amp: bf16 autocast on CUDA (off by default: this small, latency-bound model ran
            slower in bf16 on an H100).
        compile: ``torch.compile`` the model's forward pass.
        workers: DataLoader worker processes.
        max_bad_steps: stop after this many consecutive non-finite losses or gradients.
        stop_after: stop (with a checkpoint) once this global step is done: for tests and
            time-limited jobs; ``resume`` continues.
    """

    data: Path
    output: Path
    stage1_steps: int
    stage2_steps: int
    mal_variant: str = "frozen"
    mal_weight: float = 1.0
    mal_layers: str = "bottleneck"
    mal_fused: bool | None = None
    mal_chunk_seconds: float = 1.0
    valid: Path | None = None
    init: str | None = None
    resume: bool = False
    model_config: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 16
    segment_seconds: float = 4.0
    snr_range: tuple[float, float] = (-5.0, 20.0)
    level_range_db: tuple[float, float] = (-35.0, -15.0)
    reverb_prob: float = 0.5
    extra_noise_prob: float = 0.0
    noise_balance: bool = False
    clean_prob: float = 0.0
    valid_share: float = 0.05
    valid_max_items: int = 100
    valid_seconds: float = 8.0
    lr: float = 1e-3
    stage2_lr: float | None = None
    weight_decay: float = 0.01
    warmup_steps: int = 500
    grad_clip: float = 5.0
    magnitude_weight: float = 1.0
    complex_weight: float = 1.0
    si_sdr_weight: float = 0.01
    residual_weight: float = 0.0
    oversuppression_weight: float = 0.0
    speech_distortion_weight: float = 0.0
    valid_every: int = 1000
    checkpoint_every: int = 500
    best_metric: str = "pesq"
    export: str = "best"
    log_every: int = 10
    device: str = "auto"
    amp: bool = False
    compile: bool = False
    workers: int = 4
    seed: int = 0
    max_bad_steps: int = 10
    stop_after: int | None = None

    def check(self) -> None:
        """Raise :class:`TrainingError` on contradictory or out-of-range options."""
        if self.stage1_steps < 0 or self.stage2_steps < 0:
            raise TrainingError("step counts must be >= 0")
        if self.stage1_steps + self.stage2_steps == 0:
            raise TrainingError("nothing to do: --stage1-steps and --stage2-steps are both 0")
        if self.mal_variant not in MAL_VARIANTS:
            raise TrainingError(f"--mal-variant must be one of {', '.join(MAL_VARIANTS)}")
        if self.mal_layers not in MAL_LAYERS:
            raise TrainingError(f"--mal-layers must be one of {', '.join(MAL_LAYERS)}")
        if self.best_metric not in METRICS:
            raise TrainingError(f"best metric must be one of {', '.join(METRICS)}")
        if self.export not in ("best", "last"):
            raise TrainingError("export must be 'best' or 'last'")
        if self.residual_weight < 0:
            raise TrainingError("--residual-weight must be >= 0")
        if self.oversuppression_weight < 0:
            raise TrainingError("--oversuppression-weight must be >= 0")
        if not 0.0 <= self.clean_prob <= 1.0:
            raise TrainingError("--clean-prob must be within 0..1")
        if self.speech_distortion_weight < 0:
            raise TrainingError("--speech-distortion-weight must be >= 0")
        if self.mal_weight < 0 or self.batch_size < 1 or self.segment_seconds <= 0:
            raise TrainingError("--mal-weight must be >= 0, --batch-size >= 1, "
                                "--segment-seconds > 0")
        if self.mal_chunk_seconds < 0:
            raise TrainingError("--mal-chunk-seconds must be >= 0 (0: whole segments)")
        if not 0.0 <= self.extra_noise_prob <= 1.0:
            raise TrainingError("--extra-noise-prob must be within 0..1")
        if self.snr_range[0] > self.snr_range[1]:
            raise TrainingError("--snr-range must be LOW,HIGH with LOW <= HIGH")
        if self.init and set(self.model_config) - GROWABLE:
            raise TrainingError("with --init, --model-config may only set df_order (the "
                                "initial model brings the rest of its configuration)")

    def data_config(self) -> DataConfig:
        return DataConfig(
            segment_seconds=self.segment_seconds, snr_range=tuple(self.snr_range),
            level_range_db=tuple(self.level_range_db), reverb_prob=self.reverb_prob,
            extra_noise_prob=self.extra_noise_prob, noise_balance=self.noise_balance,
            clean_prob=self.clean_prob, valid_share=self.valid_share,
            valid_max_items=self.valid_max_items,
            valid_seconds=self.valid_seconds, seed=self.seed,
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON- and checkpoint-safe copy (paths as strings, tuples as lists)."""
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, Path):
                out[key] = str(value.resolve())  # a resume may spell the path differently
            elif isinstance(value, tuple):
                out[key] = list(value)
        return out


@dataclass
class TrainEvent:
    """What the progress callback receives.

    ``kind`` is one of ``start``, ``stage``, ``step``, ``valid``, ``skip``, ``checkpoint``,
    ``message`` or ``done``. ``values`` holds the loss terms (``step``), the metrics
    (``valid``) or timings.
    """

    kind: str
    stage: int
    step: int
    total_steps: int
    stage_step: int = 0
    stage_steps: int = 0
    values: dict[str, float] = field(default_factory=dict)
    message: str = ""


Progress = Callable[[TrainEvent], None]


@dataclass
class TrainResult:
    """The outcome: the trained model (last weights), where it went, and timings."""

    model: MalNet
    step: int
    stopped_early: bool
    output: Path
    best: dict[str, dict[str, float]]
    step_time_s: dict[str, float]


# ---------------------------------------------------------------------------- helpers


def warmup_cosine(total: int, warmup: int, floor: float = 0.05) -> Callable[[int], float]:
    """LR factor: linear warm-up over ``warmup`` steps, cosine decay to ``floor``."""
    warmup = min(warmup, max(total // 10, 1))

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        progress = min((step - warmup) / max(total - warmup, 1), 1.0)
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))

    return factor


class JsonlLog:
    """Append-only JSON-lines log, written by rank 0 only."""

    def __init__(self, path: Path, enabled: bool) -> None:
        self.path, self.enabled = path, enabled

    def truncate_after(self, step: int) -> None:
        """Drop records of steps later than ``step`` (they are about to be redone).

        A line cut by a crash (no newline at its end) is dropped too; ``step < 0`` starts
        the log over. The log is replaced atomically, so a second crash loses nothing.
        """
        if not (self.enabled and self.path.exists()):
            return
        text = self.path.read_text()
        complete = text[: text.rfind("\n") + 1].splitlines()
        kept = [line for line in complete
                if line.strip() and json.loads(line).get("step", 0) <= step]
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text("".join(line + "\n" for line in kept))
        os.replace(tmp, self.path)

    def write(self, record: dict[str, Any]) -> None:
        if self.enabled:
            with open(self.path, "a") as handle:
                handle.write(json.dumps(record) + "\n")


def _build_model(config: TrainConfig, model_config: dict | None) -> MalNet:
    if model_config is not None:
        return MalNet(**model_config)
    if config.init:
        from malenhance.hub import load_model  # the Hub client only when asked for

        model = load_model(config.init)
        if "df_order" in config.model_config:
            try:
                model = model.with_df_order(int(config.model_config["df_order"]))
            except ValueError as err:
                raise TrainingError(f"--model-config: {err}") from None
        return model
    return MalNet(**config.model_config)


def _export(state: dict[str, Tensor], model_config: dict, folder: Path, card: str) -> None:
    """Write a model folder (config.json, model.safetensors, README.md) atomically per file."""
    folder.mkdir(parents=True, exist_ok=True)
    model = MalNet(**model_config)
    model.load_state_dict(state)
    staging = folder / ".export-tmp"
    staging.mkdir(exist_ok=True)
    for stale in staging.iterdir():
        stale.unlink()
    model.save_pretrained(staging, config=model.config())
    readme = staging / "README.md"
    text = readme.read_text() if readme.exists() else ""
    readme.write_text(text.rstrip() + "\n\n" + card)
    # config.json last: its presence means the folder is complete (see Trainer.run).
    for item in sorted(staging.iterdir(), key=lambda p: p.name == "config.json"):
        os.replace(item, folder / item.name)
    staging.rmdir()


def _model_card(config: TrainConfig, stage: int, best: dict | None, step: int) -> str:
    lines = ["## Training", "", "Trained with `malenhance train`.", "",
             f"- stage 1 (conventional loss): {config.stage1_steps} steps"]
    if stage == 2:
        lines.append(f"- stage 2 (Model as Loss, variant `{config.mal_variant}`, layers "
                     f"`{config.mal_layers}`, weight {config.mal_weight}): "
                     f"{config.stage2_steps} steps")
    if config.residual_weight:
        lines.append(f"- residual-noise term weight {config.residual_weight}")
    if config.oversuppression_weight:
        lines.append(f"- over-suppression term weight {config.oversuppression_weight}")
    if config.clean_prob:
        lines.append(f"- share of clean (noise-free) training inputs {config.clean_prob}")
    if config.speech_distortion_weight:
        lines.append(f"- speech-distortion term weight {config.speech_distortion_weight}")
    if config.init:
        lines.append(f"- initialised from `{config.init}`")
    lr = f"lr {config.lr}" if config.stage1_steps else ""
    if stage == 2:
        stage2_lr = f"stage-2 lr {config.stage2_lr or config.lr / 2}"
        lr = f"{lr}, {stage2_lr}" if lr else stage2_lr
    lines.append(f"- batch {config.batch_size} x {config.segment_seconds} s, "
                 f"{lr}, seed {config.seed}; exported weights of step {step}")
    if best and "metrics" in best:
        metrics = ", ".join(f"{k} {v:.3f}" for k, v in best["metrics"].items())
        lines.append(f"- validation: {metrics}")
    return "\n".join(lines) + "\n"


def _non_finite(ctx: DistContext, loss: Tensor, grad_norm: Tensor) -> tuple[bool, bool]:
    """Whether the loss / the gradient is non-finite on any rank (all ranks skip together)."""
    flags = torch.stack([~torch.isfinite(loss.detach()), ~torch.isfinite(grad_norm)]).float()
    bad_loss, bad_grad = ctx.all_reduce_sum(flags).tolist()
    return bad_loss > 0, bad_grad > 0


# ---------------------------------------------------------------------------- the trainer


class Trainer:
    """Holds the state of one run; :func:`train` is the public entry point."""

    def __init__(self, config: TrainConfig, ctx: DistContext, progress: Progress | None) -> None:
        self.config, self.ctx = config, ctx
        self._progress = progress
        self.output = Path(config.output)
        self.checkpoints = self.output / "checkpoints"
        self.log = JsonlLog(self.output / "train_log.jsonl", ctx.is_main)
        self.amp = config.amp and ctx.device.type == "cuda"
        self.step = 0  # optimizer steps done (global, both stages)
        self.batches = 0  # batches consumed, skipped ones included: the data position
        self.bad_steps = 0
        self.best: dict[str, dict] = {}
        self.stage_times: dict[str, list[float]] = {}
        self.resume_state: dict | None = None
        self.stage_boundaries = (config.stage1_steps, config.stage1_steps + config.stage2_steps)
        self.best_metric = config.best_metric

    # -- reporting
    def emit(self, kind: str, stage: int, values: dict | None = None, message: str = "") -> None:
        if self._progress is None or not self.ctx.is_main:
            return
        start = 0 if stage == 1 else self.stage_boundaries[0]
        steps = self.stage_boundaries[stage - 1] - start if stage else 0
        self._progress(TrainEvent(kind, stage, self.step, self.stage_boundaries[1],
                                  max(self.step - start, 0) if stage else 0, steps,
                                  dict(values or {}), message))

    # -- set-up
    def prepare(self) -> None:
        config = self.config
        last = self.checkpoints / "last.pt"
        model_config = None
        if last.exists() and not config.resume:
            raise TrainingError(f"{self.output} already holds a training run; pass --resume "
                                "to continue it or choose another --output")
        if config.resume and last.exists():
            self.resume_state = checkpoint.load(last)
            self._check_resume(self.resume_state)
            model_config = self.resume_state["model_config"]
        elif config.resume:
            self.emit("message", 0, message=f"nothing to resume in {self.output}: new run")
        if self.ctx.device.type == "cuda":
            # Fixed shapes: let cuDNN pick its fastest kernels; TF32 matmuls are plenty here.
            torch.backends.cudnn.benchmark = True
            torch.set_float32_matmul_precision("high")
        missing = missing_metrics()
        if missing:
            self.emit("message", 0, message=f"not installed, reported as NaN: "
                      f"{', '.join(missing)}")
            if self.best_metric in missing:
                self.emit("message", 0, message=f"best checkpoint chosen by si_sdr instead "
                          f"of {self.best_metric}")
                self.best_metric = "si_sdr"
        torch.manual_seed(config.seed)
        self.model = _build_model(config, model_config).to(self.ctx.device)
        with warnings.catch_warnings():
            if not self.ctx.is_main:  # one copy of each data warning, not one per rank
                warnings.simplefilter("ignore", DataWarning)
            self.train_set, self.valid_set = build_datasets(
                Path(config.data), self.model.sample_rate, config.data_config(),
                Path(config.valid) if config.valid else None)
        # Only now: a run that cannot start (no data, bad --init) leaves no output folder.
        if self.ctx.is_main:
            self.checkpoints.mkdir(parents=True, exist_ok=True)
        if self.resume_state is not None:
            state = self.resume_state
            self.model.load_state_dict(state["model"])
            self.step, self.batches = state["step"], state["batches"]
            self.best, self.bad_steps = state["best"], state["bad_steps"]
            checkpoint.set_rng_state(state["rng"])
            self.log.truncate_after(self.step)
            self.emit("message", 0, message=f"resumed from {last} at step {self.step}")
        else:
            self.log.truncate_after(-1)  # records of a run killed before its first checkpoint
            self.log.write({"type": "config", "step": 0, **config.as_dict(),
                            "model": self.model.config(), "world_size": self.ctx.world_size})

    def _check_resume(self, state: dict) -> None:
        saved = state["config"]
        current = self.config.as_dict()
        changed = [k for k in RESUME_MUST_MATCH
                   if saved.get(k, RESUME_DEFAULTS.get(k)) != current.get(k)]
        if changed:
            raise TrainingError("cannot resume: these options differ from the checkpoint's: "
                                + ", ".join(f"{k} ({saved.get(k)} -> {current.get(k)})"
                                            for k in changed))
        if state["world_size"] != self.ctx.world_size:
            self.emit("message", 0, message=f"resuming on {self.ctx.world_size} processes "
                      f"instead of {state['world_size']}: data order will differ")

    # -- one stage
    def _setup_stage(self, stage: int) -> None:
        config = self.config
        self.mal: MALLoss | None = None
        if stage == 2:
            # Built before the optimizer and DDP: frozen-fe freezes the encoder here.
            fused = config.mal_fused
            if fused is None:
                fused = self.ctx.device.type == "cuda"
            chunk = round(config.mal_chunk_seconds * self.model.sample_rate) or None
            self.mal = MALLoss(self.model, config.mal_variant, config.mal_layers, fused=fused,
                               chunk_samples=chunk)
            if (self.resume_state is not None and self.resume_state["stage"] == 2
                    and self.resume_state.get("loss_network")):
                self.mal.loss_network.load_state_dict(self.resume_state["loss_network"])
        self.stage1_loss = Stage1Loss(config.magnitude_weight, config.complex_weight,
                                      config.si_sdr_weight, self.model.sample_rate,
                                      residual_weight=config.residual_weight,
                                      oversuppression_weight=config.oversuppression_weight)
        self.stage1_loss.to(self.ctx.device)
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        lr = config.lr if stage == 1 else (config.stage2_lr or config.lr / 2)
        steps = self.stage_boundaries[stage - 1] - (0 if stage == 1 else self.stage_boundaries[0])
        self.optimizer = torch.optim.AdamW(self.params, lr=lr, weight_decay=config.weight_decay)
        self.scheduler = torch.optim.lr_scheduler.LambdaLR(
            self.optimizer, warmup_cosine(steps, config.warmup_steps))
        if self.resume_state is not None and self.resume_state["stage"] == stage:
            self.optimizer.load_state_dict(self.resume_state["optimizer"])
            self.scheduler.load_state_dict(self.resume_state["scheduler"])
        forward: nn.Module = self.model
        if self.ctx.distributed:
            device_ids = [self.ctx.device.index] if self.ctx.device.type == "cuda" else None
            forward = DistributedDataParallel(self.model, device_ids=device_ids)
        if config.compile:
            forward = torch.compile(forward)
        self.forward = forward

    def _batches(self) -> Iterator[Batch]:
        sampler = ShardedBatchSampler(len(self.train_set), self.config.batch_size,
                                      self.config.seed, self.ctx.rank, self.ctx.world_size,
                                      start_batch=self.batches)
        cuda = self.ctx.device.type == "cuda"
        loader = DataLoader(self.train_set, batch_sampler=sampler, collate_fn=collate,
                            num_workers=self.config.workers, pin_memory=cuda)
        for batch in loader:
            yield batch.to(self.ctx.device, non_blocking=cuda)

    def _loss(self, stage: int, batch: Batch) -> tuple[Tensor, dict[str, Tensor]]:
        autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if self.amp
                    else contextlib.nullcontext())
        weight = self.config.speech_distortion_weight
        with autocast:
            if weight:
                est, speech = self.forward(batch.noisy, batch.clean)
            else:
                est = self.forward(batch.noisy)
        est = est.float()
        terms = self.stage1_loss.terms(est, batch.clean, batch.band_limit_hz)
        loss = self.stage1_loss.combine(terms)
        if weight:
            parts = self.stage1_loss.stft.terms(speech.float(), batch.clean, batch.band_limit_hz)
            terms["speech"] = parts["magnitude"] + parts["complex"]
            loss = loss + weight * terms["speech"]
        if stage == 2 and self.config.mal_weight > 0:
            with autocast:
                terms["mal"] = self.mal(est, batch.clean, batch.band_limit_hz)
            loss = loss + self.config.mal_weight * terms["mal"]
        return loss.mean(), {name: value.detach().mean() for name, value in terms.items()}

    def run_stage(self, stage: int) -> bool:
        """Train ``stage`` to its last step; False if stopped early by ``stop_after``."""
        config = self.config
        end = self.stage_boundaries[stage - 1]
        self._setup_stage(stage)
        self.model.train()
        self.emit("stage", stage)
        window: dict[str, Tensor] = {}
        window_steps, window_start, data_time = 0, time.perf_counter(), 0.0
        batches = self._batches()
        while self.step < end:
            fetch_start = time.perf_counter()
            batch = next(batches)
            data_time += time.perf_counter() - fetch_start
            self.batches += 1
            loss, terms = self._loss(stage, batch)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            grad_norm = torch.nn.utils.clip_grad_norm_(self.params, config.grad_clip)
            # One check (one device sync) for both; a NaN loss also gives a NaN gradient.
            bad_loss, bad_grad = _non_finite(self.ctx, loss, grad_norm)
            if bad_loss or bad_grad:
                self.optimizer.zero_grad(set_to_none=True)
                self._skip(stage, "loss" if bad_loss else "gradient")
                continue
            self.optimizer.step()
            self.scheduler.step()
            self.step += 1
            self.bad_steps = 0
            for name, value in {"loss": loss.detach(), **terms, "grad_norm": grad_norm}.items():
                window[name] = window.get(name, 0.0) + value
            window_steps += 1
            stage_done = self.step == end
            if window_steps == config.log_every or stage_done:
                elapsed = time.perf_counter() - window_start
                self._log_window(stage, window, window_steps, elapsed, data_time)
                window, window_steps, data_time = {}, 0, 0.0
                window_start = time.perf_counter()
            pause_start = time.perf_counter()
            if stage_done or (config.valid_every and self.step % config.valid_every == 0):
                self.validate(stage)
            stopping = config.stop_after is not None and self.step >= config.stop_after
            periodic = config.checkpoint_every and self.step % config.checkpoint_every == 0
            if periodic or stage_done or stopping:
                self.save_checkpoint(stage)
            if stopping:
                return False
            # Validation and checkpoints are not training time: keep them out of step times.
            window_start += time.perf_counter() - pause_start
        return True

    def _skip(self, stage: int, what: str) -> None:
        self.bad_steps += 1
        self.log.write({"type": "skip", "stage": stage, "step": self.step,
                        "batch": self.batches, "reason": f"non-finite {what}"})
        self.emit("skip", stage, message=f"non-finite {what} at step {self.step}: step skipped "
                  f"({self.bad_steps} in a row)")
        if self.bad_steps >= self.config.max_bad_steps:
            raise TrainingError(
                f"{self.bad_steps} consecutive non-finite {what}s at step {self.step}: training "
                f"stopped. The last good checkpoint is {self.checkpoints / 'last.pt'}; lower "
                "--lr or check the data, then --resume.")

    def _log_window(self, stage: int, window: dict, steps: int, elapsed: float,
                    data_time: float) -> None:
        values = {name: float(total) / steps for name, total in window.items()}
        step_time = elapsed / steps
        # The first window of a stage carries warm-up (compilation, allocator); leave it out.
        times = self.stage_times.setdefault(str(stage), [])
        times.append(step_time)
        values.update(lr=self.scheduler.get_last_lr()[0], step_time_s=step_time,
                      data_time_s=data_time / steps, steps_per_s=1 / step_time)
        self.log.write({"type": "train", "stage": stage, "step": self.step, **values})
        self.emit("step", stage, values)

    # -- validation, checkpoints
    def validate(self, stage: int) -> None:
        if len(self.valid_set) == 0:
            return
        metrics = evaluate(self.model, self.valid_set, self.ctx, amp=self.amp)
        self.log.write({"type": "valid", "stage": stage, "step": self.step, **metrics})
        self.emit("valid", stage, metrics)
        key = f"stage{stage}"
        value = metrics[self.best_metric]
        previous = self.best.get(key)
        if math.isfinite(value) and (previous is None or value > previous["value"]):
            self.best[key] = {"value": value, "step": self.step, "metrics": metrics}
            if self.ctx.is_main:
                checkpoint.save_atomic(
                    {"model": self.model.state_dict(), "model_config": self.model.config(),
                     "step": self.step, "metrics": metrics},
                    self.checkpoints / f"best-stage{stage}.pt")

    def save_checkpoint(self, stage: int) -> None:
        if not self.ctx.is_main:
            return
        frozen = self.mal is not None and self.mal.variant == "frozen"
        state = {
            "format": CHECKPOINT_FORMAT,
            "config": self.config.as_dict(),
            "model_config": self.model.config(),
            "model": self.model.state_dict(),
            "stage": stage,
            "step": self.step,
            "batches": self.batches,
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "loss_network": self.mal.loss_network.state_dict() if frozen else None,
            "best": self.best,
            "bad_steps": self.bad_steps,
            "world_size": self.ctx.world_size,
            "rng": checkpoint.rng_state(),
        }
        checkpoint.save_atomic(state, self.checkpoints / "last.pt")
        self.emit("checkpoint", stage, message=str(self.checkpoints / "last.pt"))

    def export(self, stage: int, folder: Path) -> None:
        """Export the best (or last) weights of ``stage`` as a model folder."""
        if not self.ctx.is_main:
            return
        best_file = self.checkpoints / f"best-stage{stage}.pt"
        best = self.best.get(f"stage{stage}")
        if self.config.export == "best" and best_file.exists():
            saved = checkpoint.load(best_file)
            state, step = saved["model"], saved["step"]
        else:
            state, step = self.model.state_dict(), self.step
            best = None
        card = _model_card(self.config, stage, best, step)
        _export({k: v.cpu() for k, v in state.items()}, self.model.config(), folder, card)

    # -- whole run
    def run(self) -> TrainResult:
        self.prepare()
        config = self.config
        if self.resume_state is None and len(self.valid_set):
            noisy = evaluate(self.model, self.valid_set, self.ctx, score_input=True)
            self.log.write({"type": "valid_input", "stage": 0, "step": 0, **noisy})
            self.emit("valid", 0, noisy, message="noisy input")
        self.emit("start", 1 if self.step < self.stage_boundaries[0] else 2)
        for stage in (1, 2):
            end = self.stage_boundaries[stage - 1]
            if self.step >= end:
                continue
            stage1_dir = self.output / "stage1"
            if stage == 2 and config.stage1_steps and not (stage1_dir / "config.json").exists():
                self.export(1, stage1_dir)  # the conventional model, for comparisons
            finished = self.run_stage(stage)
            self.log.write({"type": "stage_end", "stage": stage, "step": self.step,
                            **self._stage_timing(stage)})
            if not finished:
                return self._result(stopped=True)
            self.resume_state = None  # the next stage starts fresh
        last_stage = 2 if config.stage2_steps else 1
        self.export(last_stage, self.output)
        if self.ctx.is_main:
            note = curves.plot(self.log.path, self.output / "curves.png", self.stage_boundaries[0])
            if note:
                self.emit("message", last_stage, message=note)
        self.emit("done", last_stage, self._stage_timing(last_stage))
        return self._result(stopped=False)

    def _stage_timing(self, stage: int) -> dict[str, float]:
        times = self.stage_times.get(str(stage), [])
        steady = times[1:] or times
        if not steady:
            return {}
        step_time = sum(steady) / len(steady)
        audio_s = self.config.batch_size * self.config.segment_seconds * self.ctx.world_size
        return {"mean_step_time_s": step_time,
                "audio_hours_per_gpu_minute": audio_s / step_time * 60 / 3600
                / self.ctx.world_size}

    def _result(self, stopped: bool) -> TrainResult:
        timing = {f"stage{s}": self._stage_timing(int(s)).get("mean_step_time_s", math.nan)
                  for s in self.stage_times}
        return TrainResult(self.model, self.step, stopped, self.output, self.best, timing)


def train(config: TrainConfig, progress: Progress | None = None) -> TrainResult:
    """Run (or resume) a two-stage training; see the module docstring.

    Args:
        config: the run's options; checked first.
        progress: called on rank 0 with a :class:`TrainEvent` at each log line,
            validation, checkpoint and stage change.

    Raises:
        TrainingError, DataError, ModelError: with a message fit for the user.
    """
    config.check()
    ctx = setup(config.device)
    try:
        return Trainer(config, ctx, progress).run()
    finally:
        ctx.close()
