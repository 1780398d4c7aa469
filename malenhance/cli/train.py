"""`malenhance train`: conventional stage 1, then Model as Loss (stage 2)."""

from __future__ import annotations

import contextlib
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from malenhance.cli.app import app, err_console, fail, resolve_device
from malenhance.training.config import (
    BestMetric,
    ExportChoice,
    LossNetwork,
    MalLayers,
    MalVariant,
    PauseFill,
)

# Ranges and choices are checked once, by TrainConfig.check and the enums (not by Typer too).
HELP = """Train an enhancement model: conventional losses first, then Model as Loss (MAL).

DATA is either paired (noisy/ + clean/ with the same file names, or VoiceBank's
noisy_trainset_wav/ + clean_trainset_wav/) or for dynamic mixing (clean/ + noise/
[+ rir/] [+ original/: for a clean file cleaned from a flawed recording, the recording
under the same name; it goes into the mixture, the clean file stays the target]).
MODEL_DIR receives the exported model (loadable with
`malenhance enhance --model MODEL_DIR`), checkpoints, train_log.jsonl and curves.png.

```
  malenhance train --data data/ --output runs/mal --stage1-steps 20000 \\
      --stage2-steps 10000 --mal-variant frozen --mal-weight 1
  malenhance train --data data/ --output runs/conv --stage1-steps 30000 --stage2-steps 0
  malenhance train ... --resume                      # continue after a crash or kill
  torchrun --nproc-per-node 4 -m malenhance train ... # one process per GPU
```

Variants: frozen = a frozen copy of the stage-1 encoder is the loss network, the whole
model trains; frozen-fe = the model's own encoder is frozen and is the loss network,
only the decoder trains; dynamic = the live encoder is the loss network.
"""

