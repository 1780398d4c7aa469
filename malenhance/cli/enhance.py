"""`malenhance enhance`: denoise files and folders."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from malenhance.cli.app import app, duration_text, err_console, fail, resolve_device
from malenhance.defaults import DEFAULT_BATCH_FILES, DEFAULT_BLOCK_SECONDS
from malenhance.errors import MalenhanceError

# The library (numpy, soundfile, the engines) is imported when the command runs, not for
# `--help` (tests/test_light.py).

if TYPE_CHECKING:
    from malenhance.enhance import EnhanceOptions, EnhanceResult
    from malenhance.files import Job
    from malenhance.frames import Engine
    from malenhance.model import MalNet

HELP = """Denoise speech recordings with a malenhance model.

IN can be audio files (WAV, FLAC, OGG, ...), folders (searched recursively) or glob patterns. Outputs keep each input's sample rate, channels and format.

```
malenhance enhance noisy.wav -o clean.wav
malenhance enhance recordings/ -o cleaned/          # mirrors sub-folders
malenhance enhance a.wav b.flac -o out/ --strength 0.7
malenhance enhance talk.wav -o out.wav --speech-lim 18  # gentle on voices
malenhance enhance recordings/ -o cleaned/ --skip-existing   # resume a run
malenhance enhance corpus/ -o out/ --device cuda             # batched on a GPU
torchrun --nproc-per-node 8 -m malenhance enhance corpus/ -o out/ --device cuda  # 8 GPUs
malenhance enhance - < noisy.wav > clean.wav                 # stdin to stdout
arecord -f S16_LE -r 16000 | malenhance enhance - | aplay     # live, as it arrives
sox in.flac -t raw -r 16000 -e signed -b 16 -c 1 - | malenhance enhance - --raw-rate 16000 > out.wav
```

`-` reads stdin and, without -o (or with -o -), writes a WAV to stdout; only audio goes to stdout, messages go to stderr. WAV on stdin is processed as it arrives (streamed WAV headers with unknown length, as arecord and sox write them, are fine) and the output keeps its rate, channels and sample encoding; other containers (FLAC, OGG, ...) are read into memory whole first. Raw PCM needs --raw-rate (and --raw-channels, --raw-format if not 1 channel of s16le). On stdout, samples beyond full scale are clipped (files are scaled down instead).

