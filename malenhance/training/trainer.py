"""The training loop: a conventional stage, then Model as Loss (MAL).

:func:`train` takes a :class:`TrainConfig` and an optional progress callback and returns a
:class:`TrainResult`; it prints nothing. Global steps ``[0, stage1_steps)`` are stage 1
(:class:`~malenhance.training.losses.Stage1Loss`), steps ``[stage1_steps, stage1_steps +
stage2_steps)`` are stage 2 (the stage-1 loss plus ``mal_weight`` times
:class:`~malenhance.training.mal.MALLoss`). Each stage has its own AdamW optimizer and warm-up +
cosine schedule; stage 2 starts from the last stage-1 weights (or ``--init``); with
``ema_decay`` each stage also keeps a moving average of the weights, which validation and the
export use and which the model takes at the stage's end.

Files under ``output``: ``checkpoints/last.pt`` (everything needed to resume),
``checkpoints/best-stage{1,2}.pt`` (best weights by ``best_metric``), ``train_log.jsonl``,
``curves.png``, ``stage1/`` (the stage-1 model, when stage 2 follows) and the final model
(``config.json``, ``model.safetensors``, ``README.md``) in ``output`` itself.

Under ``torchrun`` every process trains on its own shard of each batch through
DistributedDataParallel; only rank 0 writes files and reports progress.
"""

from __future__ import annotations

import contextlib
import math
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import Tensor, nn
from torch.nn.parallel import DistributedDataParallel
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
from torch.utils.data import DataLoader

from malenhance.errors import DataWarning, TrainingError
from malenhance.hub import save_model_dir
from malenhance.model import MalNet
from malenhance.training import checkpoint, curves
from malenhance.training.card import model_card
from malenhance.training.config import (
    LEVEL_NORM,
    BestMetric,
    LossNetwork,
    MalVariant,
    TrainConfig,
)
from malenhance.training.data import Batch, build_datasets, collate, detach_loader_worker
from malenhance.training.distributed import DistContext, setup
from malenhance.training.log import JsonlLog
from malenhance.training.losses import Stage1Loss, input_snr_db
from malenhance.training.mal import MALLoss
from malenhance.training.optim import build_optimizer
from malenhance.training.sampler import ShardedBatchSampler
from malenhance.training.validation import evaluate, missing_metrics


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




def _build_model(config: TrainConfig, model_config: dict | None) -> MalNet:
    if model_config is not None:
        return MalNet(**model_config)
    if config.init:
        from malenhance.hub import load_model  # the Hub client only when asked for

        model = load_model(config.init)
        try:
            if "df_order" in config.model_config:
                model = model.with_df_order(int(config.model_config["df_order"]))
            if "rnn_hidden" in config.model_config:
                model = model.with_rnn_hidden(int(config.model_config["rnn_hidden"]))
            level_norm = {k: v for k, v in config.model_config.items() if k in LEVEL_NORM}
            if level_norm:
                model = model.with_settings(**level_norm)
        except ValueError as err:
            raise TrainingError(f"--model-config: {err}") from None
        return model
    return MalNet(**config.model_config)