def _parse_range(text: str, option: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        fail(f"{option} expects LOW,HIGH (e.g. -5,20), got {text!r}")
    if low > high:
        fail(f"{option}: LOW must not exceed HIGH (got {text!r})")
    return low, high


def _parse_model_config(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    source = Path(text)
    try:
        raw = source.read_text() if source.suffix == ".json" and source.is_file() else text
        parsed = json.loads(raw)
    except (OSError, json.JSONDecodeError) as err:
        fail(f"--model-config: not a JSON object or .json file ({err})")
    if not isinstance(parsed, dict):
        fail("--model-config must be a JSON object, e.g. '{\"channels\": [8, 8, 8, 8]}'")
    return parsed


@contextlib.contextmanager
def _warnings_to_console() -> Iterator[None]:
    """Show library warnings (e.g. skipped files) as one rich line each."""
    previous = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
        err_console.print(f"[yellow]warning:[/] {message}", highlight=False)

    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = previous


class _ProgressView:
    """Turns :class:`~malenhance.training.trainer.TrainEvent` into a rich progress bar and lines."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task = None

    def __call__(self, event) -> None:  # noqa: ANN001  (TrainEvent; imported lazily)
        progress = self.progress
        if self.task is None:
            self.task = progress.add_task("starting", total=event.total_steps,
                                          completed=event.step, terms="", rate="")
        if event.kind == "stage":
            name = "conventional" if event.stage == 1 else "model as loss"
            progress.update(self.task, description=f"stage {event.stage} ({name})")
            progress.console.print(f"stage {event.stage}: {name}, {event.stage_steps} steps")
        elif event.kind == "step":
            terms = " ".join(f"{k} {v:.4g}" for k, v in event.values.items()
                             if k not in ("lr", "step_time_s", "data_time_s", "steps_per_s",
                                          "grad_norm"))
            progress.update(self.task, completed=event.step, terms=terms,
                            rate=f"{event.values.get('steps_per_s', 0):.2f} steps/s")
        elif event.kind == "valid":
            where = "noisy input" if event.stage == 0 else f"step {event.step}"
            scores = "  ".join(f"{k} {v:.3f}" for k, v in event.values.items())
            progress.console.print(f"validation ({where}): {scores}", highlight=False)
        elif event.kind in ("skip", "message"):
            style = "yellow" if event.kind == "skip" else "dim"
            progress.console.print(f"[{style}]{event.message}[/]", highlight=False)


# The command's options (module-level, so that the command itself stays short).
DataOption = Annotated[Path, typer.Option(help="Training data folder (paired or mixing layout).",
                                   show_default=False)]
OutputOption = Annotated[Path, typer.Option(metavar="MODEL_DIR", show_default=False,
                                     help="Where the model, checkpoints and log go.")]
Stage1StepsOption = Annotated[int, typer.Option(show_default=False,
                                          help="Steps with the conventional loss.")]
Stage2StepsOption = Annotated[int, typer.Option(show_default=False,
                                          help="Steps with MAL added (0: conventional "
                                          "training only).")]
MalVariantOption = Annotated[MalVariant, typer.Option(help="Which encoder is the loss "
                                                "network (see above).")]
MalWeightOption = Annotated[float, typer.Option(help="Weight of the MAL term "
                                          "(0: stage 2 continues the stage-1 loss).")]
MalLayersOption = Annotated[MalLayers, typer.Option(help="The bottleneck, or all encoder "
                                              "depths.")]
ResidualWeightOption = Annotated[float, typer.Option(help="Extra weight on spectral "
                                               "error where the output is louder than "
                                               "the clean target (residual noise), in "
                                               "every stage of the run; 0 = off.")]
OversuppressionWeightOption = Annotated[float, typer.Option(
    help="Extra weight on spectral error where the output is quieter than the "
    "clean target (speech taken away), in every stage of the run; 0 = off.")]
CleanProbOption = Annotated[float, typer.Option(help="Share of training "
                                          "mixtures with no noise at all (input = "
                                          "target), so the model learns to leave clean "
                                          "speech alone.")]
LevelStepsProbOption = Annotated[float, typer.Option(
    help="Share of training mixtures whose speech is cut into 2-4 stretches at levels up "
    "to 35 dB apart (input and target alike), so the model learns to keep a quiet "
    "utterance beside a loud one.")]
PauseProbOption = Annotated[float, typer.Option(
    help="Share of training mixtures whose speech falls silent for 0.8-2 s while the noise "
    "goes on (a pause between sentences), so the model learns to clean pauses.")]
PauseFillOption = Annotated[PauseFill, typer.Option(
    help="What a --pause-prob pause holds: digital silence, or the recording's own "
    "quietest 200 ms looped (its room tone, kept in the target).")]
PauseFadeMsOption = Annotated[float, typer.Option(
    help="How long the speech takes to fade into a --pause-prob pause, in ms (1..250).")]
SpeechDistortionWeightOption = Annotated[float, typer.Option(
    help="Weight of a spectral loss on the clean speech passed through the "
    "filter the model chose for the noisy input: damage to speech counted apart from "
    "residual noise, in every stage of the run; 0 = off.")]
LossNetworkOption = Annotated[LossNetwork, typer.Option(
    help="A pretrained speech network whose features give a stage-2 loss beside MAL (with "
    "--mal-weight 0: instead of it), the deep-feature baseline MAL is compared with. "
    "distillmos needs: pip install --no-deps distillmos==0.9.1 xls-r-sqa==0.1.0")]
LossNetworkWeightOption = Annotated[float, typer.Option(help="Weight of the "
                                                   "--loss-network term.")]
LossNetworkMaxSnrOption = Annotated[float | None, typer.Option(
    help="Apply the --loss-network term only to training inputs at or below this SNR in dB "
    "(noise-free inputs never): its perceptual shaping where there is noise to remove, the "
    "other terms alone where there is little. Default: every input.")]
TeacherOption = Annotated[str | None, typer.Option(
    metavar="MODEL",
    help="Distil from a trained model or an ensemble (e.g. -m's 'ensemble'): its output on "
    "each noisy input becomes a second target, with --teacher-weight, in every stage.")]
TeacherWeightOption = Annotated[float, typer.Option(help="Weight of the spectral loss "
                                               "towards the --teacher's output.")]
MalChunkSecondsOption = Annotated[float, typer.Option(help="MAL encodes chunks of "
                                                 "this length batched together (faster "
                                                 "on GPUs); 0 = whole segments.")]
ResumeOption = Annotated[bool, typer.Option("--resume", help="Continue the run in MODEL_DIR "
                                     "from its last checkpoint.")]
ValidOption = Annotated[Path | None, typer.Option(help="Validation folder (default: hold out "
                                           "a seeded share of DATA).")]
InitOption = Annotated[str | None, typer.Option(help="Start from this model (folder, bundled "
                                         "name or org/repo[@rev]); e.g. with "
                                         "--stage1-steps 0.")]
SnrRangeOption = Annotated[str, typer.Option(help="Dynamic mixing SNR range in dB, LOW,HIGH.")
                     ]
ExtraNoiseProbOption = Annotated[float, typer.Option(help="Share of "
                                                "mixtures with a second noise file "
                                                "added (denser backgrounds).")]
NoiseBalanceOption = Annotated[bool, typer.Option(help="Draw a noise folder (first level "
                                            "under DATA/noise) uniformly, then a file in "
                                            "it, instead of a file uniformly.")]
BatchSizeOption = Annotated[int, typer.Option(help="Examples per step and process.")]
SegmentSecondsOption = Annotated[float, typer.Option(min=0.1, help="Length of each example.")
                           ]
LrOption = Annotated[float, typer.Option(min=0.0, help="Peak learning rate of stage 1.")]
Stage2LrOption = Annotated[float | None, typer.Option(help="Peak learning rate of stage 2 "
                                                "(default: lr / 2).")]
EmaDecayOption = Annotated[float, typer.Option(help="Also keep an exponential moving "
                                           "average of the weights, with this decay per step "
                                           "(e.g. 0.998); validation and the exported model "
                                           "use it. 0: off.")]
ValidEveryOption = Annotated[int, typer.Option(min=0, help="Validate every N steps "
                                         "(and at the end of each stage).")]
CheckpointEveryOption = Annotated[int, typer.Option(min=0, help="Checkpoint every N steps.")
                            ]
BestMetricOption = Annotated[BestMetric, typer.Option(help="Picks the best checkpoint.")
                       ]
ExportOption = Annotated[ExportChoice, typer.Option(help="Export the best or the last weights.")
                  ]
DeviceOption = Annotated[str, typer.Option(help="auto, cpu, cuda or cuda:N.")]
Bf16Option = Annotated[bool, typer.Option("--bf16/--fp32", help="bf16 autocast on CUDA.")
                ]
CompileModelOption = Annotated[bool, typer.Option("--compile", help="torch.compile the model.")
                         ]
WorkersOption = Annotated[int, typer.Option(min=0, help="DataLoader worker processes.")]
SeedOption = Annotated[int, typer.Option(help="Seed of every random choice.")]
ModelConfigOption = Annotated[str | None, typer.Option(help="MalNet options as JSON (or a "
                                                 ".json file), e.g. "
                                                 "'{\"channels\": [8,8,8,8]}'. With "
                                                 "--init only df_order and rnn_hidden, "
                                                 "e.g. '{\"rnn_hidden\": 384}': the "
                                                 "initial model grows a deep filter or "
                                                 "a wider GRU and starts as it was.")
                        ]
StopAfterOption = Annotated[int | None, typer.Option(min=1, help="Stop after this global step "
                                               "with a checkpoint (--resume goes on).")
                      ]
ThreadsOption = Annotated[int | None, typer.Option(min=1, help="CPU threads for torch.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


@app.command(help=HELP, no_args_is_help=True)
def train(
    data: DataOption,
    output: OutputOption,
    stage1_steps: Stage1StepsOption,
    stage2_steps: Stage2StepsOption,
    mal_variant: MalVariantOption = MalVariant.FROZEN,
    mal_weight: MalWeightOption = 1.0,
    mal_layers: MalLayersOption = MalLayers.BOTTLENECK,
    residual_weight: ResidualWeightOption = 0.0,
    oversuppression_weight: OversuppressionWeightOption = 0.0,
    clean_prob: CleanProbOption = 0.0,
    level_steps_prob: LevelStepsProbOption = 0.0,
    pause_prob: PauseProbOption = 0.0,
    pause_fill: PauseFillOption = PauseFill.SILENCE,
    pause_fade_ms: PauseFadeMsOption = 20.0,
    speech_distortion_weight: SpeechDistortionWeightOption = 0.0,
    mal_chunk_seconds: MalChunkSecondsOption = 1.0,
    loss_network: LossNetworkOption = LossNetwork.NONE,
    loss_network_weight: LossNetworkWeightOption = 1.0,
    loss_network_max_snr: LossNetworkMaxSnrOption = None,
    teacher: TeacherOption = None,
    teacher_weight: TeacherWeightOption = 1.0,
    resume: ResumeOption = False,
    valid: ValidOption = None,
    init: InitOption = None,
    snr_range: SnrRangeOption = "-5,20",
    extra_noise_prob: ExtraNoiseProbOption = 0.0,
    noise_balance: NoiseBalanceOption = False,
    batch_size: BatchSizeOption = 16,
    segment_seconds: SegmentSecondsOption = 4.0,
    lr: LrOption = 1e-3,
    stage2_lr: Stage2LrOption = None,
    ema_decay: EmaDecayOption = 0.0,
    valid_every: ValidEveryOption = 1000,
    checkpoint_every: CheckpointEveryOption = 500,
    best_metric: BestMetricOption = BestMetric.PESQ,
    export: ExportOption = ExportChoice.BEST,
    device: DeviceOption = "auto",
    bf16: Bf16Option = False,
    compile_model: CompileModelOption = False,
    workers: WorkersOption = 4,
    seed: SeedOption = 0,
    model_config: ModelConfigOption = None,
    stop_after: StopAfterOption = None,
    threads: ThreadsOption = None,
    quiet: QuietOption = False,
) -> None:
    config = _config(dict(locals()))  # every option but the CLI's own, by its flat name
    from malenhance.errors import MalenhanceError
    from malenhance.training import train as run_training

    if threads:
        import torch

        torch.set_num_threads(threads)

    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TimeRemainingColumn(),
        TextColumn("{task.fields[terms]}"), console=err_console, disable=quiet,
    )
    try:
        with _warnings_to_console(), progress:
            result = run_training(config, _ProgressView(progress))
    except MalenhanceError as err:
        fail(str(err), code=1)
    except KeyboardInterrupt as interrupt:
        err_console.print("[yellow]interrupted[/]: continue with the same command and --resume")
        from malenhance.signals import exit_status

        raise typer.Exit(exit_status(interrupt)) from None
    _print_result(result)


def _config(options: dict[str, Any]):  # noqa: ANN202  (TrainConfig; imported lazily)
    """The run's TrainConfig from the command's options, checked; a bad one ends the run."""
    from malenhance.errors import TrainingError
    from malenhance.training import TrainConfig

    for name in ("threads", "quiet"):  # how to run, not what to train
        options.pop(name)
    options["model_config"] = _parse_model_config(options["model_config"])
    options["snr_range"] = _parse_range(options["snr_range"], "--snr-range")
    options["device"] = resolve_device(options["device"])
    options["amp"], options["compile"] = options.pop("bf16"), options.pop("compile_model")
    try:
        config = TrainConfig.from_flat(**options)
        config.check()
    except TrainingError as err:
        fail(str(err))
    return config


def _print_result(result) -> None:  # noqa: ANN001  (TrainResult; imported lazily)
    if result.stopped_early:
        err_console.print(f"stopped after step {result.step} (--stop-after); continue with "
                          "--resume")
        return
    times = result.step_time_s
    timing = ", ".join(f"{stage} {seconds * 1000:.1f} ms/step" for stage, seconds in
                       times.items())
    if "stage1" in times and "stage2" in times and times["stage1"] > 0:
        timing += f" (stage 2 / stage 1 = {times['stage2'] / times['stage1']:.2f}x)"
    err_console.print(f"model written to {result.output}" + (f"; {timing}" if timing else ""),
                      highlight=False)