Exit status: 0 if every file was enhanced (or skipped), 1 if any file failed, 2 for a usage error (bad option, unknown model, no inputs).
"""  # noqa: E501


# The command's options (module-level, so that the command itself stays short).
InputsOption = Annotated[
    list[str],
    typer.Argument(
        metavar="IN...", help="Audio files, folders or glob patterns.", show_default=False
    ),
]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="OUT",
        show_default=False,
        help="Output file for one input file, if the name has an audio extension "
        "(.wav, .flac, ...); else a folder: with a trailing slash (out/), an existing "
        "folder, several inputs, a folder or a pattern, and for one input a name with no "
        "audio extension (said in the output). Several inputs into a name with an audio "
        "extension are refused. Default: next to each input with an _enhanced suffix.",
    ),
]
ModelOption = Annotated[
    str,
    typer.Option(
        "--model",
        "-m",
        help="A bundled model (default, real-noise: see `malenhance models`), a model directory, "
        "or a Hub repo org/name[@revision].",
    ),
]
StrengthOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="How much of the enhancement to apply: 1 = full, 0 = input unchanged; "
        "values between mix the enhanced and the original signal.",
    ),
]
AttenLimOption = Annotated[
    float | None,
    typer.Option(
        "--atten-lim", min=0.0, metavar="DB", show_default=False,
        help="The most the enhancer may take away, in dB (e.g. 12: pauses keep their "
        "background 12 dB down instead of silence). Default: no limit. Use it to keep some "
        "ambience; --strength mixes by a fraction instead; the stricter of the two wins.",
    ),
]
SpeechLimOption = Annotated[
    float | None,
    typer.Option(
        "--speech-lim", min=0.0, metavar="DB", show_default=False,
        help="The most the enhancer may take away while someone speaks, in dB (18 is a good "
        "start): the voice keeps more of its detail and the pauses are still cleaned fully. "
        "Default: no limit. With --atten-lim too, the stricter limit wins.",
    ),
]
StereoLinkOption = Annotated[
    bool,
    typer.Option(
        "--stereo-link/--no-stereo-link",
        help="With several channels: one gain for all of them, so that a stereo image (where "
        "a voice sits, the correlation between channels) is kept; --no-stereo-link enhances "
        "each channel on its own (for channels that are not one scene, e.g. two speakers on "
        "their own microphones).",
    ),
]
FullBandOption = Annotated[
    bool,
    typer.Option(
        "--full-band/--no-full-band",
        help="Above 16 kHz (44.1, 48 kHz ...): keep the band above 8 kHz, cleaned with a "
        "gain from its own noise estimate; --no-full-band removes it (the model's 8 kHz "
        "band only).",
    ),
]
DeviceOption = Annotated[str, typer.Option(help="auto, cpu, cuda or cuda:N.")]
OverwriteOption = Annotated[
    bool, typer.Option("--overwrite", help="Replace outputs that already exist.")
]
SkipExistingOption = Annotated[
    bool,
    typer.Option("--skip-existing", help="Leave existing outputs alone (resume a run)."),
]
ThreadsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="CPU threads for the model (default: torch's choice; per worker with --jobs).",
    ),
]
JobsParallelOption = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=1,
        help="Files enhanced at once in worker processes (each with --threads threads, "
        "default 1): faster for folders of short files. Not with --batch-files.",
    ),
]
BatchFilesOption = Annotated[
    int | None,
    typer.Option(
        "--batch-files", min=0, metavar="N", show_default=False,
        help=f"Run the model on the blocks of N files at once (PyTorch), N x 2 files in "
        f"flight in threads: for corpora on a GPU. Default: {DEFAULT_BATCH_FILES} on a GPU, "
        "0 (file by file) on the CPU and for an ensemble (-m ensemble).",
    ),
]
BlockSecondsOption = Annotated[
    float,
    typer.Option(
        min=0.1, help="Seconds read per block; memory stays flat whatever the file length. "
        "With -: the most per block; a block holds what stdin has ready."
    ),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Print errors only: no progress, no summary.")
]
RawRateOption = Annotated[
    int | None,
    typer.Option(min=1, help="With - as input: stdin is raw PCM at this sample rate "
                 "(no header).", rich_help_panel="Standard input (-)", show_default=False),
]
RawChannelsOption = Annotated[
    int,
    typer.Option(min=1, help="Channels of the raw PCM (interleaved).",
                 rich_help_panel="Standard input (-)"),
]
RawFormatOption = Annotated[
    str,
    typer.Option(help="Sample encoding of the raw PCM: s16le, s24le, s32le, f32le, f64le "
                 "or u8.", rich_help_panel="Standard input (-)"),
]


@app.command(help=HELP, no_args_is_help=True)
def enhance(
    inputs: InputsOption,
    output: OutputOption = None,
    model: ModelOption = "default",
    strength: StrengthOption = 1.0,
    atten_lim: AttenLimOption = None,
    speech_lim: SpeechLimOption = None,
    stereo_link: StereoLinkOption = True,
    full_band: FullBandOption = True,
    device: DeviceOption = "auto",
    overwrite: OverwriteOption = False,
    skip_existing: SkipExistingOption = False,
    threads: ThreadsOption = None,
    jobs_parallel: JobsParallelOption = 1,
    batch_files: BatchFilesOption = None,
    block_seconds: BlockSecondsOption = DEFAULT_BLOCK_SECONDS,
    quiet: QuietOption = False,
    raw_rate: RawRateOption = None,
    raw_channels: RawChannelsOption = 1,
    raw_format: RawFormatOption = "s16le",
) -> None:
    from malenhance.enhance import EnhanceOptions
    from malenhance.ranks import Ranks

    options = EnhanceOptions(strength, atten_lim, full_band, stereo_link, speech_lim)
    raw_given = raw_rate is not None or raw_channels != 1 or raw_format != "s16le"
    try:
        ranks = Ranks.from_env()  # set by torchrun
    except MalenhanceError as err:
        fail(str(err))
    if "-" in inputs:
        if len(inputs) > 1:
            fail("- (stdin) cannot be combined with other inputs")
        if ranks.distributed or batch_files:
            fail("- (stdin) is one stream: run it without torchrun and --batch-files")
        _enhance_stdio(output, model, options, device, threads, block_seconds, quiet,
                       overwrite, raw_rate, raw_channels, raw_format)
        return
    if raw_given:
        fail("--raw-rate, --raw-channels and --raw-format apply only to - (stdin) as input")
    if output == "-":
        fail("-o - (stdout) needs - (stdin) as the input")
    from malenhance.files import ignored_report, plan_jobs
    from malenhance.parallel import enhance_files

    if overwrite and skip_existing:
        fail("--overwrite and --skip-existing exclude each other")
    if batch_files and jobs_parallel > 1:
        fail("--jobs starts worker processes, each with its own model; --batch-files batches "
             "one model's calls: use one of them")
    notes: list[str] = []
    try:
        jobs = plan_jobs(inputs, output, notes=notes)
    except MalenhanceError as err:
        fail(str(err))
    for note in notes if not quiet and ranks.rank == 0 else ():
        err_console.print(f"note: {note}", highlight=False)
    device = resolve_device(device)
    if batch_files is None:
        from malenhance.ensemble import is_ensemble

        batched = device.startswith("cuda") and jobs_parallel == 1 and not is_ensemble(model)
        batch_files = DEFAULT_BATCH_FILES if batched else 0  # batches stack one network's state
    if batch_files or ranks.distributed:
        from malenhance.cli.corpus import CorpusOptions, run_corpus

        run_corpus(jobs, inputs, CorpusOptions(
            model, device, batch_files, jobs_parallel, threads, options, overwrite,
            skip_existing, block_seconds, quiet), ranks)
        return
    loading = time.perf_counter()
    net = _load(model, device, threads)
    _warm_up(net)
    started = time.perf_counter()
    load_seconds = started - loading
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rtf]}"),
        TimeRemainingColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )
    with progress:
        view = _BatchView(progress, len(jobs))
        try:
            tally = enhance_files(
                jobs, net, model_spec=model, workers=jobs_parallel, device=device,
                threads=threads, options=options, overwrite=overwrite,
                skip_existing=skip_existing, block_seconds=block_seconds,
                on_outcome=view.record, file_progress=view.file_bar,
            )
        except KeyboardInterrupt as interrupt:
            from malenhance.signals import exit_status

            progress.console.print("[yellow]interrupted[/]; finished outputs are complete")
            raise typer.Exit(exit_status(interrupt)) from None
    if not quiet:
        elapsed = time.perf_counter() - started
        rtf = f" (RTF {tally.rtf:.3f})" if tally.audio_seconds else ""
        err_console.print(
            f"enhanced {tally.done} file{'' if tally.done == 1 else 's'}, "
            f"{duration_text(tally.audio_seconds)} of audio in {elapsed:.1f} s{rtf}; model loaded "
            f"in {load_seconds:.1f} s; skipped {tally.skipped}; failed {tally.failed}",
            highlight=False,
        )
        for line in ignored_report(inputs):
            err_console.print(line, highlight=False)
    if tally.failed:
        raise typer.Exit(1)


def _warm_up(net: MalNet | Engine) -> None:
    """The engine's first-call costs, counted with the model load and not in the RTF."""
    from malenhance.enhance import warm_up

    warm_up(net)


