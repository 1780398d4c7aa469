"""Score folders of enhanced speech: the whole run of ``malenhance score``.

:func:`score` pairs the files (:mod:`~malenhance.scoring.pairing`), scores every item
(:mod:`~malenhance.scoring.per_file`, serially or in worker processes), writes the rows as
they come (:mod:`~malenhance.scoring.rows`, so an interrupted run can resume) and sums
them up (:mod:`~malenhance.scoring.stats`): per system and metric the mean, standard
deviation, 95 % confidence interval and count, and for several systems the paired
differences to the first one.

Nothing here prints: progress goes through a callback and problems with single files end
up in the rows (``error`` and ``notes`` columns).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from malenhance.errors import DataError
from malenhance.scoring.metrics import metric_versions
from malenhance.scoring.pairing import NOISY_SYSTEM, Pairing, pair_files
from malenhance.scoring.per_file import FileTask, ScoreOptions, cached_model, score_task
from malenhance.scoring.rows import (
    Row,
    RowWriter,
    check_output_path,
    json_safe,
    metric_columns,
    output_columns,
    read_rows,
    rewrite_rows,
)
from malenhance.scoring.stats import compare, summarize
from malenhance.workers import pool_map

Progress = Callable[[int, int, str], None]


@dataclass
class ScoreReport:
    """Everything a run produced (rows include those of a resumed earlier run)."""

    rows: list[Row]
    systems: list[str]
    metrics: list[str]
    summary: dict
    comparisons: dict
    unpaired: dict[str, list[str]]
    versions: dict[str, str]
    settings: dict[str, Any]
    resumed: int = 0
    elapsed: float = 0.0

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row["error"]]

    def to_json(self) -> dict:
        """The JSON summary: versions, settings, per-system statistics and comparisons."""
        return json_safe({
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "packages": self.versions,
            "settings": self.settings,
            "files": {"rows": len(self.rows), "errors": len(self.errors),
                      "resumed": self.resumed, "unpaired": self.unpaired},
            "elapsed_s": round(self.elapsed, 3),
            "systems": self.summary,
            "comparisons": self.comparisons,
        })


def write_summary(report: ScoreReport, path: Path) -> None:
    """Write the JSON summary (NaN as null)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")


def _version() -> str:
    from malenhance import __version__

    return __version__


def _limit_threads() -> None:
    """One thread per worker: the workers are the parallelism, and BLAS or torch threads
    competing with them only spin (on a busy 2-core machine that doubled the run time)."""
    import torch

    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: it comes with librosa (through scikit-learn)
        return
    threadpool_limits(1)


def _single_threaded_blas() -> contextlib.AbstractContextManager:
    """BLAS threads only spin on the metrics' small matrix products; restored afterwards."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _run_tasks(
    tasks: list[FileTask], options: ScoreOptions, jobs: int, on_rows: Callable[[list[Row]], None],
    progress: Progress | None,
) -> None:
    total = len(tasks)
    if progress:
        progress(0, total, "")
    if jobs <= 1 or total <= 1:
        with _single_threaded_blas():
            for done, task in enumerate(tasks, 1):
                on_rows(score_task(task, options))
                if progress:
                    progress(done, total, task.key)
        return
    results = pool_map(score_task, tasks, workers=jobs, args=(options,),
                       initializer=_limit_threads)
    with contextlib.closing(results):  # an exception here cancels the tasks not started
        for done, (task, rows) in enumerate(results, 1):
            on_rows(rows)
            if progress:
                progress(done, total, task.key)


def _plan_tasks(pairing: Pairing, done: set[tuple[str, str]],
                noisy_rows: dict[str, Row]) -> list[FileTask]:
    tasks = []
    for key in pairing.keys:
        systems = tuple((s.name, s.files[key]) for s in pairing.systems
                        if key in s.files and (s.name, key) not in done)
        if not systems:
            continue
        noisy = pairing.noisy.get(key) if pairing.noisy is not None else None
        reference = pairing.reference.get(key) if pairing.reference is not None else None
        tasks.append(FileTask(key, reference, noisy, systems,
                              noisy_rows.get(key) if noisy is not None else None))
    return tasks


def _check_options(
    reference: Path | None, output: Path | None, jobs: int, resume: bool,
    plots_dir: Path | None, consistency_model: str | None, dnsmos: bool,
) -> None:
    """Raise :class:`DataError` (or MalenhanceError for --plots) before any work starts."""
    if jobs < 1:
        raise DataError(f"--jobs must be at least 1 (got {jobs})")
    if resume and output is None:
        raise DataError("--resume needs --output: the per-file results to continue from")
    if output is not None:
        check_output_path(output)
    if reference is None and not dnsmos and not consistency_model:
        raise DataError("nothing to compute: give --ref CLEAN for the reference metrics, "
                        "or leave DNSMOS on")
    if plots_dir is not None:
        from malenhance.scoring.plots import require_matplotlib

        require_matplotlib()


def _resumed_rows(output: Path | None, columns: list[str]) -> list[Row]:
    """The good rows of an earlier run's output, which is rewritten without the failed ones."""
    if output is None or not output.exists():
        return []
    rows = [r for r in read_rows(output, columns) if not r["error"]]
    rewrite_rows(output, columns, rows)
    return rows


