"""The configuration of a training run, declared once.

:class:`TrainConfig` is nested: ``examples`` (:class:`DataConfig`, how examples are cut and
mixed), ``mal`` (:class:`MalConfig`, stage 2), ``loss`` (:class:`LossConfig`, the weights of
the conventional terms) and ``optim`` (:class:`OptimConfig`); the rest of a run's options
sit at the top. Choices are enums, which the CLI hands to Typer so that it validates and
lists them. Every option also has a flat name (the ``malenhance train`` option, and the key
in checkpoints and the training log): a section's field under its section's prefix
(``mal_variant``, ``lr``, ``snr_range``); :meth:`TrainConfig.from_flat` and
:meth:`TrainConfig.as_dict` convert, so checkpoints of earlier versions still resume.

This module imports no torch: ``malenhance --help`` reads the enums.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from malenhance.defaults import LEVEL_NORM_SETTINGS
from malenhance.errors import TrainingError


class MalVariant(str, Enum):
    """Which encoder is the loss network (see :class:`~malenhance.training.mal.MALLoss`)."""

    FROZEN = "frozen"
    FROZEN_FE = "frozen-fe"
    DYNAMIC = "dynamic"


class MalLayers(str, Enum):
    """Which encoder depths Model as Loss compares: the bottleneck alone, or every depth."""

    BOTTLENECK = "bottleneck"
    ALL = "all"


class PauseFill(str, Enum):
    """What a training pause (``pause_prob``) holds in place of the speech."""

    SILENCE = "silence"  # digital silence
    ROOM_TONE = "room-tone"  # the recording's own quietest stretch, looped: a real pause


class LossNetwork(str, Enum):
    """A pretrained network whose features are a stage-2 loss (see ``deep_features``)."""

    NONE = "none"
    DISTILLMOS = "distillmos"


class BestMetric(str, Enum):
    """The validation metric that picks the best checkpoint (all: higher is better)."""

    PESQ = "pesq"
    ESTOI = "estoi"
    SI_SDR = "si_sdr"


class ExportChoice(str, Enum):
    """Which weights a run exports: the best by the best metric, or the last."""

    BEST = "best"
    LAST = "last"


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _as_enum(enum: type[Enum], value: Any) -> Any:
    """``value`` as a member of ``enum``; an unknown value stays as it is for
    :meth:`TrainConfig.check` to report."""
    try:
        return enum(value)
    except ValueError:
        return value


@dataclass
class DataConfig:
    """How examples are cut and mixed.

    Attributes:
        segment_seconds: length of each training example.
        snr_range: (low, high) SNR in dB of dynamic mixtures, drawn uniformly.
        level_range_db: (low, high) RMS level of the mixture in dBFS, drawn uniformly.
        reverb_prob: share of dynamic mixtures convolved with a room impulse response
            (only when ``DIR/rir`` exists).
        extra_noise_prob: share of dynamic mixtures whose noise is the sum of two noise
            files (the second at -10..+5 dB relative to the first), for denser, more varied
            backgrounds; 0 keeps the single-noise mixtures (and their random streams) as
            they were.
        noise_balance: draw a noise *folder* uniformly (the first level under the noise
            root, e.g. ``real``, ``extra``, ``synth``), then a file in it, so that adding
            many files to one folder does not crowd out the others; off keeps drawing a file
            uniformly (and the random streams as they were).
        clean_prob: share of dynamic mixtures with no noise at all (the input is the target):
            the model must learn to leave clean speech alone; 0 keeps every mixture noisy (and
            the random streams as they were).
        level_steps_prob: share of mixtures whose speech (input and target alike) is cut
            into 2-4 stretches at levels up to 35 dB apart, so the model learns to keep a
            quiet utterance beside a loud one; in noise no stretch falls below -5 dB of
            local SNR. 0 keeps every mixture at one speech level (and the random streams as
            they were).
        pause_prob: share of mixtures whose speech (input and target alike) falls silent
            for one stretch of 0.8-2 s, the noise going on: a pause between sentences, so
            the model learns to take noise out where no one speaks, after speech and before
            it. 0 keeps every mixture as it was (and the random streams as they were).
        pause_fill: what the pause holds, in input and target alike (:class:`PauseFill`):
            digital silence, or the recording's own quietest 200 ms looped, so that a
            recording's room tone is kept and only the added noise is to be taken out.
        pause_fade_ms: how long the speech takes to fade into a pause (raised cosine, at
            most 250 ms); it comes back within 20 ms.
        valid_share: held-out share of the files when no validation folder is given.
        valid_max_items: at most this many validation examples.
        valid_seconds: validation clips are cut (or, for mixtures, padded) to this length.
        cache_limit_mb: resampled audio is kept in memory when it fits in this budget.
        seed: the seed every random choice derives from.
    """

    segment_seconds: float = 4.0
    snr_range: tuple[float, float] = (-5.0, 20.0)
    level_range_db: tuple[float, float] = (-35.0, -15.0)
    reverb_prob: float = 0.5
    extra_noise_prob: float = 0.0
    noise_balance: bool = False
    clean_prob: float = 0.0
    level_steps_prob: float = 0.0
    pause_prob: float = 0.0
    pause_fill: PauseFill = PauseFill.SILENCE
    pause_fade_ms: float = 20.0
    valid_share: float = 0.05
    valid_max_items: int = 100
    valid_seconds: float = 8.0
    cache_limit_mb: float = 2048.0
    seed: int = 0


@dataclass
class MalConfig:
    """Stage 2, Model as Loss (flat names: ``mal_`` + field).

    Attributes:
        variant: which encoder is the loss network (:class:`MalVariant`).
        weight: weight of the MAL term in stage 2 (0 = stage-1 loss with the stage-2
            schedule and freezing: the "continue stage 1" baseline).
        layers: the bottleneck or every encoder depth (:class:`MalLayers`).
        fused: encode clean and enhanced audio in one batched call (see ``MALLoss``);
            ``None`` = on CUDA only.
        chunk_seconds: MAL encodes chunks of this length, batched (see ``MALLoss``;
            0 = whole segments). 1 s keeps a MAL step within ~1.3x of a stage-1 step on an
            H100, where the GRU's time loop dominates.
    """

    variant: MalVariant = MalVariant.FROZEN
    weight: float = 1.0
    layers: MalLayers = MalLayers.BOTTLENECK
    fused: bool | None = None
    chunk_seconds: float = 1.0

    def __post_init__(self) -> None:
        self.variant = _as_enum(MalVariant, self.variant)
        self.layers = _as_enum(MalLayers, self.layers)


@dataclass
class LossConfig:
    """Weights of the conventional loss terms, in every stage of the run (flat names: the
    field names).

    Attributes:
        magnitude_weight, complex_weight, si_sdr_weight: the stage-1 terms.
        residual_weight: extra weight on spectral error where the output is louder than the
            clean target (residual noise); 0 = off.
        oversuppression_weight: extra weight on spectral error where the output is quieter
            than the clean target (speech taken away); 0 = off.
        speech_distortion_weight: weight of a spectral loss between the clean speech passed
            through the model's filter (the filter it chose for the noisy input) and the clean
            speech itself: speech damage counted apart from residual noise; 0 = off.
        loss_network: a pretrained network whose features give a stage-2 loss beside (or,
            with ``mal_weight`` 0, instead of) MAL: the deep-feature baseline of the paper.
        loss_network_weight: the weight of that term.
        loss_network_max_snr: apply that term only to inputs whose SNR is at most this
            many dB (noise-free inputs never); ``None`` = every input.
        teacher: a model spec (an ensemble too) whose output on each noisy input is a
            second target, in every stage: distillation; ``None`` = off.
        teacher_weight: the weight of the spectral loss towards the teacher's output.
    """

    magnitude_weight: float = 1.0
    complex_weight: float = 1.0
    si_sdr_weight: float = 0.01
    residual_weight: float = 0.0
    oversuppression_weight: float = 0.0
    speech_distortion_weight: float = 0.0
    loss_network: LossNetwork = LossNetwork.NONE
    loss_network_weight: float = 1.0
    loss_network_max_snr: float | None = None
    teacher: str | None = None
    teacher_weight: float = 1.0

    def __post_init__(self) -> None:
        self.loss_network = _as_enum(LossNetwork, self.loss_network)


@dataclass
class OptimConfig:
    """The optimizer and its schedule (flat names: the field names).

    Attributes:
        lr: peak learning rate of stage 1.
        stage2_lr: peak learning rate of stage 2 (default: half of ``lr``).
        weight_decay: AdamW's.
        warmup_steps: linear warm-up of each stage (capped at a tenth of the stage).
        grad_clip: maximum gradient norm.
        ema_decay: with a value above 0, each stage also keeps an exponential moving
            average of the weights (``torch.optim.swa_utils``, this decay per step);
            validation, the best checkpoint and the export use the average, and at the end
            of a stage the model takes its weights (so stage 2 and its frozen loss network
            start from stage 1's average). 0: off.
    """

    lr: float = 1e-3
    stage2_lr: float | None = None
    weight_decay: float = 0.01
    warmup_steps: int = 500
    grad_clip: float = 5.0
    ema_decay: float = 0.0

    def stage_lr(self, stage: int) -> float:
        """The peak learning rate of ``stage``."""
        return self.lr if stage == 1 else (self.stage2_lr or self.lr / 2)


# Flat name prefix of each section; TrainConfig's own fields keep their names.
SECTIONS = {"examples": ("", DataConfig), "mal": ("mal_", MalConfig),
            "loss": ("", LossConfig), "optim": ("", OptimConfig)}
# DataConfig fields a run does not set on its own: the seed is the run's, the cache a default.
NOT_FLAT = {("examples", "seed"), ("examples", "cache_limit_mb")}
# Init-model settings --model-config may change along with --init (function-preserving).
GROWABLE = frozenset({"df_order", "rnn_hidden"})
# settings without weights of their own: an initial model takes them as they are
LEVEL_NORM = frozenset(LEVEL_NORM_SETTINGS)


def flat_names() -> dict[str, tuple[str, str]]:
    """``{flat name: (section, field)}`` for every option inside a section."""
    return {prefix + f.name: (section, f.name)
            for section, (prefix, kind) in SECTIONS.items() for f in dataclasses.fields(kind)
            if (section, f.name) not in NOT_FLAT}


@dataclass
class TrainConfig:
    """Everything a training run depends on (the CLI fills it from its options).

    Attributes:
        data: data folder (paired or dynamic-mixing layout, see
            :mod:`malenhance.training.sources`).
        output: folder for the exported model, checkpoints, log and plot.
        stage1_steps, stage2_steps: optimizer steps of each stage (0 skips a stage).
        examples, mal, loss, optim: the sections (see their classes).
        valid: validation folder; else a seeded held-out share of ``data``.
        init: model spec (folder, bundled name or Hub repo) to start from.
        resume: continue from ``output/checkpoints/last.pt`` if it exists.
        model_config: ``MalNet`` init arguments (smaller or larger variants); with ``init``
            only ``df_order`` and ``rnn_hidden``, which grow the initial model's filter
            (``with_df_order``) and GRU (``with_rnn_hidden``) from its trained weights, and
            the ``level_norm_*`` settings, which have no weights.
        batch_size: examples per step and process.
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
        seed: the seed every random choice derives from.
        max_bad_steps: stop after this many consecutive non-finite losses or gradients.
        stop_after: stop (with a checkpoint) once this global step is done: for tests and
            time-limited jobs; ``resume`` continues.
    """

    data: Path
    output: Path
    stage1_steps: int
    stage2_steps: int
    examples: DataConfig = field(default_factory=DataConfig)
    mal: MalConfig = field(default_factory=MalConfig)
    loss: LossConfig = field(default_factory=LossConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    valid: Path | None = None
    init: str | None = None
    resume: bool = False
    model_config: dict[str, Any] = field(default_factory=dict)
    batch_size: int = 16
    valid_every: int = 1000
    checkpoint_every: int = 500
    best_metric: BestMetric = BestMetric.PESQ
    export: ExportChoice = ExportChoice.BEST
    log_every: int = 10
    device: str = "auto"
    amp: bool = False
    compile: bool = False
    workers: int = 4
    seed: int = 0
    max_bad_steps: int = 10
    stop_after: int | None = None

    def __post_init__(self) -> None:
        self.best_metric = _as_enum(BestMetric, self.best_metric)
        self.export = _as_enum(ExportChoice, self.export)

    @classmethod
    def from_flat(cls, **options: Any) -> TrainConfig:
        """Build from flat names (``mal_variant=...``, ``lr=...``): the CLI's options."""
        names = flat_names()
        sections: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
        top = {}
        for name, value in options.items():
            if name in names:
                section, key = names[name]
                sections[section][key] = value
            else:
                top[name] = value
        built = {name: SECTIONS[name][1](**values) for name, values in sections.items()}
        try:
            return cls(**top, **built)
        except TypeError as err:
            raise TrainingError(f"unknown training option: {err}") from None

    def data_config(self) -> DataConfig:
        """The ``examples`` section with the run's seed: what the datasets are built from."""
        return dataclasses.replace(self.examples, seed=self.seed,
                                   snr_range=tuple(self.examples.snr_range),
                                   level_range_db=tuple(self.examples.level_range_db))

    def as_dict(self) -> dict[str, Any]:
        """The flat, JSON- and checkpoint-safe form (paths as strings, tuples as lists,
        enums as their values): the keys checkpoints have always had."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            if f.name in SECTIONS:
                continue
            out[f.name] = getattr(self, f.name)
        for flat, (section, key) in flat_names().items():
            out[flat] = getattr(getattr(self, section), key)
        for key, value in out.items():
            if isinstance(value, Path):
                out[key] = str(value.resolve())  # a resume may spell the path differently
            elif isinstance(value, tuple):
                out[key] = list(value)
            elif isinstance(value, Enum):
                out[key] = value.value
        return out

    def check(self) -> None:
        """Raise :class:`TrainingError` on contradictory or out-of-range options."""
        _check_enums(self)
        _check_ranges(self)
        if self.init and set(self.model_config) - GROWABLE - LEVEL_NORM:
            raise TrainingError("with --init, --model-config may only set df_order, "
                                "rnn_hidden and level_norm_* (the initial model brings the "
                                "rest of its configuration)")


def _check_enums(config: TrainConfig) -> None:
    for option, value, enum in (("--mal-variant", config.mal.variant, MalVariant),
                                ("--mal-layers", config.mal.layers, MalLayers),
                                ("--loss-network", config.loss.loss_network, LossNetwork),
                                ("--best-metric", config.best_metric, BestMetric),
                                ("--export", config.export, ExportChoice)):
        if value not in _values(enum):
            raise TrainingError(f"{option} must be one of {', '.join(_values(enum))}")


def _check_ranges(config: TrainConfig) -> None:
    if config.stage1_steps < 0 or config.stage2_steps < 0:
        raise TrainingError("step counts must be >= 0")
    if config.stage1_steps + config.stage2_steps == 0:
        raise TrainingError("nothing to do: --stage1-steps and --stage2-steps are both 0")
    loss, examples = config.loss, config.examples
    for name in ("residual_weight", "oversuppression_weight", "speech_distortion_weight",
                 "loss_network_weight", "teacher_weight"):
        if getattr(loss, name) < 0:
            raise TrainingError(f"--{name.replace('_', '-')} must be >= 0")
    if loss.loss_network_max_snr is not None and loss.loss_network == LossNetwork.NONE:
        raise TrainingError("--loss-network-max-snr needs a --loss-network")
    if config.mal.weight < 0 or config.batch_size < 1 or examples.segment_seconds <= 0:
        raise TrainingError("--mal-weight must be >= 0, --batch-size >= 1, "
                            "--segment-seconds > 0")
    if config.mal.chunk_seconds < 0:
        raise TrainingError("--mal-chunk-seconds must be >= 0 (0: whole segments)")
    for name in ("extra_noise_prob", "clean_prob", "level_steps_prob", "pause_prob"):
        if not 0.0 <= getattr(examples, name) <= 1.0:
            raise TrainingError(f"--{name.replace('_', '-')} must be within 0..1")
    if not 1.0 <= examples.pause_fade_ms <= 250.0:
        raise TrainingError("--pause-fade-ms must be within 1..250")
    if not 0.0 <= config.optim.ema_decay < 1.0:
        raise TrainingError("--ema-decay must be within 0..1 (1 excluded; 0: off)")
    if examples.snr_range[0] > examples.snr_range[1]:
        raise TrainingError("--snr-range must be LOW,HIGH with LOW <= HIGH")