class _BatchView:
    """The overall progress bar, a bar per file and the per-file messages of a batch."""

    def __init__(self, progress: Progress, total: int) -> None:
        from malenhance.parallel import EnhanceTally

        self.progress = progress
        self.overall = progress.add_task("files", total=total, rtf="")
        self.tally = EnhanceTally()

    def record(self, job: Job, outcome: EnhanceResult | str | None) -> None:
        progress = self.progress
        self.tally.add(outcome)
        if isinstance(outcome, str):
            progress.console.print(f"[bold red]error:[/] {outcome}", highlight=False)
        elif outcome is not None:  # an EnhanceResult (imported only for type checking)
            if outcome.scaled:
                progress.console.print(f"{job.destination}: scaled down to avoid clipping")
            if outcome.warning:
                progress.console.print(f"[yellow]warning:[/] {outcome.warning}",
                                       highlight=False)
        progress.advance(self.overall)
        if self.tally.audio_seconds:
            progress.update(self.overall, rtf=f"RTF {self.tally.rtf:.3f}")

    @contextlib.contextmanager
    def file_bar(self, job: Job) -> Iterator[Callable[[int, int], None]]:
        """A bar for one file processed in this process, removed when it is done."""
        task = self.progress.add_task(_short(str(job.source)), total=1.0, rtf="")

        def report(frames_done: int, frames_total: int) -> None:
            self.progress.update(task, completed=frames_done / max(frames_total, 1))

        try:
            yield report
        finally:
            self.progress.remove_task(task)


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]


