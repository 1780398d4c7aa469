"""`malenhance enhance`: denoise files and folders."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
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

from malenhance.cli.app import app, err_console, fail, resolve_device
from malenhance.enhance import DEFAULT_BLOCK_SECONDS, EnhanceResult, enhance_file
from malenhance.errors import MalenhanceError
from malenhance.files import Job

if TYPE_CHECKING:
    from malenhance.model import MalNet

HELP = """Denoise speech recordings with a malenhance model.

IN can be audio files (WAV, FLAC, OGG, ...), folders (searched recursively) or glob patterns. Outputs keep each input's sample rate, channels and format.

```
malenhance enhance noisy.wav -o clean.wav
malenhance enhance recordings/ -o cleaned/          # mirrors sub-folders
malenhance enhance a.wav b.flac -o out/ --strength 0.7
malenhance enhance recordings/ -o cleaned/ --skip-existing   # resume a run
malenhance enhance - < noisy.wav > clean.wav                 # stdin to stdout
arecord -f S16_LE -r 16000 | malenhance enhance - | aplay     # live, as it arrives
sox in.flac -t raw -r 16000 -e signed -b 16 -c 1 - | malenhance enhance - --raw-rate 16000 > out.wav
```

`-` reads stdin and, without -o (or with -o -), writes a WAV to stdout; only audio goes to stdout, messages go to stderr. WAV on stdin is processed as it arrives (streamed WAV headers with unknown length, as arecord and sox write them, are fine) and the output keeps its rate, channels and sample encoding; other containers (FLAC, OGG, ...) are read into memory whole first. Raw PCM needs --raw-rate (and --raw-channels, --raw-format if not 1 channel of s16le). On stdout, samples beyond full scale are clipped (files are scaled down instead).