def _moving_average(model: MalNet, decay: float) -> AveragedModel | None:
    """An exponential moving average of ``model``'s weights (``None`` for decay 0). Buffers
    are copied, not averaged: they are fixed (window, bases), and a copy keeps them exact."""
    if not decay:
        return None
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=False)


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
        self.best_metric = BestMetric(config.best_metric).value  # a key of the metrics

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
        self.teacher = self._load_teacher()
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

    def _load_teacher(self) -> nn.Module | None:
        """``--teacher``'s frozen models, loaded without drawing from the run's random
        numbers (a run with a teacher starts from the same weights and data as one without)."""
        spec = self.config.loss.teacher
        if not spec:
            return None
        from malenhance.training.teacher import Teacher

        with torch.random.fork_rng(devices=[]):
            teacher = Teacher.load(spec, self.ctx.device)
        rates = {model.sample_rate for model in teacher.models}
        if rates != {self.model.sample_rate}:
            raise TrainingError(f"--teacher {spec}: {', '.join(map(str, sorted(rates)))} Hz, "
                                f"the model trains at {self.model.sample_rate} Hz")
        return teacher

    def _check_resume(self, state: dict) -> None:
        checkpoint.check_resume(state["config"], self.config.as_dict())
        if state["world_size"] != self.ctx.world_size:
            self.emit("message", 0, message=f"resuming on {self.ctx.world_size} processes "
                      f"instead of {state['world_size']}: data order will differ")

    # -- one stage
    def _build_mal(self) -> MALLoss:
        """Stage 2's Model-as-Loss term (with a resumed frozen loss network)."""
        mal = self.config.mal
        fused = mal.fused if mal.fused is not None else self.ctx.device.type == "cuda"
        chunk = round(mal.chunk_seconds * self.model.sample_rate) or None
        loss = MALLoss(self.model, mal.variant, mal.layers, fused=fused, chunk_samples=chunk)
        if (self.resume_state is not None and self.resume_state["stage"] == 2
                and self.resume_state.get("loss_network")):
            loss.loss_network.load_state_dict(self.resume_state["loss_network"])
        return loss

    def _setup_stage(self, stage: int) -> None:
        config = self.config
        # Built before the optimizer and DDP: frozen-fe freezes the encoder here.
        self.mal: MALLoss | None = self._build_mal() if stage == 2 else None
        self.deep_features: nn.Module | None = None
        if stage == 2 and config.loss.loss_network != LossNetwork.NONE:
            from malenhance.training.deep_features import DeepFeatureLoss

            self.deep_features = DeepFeatureLoss(config.loss.loss_network,
                                                 self.model.sample_rate).to(self.ctx.device)
        weights = config.loss
        self.stage1_loss = Stage1Loss(weights.magnitude_weight, weights.complex_weight,
                                      weights.si_sdr_weight, self.model.sample_rate,
                                      residual_weight=weights.residual_weight,
                                      oversuppression_weight=weights.oversuppression_weight)
        self.stage1_loss.to(self.ctx.device)
        self.params = [p for p in self.model.parameters() if p.requires_grad]
        steps = self.stage_boundaries[stage - 1] - (0 if stage == 1 else self.stage_boundaries[0])
        self.optimizer, self.scheduler = build_optimizer(self.params, config.optim, stage, steps)
        if self.resume_state is not None and self.resume_state["stage"] == stage:
            self.optimizer.load_state_dict(self.resume_state["optimizer"])
            self.scheduler.load_state_dict(self.resume_state["scheduler"])
        self.ema = _moving_average(self.model, config.optim.ema_decay)
        if (self.ema is not None and self.resume_state is not None
                and self.resume_state["stage"] == stage and self.resume_state.get("ema")):
            self.ema.load_state_dict(self.resume_state["ema"])
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
                            num_workers=self.config.workers, pin_memory=cuda,
                            worker_init_fn=detach_loader_worker)
        for batch in loader:
            yield batch.to(self.ctx.device, non_blocking=cuda)

    def _loss(self, stage: int, batch: Batch) -> tuple[Tensor, dict[str, Tensor]]:
        autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if self.amp
                    else contextlib.nullcontext())
        weight = self.config.loss.speech_distortion_weight
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
        if self.teacher is not None:
            with autocast:
                taught = self.teacher(batch.noisy)
            parts = self.stage1_loss.stft.terms(est, taught.float(), batch.band_limit_hz)
            terms["teacher"] = parts["magnitude"] + parts["complex"]
            loss = loss + self.config.loss.teacher_weight * terms["teacher"]
        if stage == 2 and self.config.mal.weight > 0:
            with autocast:
                terms["mal"] = self.mal(est, batch.clean, batch.band_limit_hz)
            loss = loss + self.config.mal.weight * terms["mal"]
        if stage == 2 and self.deep_features is not None:
            with autocast:
                deep = self.deep_features(est, batch.clean, batch.band_limit_hz)
            max_snr = self.config.loss.loss_network_max_snr
            if max_snr is not None:  # masked, not skipped: every rank keeps one batch shape
                deep = deep * (input_snr_db(batch.noisy, batch.clean) <= max_snr)
            terms["deep"] = deep
            loss = loss + self.config.loss.loss_network_weight * terms["deep"]
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
            grad_norm = torch.nn.utils.clip_grad_norm_(self.params, config.optim.grad_clip)
            # One check (one device sync) for both; a NaN loss also gives a NaN gradient.
            bad_loss, bad_grad = _non_finite(self.ctx, loss, grad_norm)
            if bad_loss or bad_grad:
                self.optimizer.zero_grad(set_to_none=True)
                self._skip(stage, "loss" if bad_loss else "gradient")
                continue
            self.optimizer.step()
            self.scheduler.step()
            if self.ema is not None:
                self.ema.update_parameters(self.model)
            self.step += 1
            self.bad_steps = 0
            for name, value in {"loss": loss.detach(), **terms, "grad_norm": grad_norm}.items():
                window[name] = window.get(name, 0.0) + value
            window_steps += 1
            stage_done = self.step == end
            if stage_done and self.ema is not None:
                # before the stage's last checkpoint, so a resume finds the same weights
                self.model.load_state_dict(self.ema.module.state_dict())
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
        model = self.ema.module if self.ema is not None else self.model
        metrics = evaluate(model, self.valid_set, self.ctx, amp=self.amp)
        self.log.write({"type": "valid", "stage": stage, "step": self.step, **metrics})
        self.emit("valid", stage, metrics)
        key = f"stage{stage}"
        value = metrics[self.best_metric]
        previous = self.best.get(key)
        if math.isfinite(value) and (previous is None or value > previous["value"]):
            self.best[key] = {"value": value, "step": self.step, "metrics": metrics}
            if self.ctx.is_main:
                checkpoint.save_atomic(
                    {"model": model.state_dict(), "model_config": self.model.config(),
                     "step": self.step, "metrics": metrics},
                    self.checkpoints / f"best-stage{stage}.pt")

    def save_checkpoint(self, stage: int) -> None:
        if not self.ctx.is_main:
            return
        frozen = self.mal is not None and self.mal.variant == MalVariant.FROZEN
        state = {
            "format": checkpoint.CHECKPOINT_FORMAT,
            "config": self.config.as_dict(),
            "model_config": self.model.config(),
            "model": self.model.state_dict(),
            "stage": stage,
            "step": self.step,
            "batches": self.batches,
            "optimizer": self.optimizer.state_dict(),
            "scheduler": self.scheduler.state_dict(),
            "loss_network": self.mal.loss_network.state_dict() if frozen else None,
            "ema": self.ema.state_dict() if self.ema is not None else None,
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
        else:  # with --ema-decay the model took its average's weights at the stage's end
            state, step = self.model.state_dict(), self.step
            best = None
        model = MalNet(**self.model.config())
        model.load_state_dict({k: v.cpu() for k, v in state.items()})
        save_model_dir(model, folder, model_card(self.config, stage, best, step))

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
        segment = self.config.examples.segment_seconds
        audio_s = self.config.batch_size * segment * self.ctx.world_size
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
