"""`malenhance score`: PESQ, STOI, ESTOI, SI-SDR, CSIG/CBAK/COVL and DNSMOS for folders."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from malenhance.cli.app import app, err_console, fail, resolve_device

HELP = (
    "Score enhanced speech against clean references, or without them (DNSMOS).\n\n"
    "ENHANCED are folders of enhanced audio, one per system (or single files). Files pair "
    "with --ref and --noisy by their path relative to each folder without the extension, "
    "searched recursively; unpaired files are listed. Per file: PESQ (wide band at 16 kHz "
    "and above, narrow band below), STOI, ESTOI, SI-SDR and CSIG/CBAK/COVL; DNSMOS P.835 "
    "and P.808 without --ref (or with --dnsmos). Several systems give one table with "
    "paired differences to the first; values are mean ± 95 % confidence interval.\n\n"
    "```\n"
    "  malenhance score enhanced/ --ref clean/\n"
    "  malenhance score enhanced/ -r clean/ -n noisy/ -o scores.csv -s summary.json\n"
    "  malenhance score sysA/ sysB/ sysC/ --ref clean/ --jobs 2\n"
    "  malenhance score enhanced/                     # DNSMOS only, no reference\n"
    "  malenhance score enhanced/ --ref clean/ --consistency --model default\n"
    "  malenhance score enhanced/ --ref clean/ -o scores.jsonl --resume\n"
    "```\n\n"
    "Exit status: 0 if every file was scored (a metric may still be NaN, with the reason "
    "in the notes column), 1 if any file could not be read or scored, 2 for a usage error "
    "(missing or empty folder, nothing paired, bad option, unknown model)."
)


# The command's options (module-level, so that the command itself stays short).
EnhancedOption = Annotated[
    list[Path],
    typer.Argument(metavar="ENHANCED...", help="Folders (or files) of enhanced audio, "
                   "one per system.", show_default=False),
]
RefOption = Annotated[
    Path | None, typer.Option("--ref", "-r", help="Folder (or file) of clean references.")
]
NoisyOption = Annotated[
    Path | None,
    typer.Option("--noisy", "-n", help="Folder of the noisy inputs: adds their scores and "
                 "each metric's improvement."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Per-file results, FILE.csv or FILE.jsonl (one "
                 "row per file and system)."),
]
SummaryOption = Annotated[
    Path | None,
    typer.Option("--summary", "-s", help="JSON summary with statistics and package versions."),
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes.")]
ResumeOption = Annotated[
    bool, typer.Option("--resume", help="Continue from the rows already in --output.")
]
PlotsOption = Annotated[
    Path | None,
    typer.Option("--plots", help="Folder for spectrogram PNGs per file and a summary "
                 "figure (needs matplotlib)."),
]
ConsistencyOption = Annotated[
    bool,
    typer.Option("--consistency", help="Enhance each enhanced file again with --model and "
                 "score both passes (SI-SDR between passes)."),
]
ModelOption = Annotated[
    str, typer.Option("--model", "-m", help="Model for --consistency: bundled name, "
                      "directory, or Hub org/name[@revision].")
]
DeviceOption = Annotated[str, typer.Option(help="auto, cpu, cuda or cuda:N (--consistency).")]
DnsmosOption = Annotated[
    bool | None,
    typer.Option("--dnsmos/--no-dnsmos", help="DNSMOS P.835/P.808. Default: on without "
                 "--ref, off with it.", show_default=False),
]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="No progress bar and no table.")
]


@app.command(help=HELP, no_args_is_help=True)
def score(
    enhanced: EnhancedOption,
    ref: RefOption = None,
    noisy: NoisyOption = None,
    output: OutputOption = None,
    summary: SummaryOption = None,
    jobs: JobsOption = 1,
    resume: ResumeOption = False,
    plots: PlotsOption = None,
    consistency: ConsistencyOption = False,
    model: ModelOption = "default",
    device: DeviceOption = "auto",
    dnsmos: DnsmosOption = None,
    quiet: QuietOption = False,
) -> None:
    from malenhance.errors import MalenhanceError
    from malenhance.scoring import score as run_score

    if ref is not None and not ref.exists():
        fail(f"--ref {ref}: no such file or folder")
    if noisy is not None and not noisy.exists():
        fail(f"--noisy {noisy}: no such file or folder")
    # The output's suffix and --resume without --output: checked by the library (exit 2 too).
    progress = Progress(
        TextColumn("scoring"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[item]}"),
        TimeRemainingColumn(), console=err_console, disable=quiet, transient=True,
    )
    try:
        with progress:
            task = progress.add_task("scoring", total=None, item="")

            def report(done: int, total: int, item: str) -> None:
                progress.update(task, completed=done, total=total, item=_short(item))

            result = run_score(
                enhanced, reference=ref, noisy=noisy, output=output, summary_path=summary,
                jobs=jobs, resume=resume, plots_dir=plots,
                consistency_model=model if consistency else None,
                device=resolve_device(device) if consistency else "cpu",
                dnsmos=dnsmos, progress=report,
            )
    except KeyboardInterrupt as interrupt:
        err_console.print("[yellow]interrupted[/]; rows written so far are kept (use --resume)")
        from malenhance.signals import exit_status

        raise typer.Exit(exit_status(interrupt)) from None
    except MalenhanceError as err:
        fail(str(err))

    _print_unpaired(result.unpaired)
    _print_problems(result.rows)
    _print_clamped(result.rows, result.systems)
    if not quiet:
        Console().print(_table(result))
        written = [str(p) for p in (output, summary, plots) if p is not None]
        if written:
            err_console.print(f"wrote {', '.join(written)}", highlight=False)
    if result.errors:
        raise typer.Exit(1)


def _short(name: str, width: int = 40) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]


def _print_unpaired(unpaired: dict[str, list[str]], shown: int = 5) -> None:
    for label, files in unpaired.items():
        listing = ", ".join(files[:shown]) + (f", … ({len(files) - shown} more)"
                                               if len(files) > shown else "")
        err_console.print(f"[yellow]warning:[/] {label}: {len(files)} file(s): {listing}",
                          highlight=False)


def _print_problems(rows: list[dict], shown: int = 10) -> None:
    failed = [r for r in rows if r["error"]]
    for row in failed[:shown]:
        err_console.print(f"[yellow]warning:[/] {row['system']}: {row['file']}: {row['error']}",
                          highlight=False)
    if len(failed) > shown:
        err_console.print(f"[yellow]warning:[/] … and {len(failed) - shown} more failed files",
                          highlight=False)
    noted = [r for r in rows if r["notes"] and not r["error"]]
    if noted:
        example = f"{noted[0]['system']}: {noted[0]['file']}: {noted[0]['notes']}"
        err_console.print(
            f"note: {len(noted)} row(s) carry notes (trimmed, resampled, downmixed or a NaN "
            f"metric; see the notes column), e.g. {example}", highlight=False,
        )


def _print_clamped(rows: list[dict], systems: list[str]) -> None:
    """Say where CSIG/CBAK/COVL were clamped: a mean of clamped values is a bound."""
    for system in systems:
        scored = [r for r in rows if r["system"] == system and not r["error"]]
        for name in ("CSIG", "CBAK", "COVL"):
            for bound, where in (("1", "floor"), ("5", "ceiling")):
                count = sum(f"{name} clamped to {bound} " in r["notes"] for r in scored)
                if count:
                    err_console.print(
                        f"note: {name}: clamped to the scale's {where} ({bound}) in {count} "
                        f"of {len(scored)} files ({system}); its mean is a bound there, not "
                        "a measurement", highlight=False,
                    )


def _fmt(stats: dict, signed: bool = False) -> str:
    if not stats["count"]:
        return "–"
    mean = f"{stats['mean']:+.3f}" if signed else f"{stats['mean']:.3f}"
    return mean if math.isnan(stats["ci95"]) else f"{mean} ± {stats['ci95']:.3f}"


def _table(result) -> Table:
    """One system: mean, std, CI and count per metric. Several: side by side + differences."""
    metrics = [m for m in result.metrics
               if any(result.summary[s][m]["count"] for s in result.systems)]
    if len(result.systems) == 1:
        system = result.systems[0]
        table = Table("metric", "mean", "std", "95% CI", "n", title=f"scores: {system}")
        for metric in metrics:
            stats = result.summary[system][metric]
            table.add_row(_label(metric), f"{stats['mean']:.3f}", _num(stats["std"]),
                          "" if math.isnan(stats["ci95"]) else f"± {stats['ci95']:.3f}",
                          str(stats["count"]))
        return table
    table = Table("metric", title="scores (mean ± 95% CI; differences are paired)",
                  caption="Δ: improvement over the noisy input" if any(
                      m.endswith("_improvement") for m in metrics) else None)
    for system in result.systems:
        count = max(result.summary[system][m]["count"] for m in metrics) if metrics else 0
        table.add_column(f"{system}\n(n={count})", justify="right")
    for label in result.comparisons:
        table.add_column(label, justify="right")
    for metric in metrics:
        signed = metric.endswith("_improvement")
        cells = [_fmt(result.summary[s][metric], signed) for s in result.systems]
        cells += [_diff_cell(result.comparisons[label][metric]) for label in result.comparisons]
        table.add_row(_label(metric), *cells)
    return table


def _label(metric: str) -> str:
    """Short row labels: the file columns' names are long for a table."""
    if metric.endswith("_improvement"):
        return "Δ " + metric.removesuffix("_improvement")
    if metric.startswith("pass2_"):
        return "2nd pass " + metric.removeprefix("pass2_")
    return metric


def _diff_cell(stats: dict) -> str:
    text = _fmt(stats, signed=True)
    if stats["count"] < 2 or math.isnan(stats["ci95"]):
        return text
    # Every metric here is better when higher; colour differences whose CI excludes zero.
    if stats["mean"] - stats["ci95"] > 0:
        return f"[green]{text}[/]"
    if stats["mean"] + stats["ci95"] < 0:
        return f"[red]{text}[/]"
    return text


def _num(value: float) -> str:
    return "" if math.isnan(value) else f"{value:.3f}"