Exit status: 0 if every file was enhanced (or skipped), 1 if any file failed, 2 for a usage error (bad option, unknown model, no inputs).
"""  # noqa: E501


@app.command(help=HELP, no_args_is_help=True)
def enhance(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="IN...", help="Audio files, folders or glob patterns.", show_default=False
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Output file (one input file) or folder (several files or a folder). "
            "Default: next to each input with an _enhanced suffix.",
        ),
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            "-m",
            help="Bundled model name, a model directory, or a Hub repo org/name[@revision].",
        ),
    ] = "default",
    strength: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=1.0,
            help="How much of the enhancement to apply: 1 = full, 0 = input unchanged; "
            "values between mix the enhanced and the original signal.",
        ),
    ] = 1.0,
    device: Annotated[str, typer.Option(help="auto, cpu, cuda or cuda:N.")] = "auto",
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace outputs that already exist.")
    ] = False,
    skip_existing: Annotated[
        bool,
        typer.Option("--skip-existing", help="Leave existing outputs alone (resume a run)."),
    ] = False,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="CPU threads for the model (default: torch's choice; per worker with --jobs).",
        ),
    ] = None,
    jobs_parallel: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1,
            help="Files enhanced at once in worker processes (each with --threads threads, "
            "default 1): faster for folders of short files.",
        ),
    ] = 1,
    block_seconds: Annotated[
        float,
        typer.Option(
            min=0.1, help="Seconds read per block; memory stays flat whatever the file length. "
            "With -: the most per block; a block holds what stdin has ready."
        ),
    ] = DEFAULT_BLOCK_SECONDS,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print errors only: no progress, no summary.")
    ] = False,
    raw_rate: Annotated[
        int | None,
        typer.Option(min=1, help="With - as input: stdin is raw PCM at this sample rate "
                     "(no header).", rich_help_panel="Standard input (-)", show_default=False),
    ] = None,
    raw_channels: Annotated[
        int,
        typer.Option(min=1, help="Channels of the raw PCM (interleaved).",
                     rich_help_panel="Standard input (-)"),
    ] = 1,
    raw_format: Annotated[
        str,
        typer.Option(help="Sample encoding of the raw PCM: s16le, s24le, s32le, f32le, f64le "
                     "or u8.", rich_help_panel="Standard input (-)"),
    ] = "s16le",
) -> None:
    raw_given = raw_rate is not None or raw_channels != 1 or raw_format != "s16le"
    if "-" in inputs:
        if len(inputs) > 1:
            fail("- (stdin) cannot be combined with other inputs")
        _enhance_stdio(output, model, strength, device, threads, block_seconds, quiet,
                       overwrite, raw_rate, raw_channels, raw_format)
        return
    if raw_given:
        fail("--raw-rate, --raw-channels and --raw-format apply only to - (stdin) as input")
    if output is not None and str(output) == "-":
        fail("-o - (stdout) needs - (stdin) as the input")
    from malenhance.audio import remove_partial_files
    from malenhance.files import plan_jobs
    from malenhance.parallel import enhance_parallel

    if overwrite and skip_existing:
        fail("--overwrite and --skip-existing exclude each other")
    try:
        jobs = plan_jobs(inputs, output)
    except MalenhanceError as err:
        fail(str(err))
    device = resolve_device(device)
    net = _load(model, device, threads)

    pending = []
    for job in jobs:
        if skip_existing and job.destination.exists():
            remove_partial_files(job.destination)  # left by a killed --overwrite run
        else:
            pending.append(job)
    tally = _Tally(skipped=len(jobs) - len(pending))
    started = time.perf_counter()
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
        overall = progress.add_task("files", total=len(jobs), completed=tally.skipped, rtf="")

        def record(outcome: EnhanceResult | str) -> None:
            if isinstance(outcome, str):
                tally.failed += 1
                progress.console.print(f"[bold red]error:[/] {outcome}", highlight=False)
            else:
                tally.add(outcome)
            progress.advance(overall)
            if tally.audio_seconds:
                progress.update(overall, rtf=f"RTF {tally.rtf:.3f}")

        for job in [j for j in pending if j.refused]:
            record(job.refused)
        pending = [j for j in pending if not j.refused]
        try:
            if jobs_parallel > 1 and len(pending) > 1:
                results = enhance_parallel(
                    pending, model, workers=jobs_parallel, device=device,
                    threads_per_worker=threads or 1, strength=strength, overwrite=overwrite,
                    block_seconds=block_seconds,
                )
                for _, outcome in results:
                    record(outcome)
            else:
                for job in pending:
                    record(_enhance_one(net, job, progress, strength, overwrite, block_seconds))
        except KeyboardInterrupt:
            progress.console.print("[yellow]interrupted[/]; finished outputs are complete")
            raise typer.Exit(130) from None

    done, skipped, failed = tally.done, tally.skipped, tally.failed
    audio_seconds, work_seconds = tally.audio_seconds, tally.work_seconds
    if not quiet:
        elapsed = time.perf_counter() - started
        rtf = f", RTF {work_seconds / audio_seconds:.3f}" if audio_seconds else ""
        err_console.print(
            f"enhanced {done} file(s), {audio_seconds / 60:.1f} min of audio in {elapsed:.1f} s"
            f"{rtf}; skipped {skipped}; failed {failed}",
            highlight=False,
        )
    if failed:
        raise typer.Exit(1)


@dataclass
class _Tally:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    audio_seconds: float = 0.0
    work_seconds: float = 0.0

    def add(self, result: EnhanceResult) -> None:
        self.done += 1
        self.audio_seconds += result.duration
        self.work_seconds += result.elapsed

    @property
    def rtf(self) -> float:
        return self.work_seconds / self.audio_seconds if self.audio_seconds else 0.0


def _enhance_one(
    net, job: Job, progress: Progress, strength: float, overwrite: bool, block_seconds: float
) -> EnhanceResult | str:
    """One file in this process, with a progress bar of its own; errors become messages."""
    task = progress.add_task(_short(str(job.source)), total=1.0, rtf="")

    def report(frames_done: int, frames_total: int) -> None:
        progress.update(task, completed=frames_done / max(frames_total, 1))

    try:
        result = enhance_file(
            net, job.source, job.destination, strength=strength, overwrite=overwrite,
            block_seconds=block_seconds, progress=report,
        )
    except MalenhanceError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001  (one bad file must not stop a batch)
        return f"{job.source}: unexpected {type(err).__name__}: {err} (please report this bug)"
    finally:
        progress.remove_task(task)
    if result.scaled:
        progress.console.print(f"{job.destination}: scaled down to avoid clipping")
    return result


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]


def _enhance_stdio(
    output: Path | None, model: str, strength: float, device: str, threads: int | None,
    block_seconds: float, quiet: bool, overwrite: bool, raw_rate: int | None,
    raw_channels: int, raw_format: str,
) -> None:
    """``enhance -``: stdin to stdout (or to -o FILE), enhanced as the samples arrive."""
    from malenhance.pipe import enhance_stream, open_source
    from malenhance.wavstream import PcmFormat

    to_stdout = output is None or str(output) == "-"
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
                net, source, stdout if to_stdout else output, strength=strength,
                block_seconds=block_seconds,
            )
    except MalenhanceError as err:
        fail(str(err), code=1)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
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


def _load(model: str, device: str, threads: int | None) -> MalNet:
    """The model on its device, with torch's thread count set; usage errors end the run."""
    from malenhance.hub import load_model

    if threads:
        import torch

        torch.set_num_threads(threads)
    try:
        return load_model(model, device=device)
    except MalenhanceError as err:
        fail(str(err))