def _score_into(
    rows: list[Row], tasks: list[FileTask], options: ScoreOptions, jobs: int,
    output: Path | None, columns: list[str], append: bool, progress: Progress | None,
) -> None:
    """Score ``tasks``, adding their rows to ``rows`` and to ``output`` as they come."""
    writer = RowWriter(output, columns, append=append) if output is not None else None
    try:
        def collect(new_rows: list[Row]) -> None:
            rows.extend(new_rows)
            if writer is not None:
                for row in new_rows:
                    writer.write(row)

        _run_tasks(tasks, options, jobs, collect, progress)
    finally:
        if writer is not None:
            writer.close()


def _report(
    rows: list[Row], pairing: Pairing, metrics: list[str], settings: dict[str, Any],
    resumed: int,
) -> ScoreReport:
    """The statistics, comparisons and settings of a run's rows."""
    names = [s.name for s in pairing.systems]
    order = ([NOISY_SYSTEM] if settings["noisy"] is not None else []) + names
    return ScoreReport(
        rows=rows, systems=order, metrics=metrics,
        summary=summarize(rows, order, metrics),
        comparisons=compare(rows, names[0], names[1:], metrics),
        unpaired=pairing.unpaired, versions={"malenhance": _version(), **metric_versions()},
        settings={
            "systems": {s.name: str(s.root) for s in pairing.systems},
            **settings,
            "pesq": "wide band (P.862.2) at >= 16 kHz, narrow band (P.862) below",
            "composite": "Hu & Loizou 2008, CMGAN conventions",
        },
        resumed=resumed,
    )


def score(
    systems: Sequence[Path],
    *,
    reference: Path | None = None,
    noisy: Path | None = None,
    output: Path | None = None,
    summary_path: Path | None = None,
    jobs: int = 1,
    resume: bool = False,
    plots_dir: Path | None = None,
    consistency_model: str | None = None,
    device: str = "cpu",
    dnsmos: bool | None = None,
    progress: Progress | None = None,
) -> ScoreReport:
    """Score folders of enhanced audio.

    Args:
        systems: one folder (or file) of enhanced audio per system; the first is the
            baseline of the paired differences.
        reference: clean references; None for non-intrusive metrics only.
        noisy: the unprocessed inputs; adds a ``noisy-input`` system and
            ``<metric>_improvement`` columns.
        output: per-file rows, ``.csv`` or ``.jsonl``; written as rows come.
        summary_path: JSON summary to write.
        jobs: worker processes.
        resume: keep the rows already in ``output`` (failed ones are retried).
        plots_dir: write spectrograms per file and a summary figure there (matplotlib).
        consistency_model: enhance every enhanced file again with this model and score
            the second pass too (``consistency_si_sdr``, ``pass2_<metric>``).
        device: device for the consistency model.
        dnsmos: DNSMOS P.835/P.808; default on without a reference, off with one.
        progress: called as ``progress(done, total, item)`` after each item.

    Returns:
        The report with every row, the statistics and the comparisons.

    Raises:
        DataError: missing or empty folders, nothing paired, nothing to compute, or an
            output to resume that was written with other options.
        ModelError: the consistency model cannot be loaded.
    """
    started = time.perf_counter()
    dnsmos = reference is None if dnsmos is None else dnsmos
    _check_options(reference, output, jobs, resume, plots_dir, consistency_model, dnsmos)
    pairing = pair_files(systems, reference, noisy)
    if consistency_model:
        cached_model(consistency_model, device)  # fail early on a bad model spec
    metrics = metric_columns(reference=reference is not None, dnsmos=dnsmos,
                             noisy=noisy is not None, consistency=bool(consistency_model))
    columns = output_columns(metrics)
    options = ScoreOptions(tuple(metrics), dnsmos, consistency_model, device, plots_dir,
                           onnx_threads=1 if jobs > 1 else None)

    rows = _resumed_rows(output, columns) if resume else []
    resumed = len(rows)
    done = {(r["system"], r["file"]) for r in rows}
    noisy_rows = {r["file"]: r for r in rows if r["system"] == NOISY_SYSTEM}
    tasks = _plan_tasks(pairing, done, noisy_rows)
    _score_into(rows, tasks, options, jobs, output, columns, resume, progress)

    settings = {
        "reference": str(reference) if reference else None,
        "noisy": str(noisy) if noisy else None,
        "metrics": metrics, "dnsmos": dnsmos, "consistency_model": consistency_model,
        "jobs": jobs,
    }
    report = _report(rows, pairing, metrics, settings, resumed)
    if plots_dir is not None:
        from malenhance.scoring.plots import save_summary_figure

        save_summary_figure(plots_dir / "summary.png", rows, report.systems, metrics)
    report.elapsed = time.perf_counter() - started
    if summary_path is not None:
        write_summary(report, summary_path)
    return report
