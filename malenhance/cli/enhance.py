"""`malenhance enhance`: denoise files and folders."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from malenhance.cli.app import app, err_console, fail, resolve_device

HELP = """Denoise speech recordings with a malenhance model.

IN can be audio files (WAV, FLAC, OGG, ...), folders (searched recursively) or glob patterns. Outputs keep each input's sample rate, channels and format.

```
malenhance enhance noisy.wav -o clean.wav
malenhance enhance recordings/ -o cleaned/          # mirrors sub-folders
malenhance enhance a.wav b.flac -o out/ --strength 0.7
malenhance enhance recordings/ -o cleaned/ --skip-existing   # resume a run
```

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
        typer.Option(min=1, help="CPU threads for the model (default: torch's choice)."),
    ] = None,
    block_seconds: Annotated[
        float,
        typer.Option(
            min=0.1, help="Seconds read per block; memory stays flat whatever the file length."
        ),
    ] = 10.0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print errors only: no progress, no summary.")
    ] = False,
) -> None:
    from malenhance.enhance import enhance_file
    from malenhance.errors import MalenhanceError
    from malenhance.files import plan_jobs
    from malenhance.hub import load_model

    if overwrite and skip_existing:
        fail("--overwrite and --skip-existing exclude each other")
    try:
        jobs = plan_jobs(inputs, output)
    except MalenhanceError as err:
        fail(str(err))
    device = resolve_device(device)
    if threads:
        import torch

        torch.set_num_threads(threads)
    try:
        net = load_model(model, device=device)
    except MalenhanceError as err:
        fail(str(err))

    done = skipped = failed = 0
    audio_seconds = work_seconds = 0.0
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
        overall = progress.add_task("files", total=len(jobs), rtf="")
        for job in jobs:
            name = str(job.source)
            if job.destination.exists() and skip_existing:
                skipped += 1
                progress.advance(overall)
                continue
            task = progress.add_task(_short(name), total=1.0, rtf="")
            file_start = time.perf_counter()

            def report(frames_done: int, frames_total: int, task=task, t0=file_start) -> None:
                progress.update(task, completed=frames_done / max(frames_total, 1))

            try:
                result = enhance_file(
                    net,
                    job.source,
                    job.destination,
                    strength=strength,
                    overwrite=overwrite,
                    block_seconds=block_seconds,
                    progress=report,
                )
            except MalenhanceError as err:
                failed += 1
                progress.console.print(f"[bold red]error:[/] {err}", highlight=False)
            except KeyboardInterrupt:
                progress.console.print("[yellow]interrupted[/]; finished outputs are complete")
                raise typer.Exit(130) from None
            except Exception as err:  # noqa: BLE001  (one bad file must not stop a batch)
                failed += 1
                progress.console.print(
                    f"[bold red]error:[/] {name}: unexpected {type(err).__name__}: {err} "
                    "(please report this as a bug)",
                    highlight=False,
                )
            else:
                done += 1
                audio_seconds += result.duration
                work_seconds += result.elapsed
                note = " (scaled to avoid clipping)" if result.scaled else ""
                progress.update(task, completed=1.0, rtf=f"RTF {result.rtf:.3f}{note}")
            progress.remove_task(task)
            progress.advance(overall)
            if audio_seconds:
                progress.update(overall, rtf=f"RTF {work_seconds / audio_seconds:.3f}")

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


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1) :]