def _enhance_stdio(
    output: str | None, model: str, options: EnhanceOptions, device: str, threads: int | None,
    block_seconds: float, quiet: bool, overwrite: bool, raw_rate: int | None,
    raw_channels: int, raw_format: str,
) -> None:
    """``enhance -``: stdin to stdout (or to -o FILE), enhanced as the samples arrive."""
    from dataclasses import asdict

    from malenhance.pipe import enhance_stream, open_source
    from malenhance.wavstream import PcmFormat

    to_stdout = output is None or output == "-"
    output = None if to_stdout else Path(output)
    if sys.stdin.isatty():
        fail("stdin is a terminal: pipe audio in, e.g. malenhance enhance - < in.wav > out.wav")
    if to_stdout and sys.stdout.isatty():
        fail("stdout is a terminal: redirect it (> out.wav), pipe it (| aplay) or use -o FILE")
    if not to_stdout and output.exists() and not overwrite:
        fail(f"{output}: output exists (use --overwrite)")
    raw = None
    if raw_rate is not None:
        try:
            raw = PcmFormat(raw_rate, raw_channels, raw_format)
        except MalenhanceError as err:
            fail(f"--raw-format/--raw-channels: {err}")
    elif raw_channels != 1 or raw_format != "s16le":
        fail("--raw-channels and --raw-format need --raw-rate (raw PCM has no header)")
    device = resolve_device(device)
    net = _load(model, device, threads)
    try:
        with _audio_stdout() as stdout:
            source = open_source(sys.stdin.buffer, raw)
            result = enhance_stream(
                net, source, stdout if to_stdout else output, block_seconds=block_seconds,
                **asdict(options),
            )
    except MalenhanceError as err:
        fail(str(err), code=1)
    except KeyboardInterrupt as interrupt:
        from malenhance.signals import exit_status

        raise typer.Exit(exit_status(interrupt)) from None
    if result.clipped:
        err_console.print(f"[yellow]warning:[/] {result.clipped} output samples beyond full "
                          "scale were clipped", highlight=False)
    if not quiet:
        err_console.print(
            f"enhanced {result.duration:.1f} s of audio from stdin ({result.sample_rate} Hz, "
            f"{result.channels} ch) in {result.elapsed:.1f} s", highlight=False,
        )


@contextlib.contextmanager
def _audio_stdout() -> Iterator[BinaryIO]:
    """The binary stdout for audio, with everything else that would print there sent to stderr.

    At the file-descriptor level when there is one, so that even a stray print from a
    library (Python or C) cannot corrupt the audio.
    """
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # e.g. captured in tests: no real fd
        yield sys.stdout.buffer
        return
    sys.stdout.flush()
    audio_fd = os.dup(fd)
    saved = sys.stdout
    os.dup2(sys.stderr.fileno(), fd)
    sys.stdout = sys.stderr
    audio = os.fdopen(audio_fd, "wb")
    try:
        yield audio
    finally:
        sys.stdout = saved
        os.dup2(audio_fd, fd)
        with contextlib.suppress(BrokenPipeError):
            audio.close()


def _load(model: str, device: str, threads: int | None) -> MalNet | Engine:
    """The model ready to run: on the CPU the onnxruntime engine (no torch), else PyTorch on
    ``device`` (:func:`malenhance.light.load_for_inference`); usage errors end the run."""
    from malenhance.light import load_for_inference

    try:
        return load_for_inference(model, device, threads)
    except MalenhanceError as err:
        fail(str(err))
