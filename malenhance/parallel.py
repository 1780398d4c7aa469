"""Enhance many files: serially in this process or in parallel worker processes.

:func:`enhance_files` is the batch behind ``malenhance enhance`` with files and folders:
outputs that exist are skipped (``skip_existing``, removing what a killed run left for
them) or replaced (``overwrite``), refused jobs and failures become per-file messages, and
the files run in this process or in worker processes (one model copy per worker). Small
files are dominated by per-call overheads that a single process cannot overlap; on a CPU,
N one-thread workers beat one N-thread process for a folder of short files.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from malenhance.audio import remove_partial_files
from malenhance.enhance import DEFAULT_BLOCK_SECONDS, EnhanceResult, ProgressFn, enhance_file
from malenhance.errors import MalenhanceError
from malenhance.files import Job
from malenhance.workers import pool_map

if TYPE_CHECKING:
    from malenhance.model import MalNet

Outcome = EnhanceResult | str | None
"""What happened to one job: its result, an error message, or None (skipped: it exists)."""

_worker_model = None


def _init_worker(model_spec: str, device: str, threads: int) -> None:
    global _worker_model
    import torch

    from malenhance.hub import load_model

    torch.set_num_threads(threads)
    _worker_model = load_model(model_spec, device=device)


def enhance_job(
    model: MalNet, job: Job, strength: float, overwrite: bool, block_seconds: float,
    progress: ProgressFn | None = None,
) -> EnhanceResult | str:
    """:func:`~malenhance.enhance.enhance_file` for one job; an error becomes its message."""
    try:
        return enhance_file(
            model, job.source, job.destination, strength=strength, overwrite=overwrite,
            block_seconds=block_seconds, progress=progress,
        )
    except MalenhanceError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001  (reported per file; the batch goes on)
        return f"{job.source}: unexpected {type(err).__name__}: {err} (please report this bug)"


def _run(job: Job, strength: float, overwrite: bool, block_seconds: float) -> EnhanceResult | str:
    return enhance_job(_worker_model, job, strength, overwrite, block_seconds)


def enhance_parallel(
    jobs: list[Job],
    model_spec: str,
    *,
    workers: int,
    device: str = "cpu",
    threads_per_worker: int = 1,
    strength: float = 1.0,
    overwrite: bool = False,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
) -> Iterator[tuple[Job, EnhanceResult | str]]:
    """Yield ``(job, result)`` as files finish; ``result`` is an error message on failure.

    The model is loaded once per worker from ``model_spec`` (load it once in the parent
    first, so that a bad spec fails before any worker starts).
    """
    return pool_map(_run, jobs, workers=workers, args=(strength, overwrite, block_seconds),
                    initializer=_init_worker, initargs=(model_spec, device, threads_per_worker))


@dataclass
class EnhanceTally:
    """Counts and seconds of a batch."""

    done: int = 0
    skipped: int = 0
    failed: int = 0
    audio_seconds: float = 0.0
    work_seconds: float = 0.0

    def add(self, outcome: Outcome) -> None:
        if outcome is None:
            self.skipped += 1
        elif isinstance(outcome, str):
            self.failed += 1
        else:
            self.done += 1
            self.audio_seconds += outcome.duration
            self.work_seconds += outcome.elapsed

    @property
    def rtf(self) -> float:
        return self.work_seconds / self.audio_seconds if self.audio_seconds else 0.0


def enhance_files(
    jobs: list[Job],
    model: MalNet,
    *,
    model_spec: str,
    workers: int = 1,
    device: str = "cpu",
    threads: int | None = None,
    strength: float = 1.0,
    overwrite: bool = False,
    skip_existing: bool = False,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
    on_outcome: Callable[[Job, Outcome], None] | None = None,
    file_progress: Callable[[Job], contextlib.AbstractContextManager[ProgressFn | None]]
    | None = None,
) -> EnhanceTally:
    """Enhance every job; one that fails never stops the others.

    Args:
        jobs: from :func:`~malenhance.files.plan_jobs`.
        model: the loaded model (files run in this process when ``workers`` is 1).
        model_spec: what each worker loads (``workers > 1``); ``model`` came from it.
        workers: worker processes (with several files); each uses ``threads`` threads
            (default 1).
        overwrite: replace existing outputs (else they are errors, or skipped).
        skip_existing: leave existing outputs alone and remove the partial files a killed
            run left for them.
        on_outcome: called with each job and its :data:`Outcome` as it is known (skipped
            and refused jobs first).
        file_progress: in this process, a context for each file giving the
            ``progress(frames_done, frames_total)`` callback of its file (or None).

    Returns:
        The tally of done, skipped and failed files and the seconds of audio and work.
    """
    tally = EnhanceTally()

    def record(job: Job, outcome: Outcome) -> None:
        tally.add(outcome)
        if on_outcome is not None:
            on_outcome(job, outcome)

    pending = []
    for job in jobs:
        if skip_existing and job.destination.exists():
            remove_partial_files(job.destination)  # left by a killed --overwrite run
            record(job, None)
        else:
            pending.append(job)
    for job in [j for j in pending if j.refused]:
        record(job, job.refused)
    pending = [j for j in pending if not j.refused]
    if workers > 1 and len(pending) > 1:
        results = enhance_parallel(
            pending, model_spec, workers=workers, device=device,
            threads_per_worker=threads or 1, strength=strength, overwrite=overwrite,
            block_seconds=block_seconds,
        )
        with contextlib.closing(results):  # an interrupt cancels the files not started
            for job, outcome in results:
                record(job, outcome)
        return tally
    for job in pending:
        context = file_progress(job) if file_progress else contextlib.nullcontext()
        with context as progress:
            outcome = enhance_job(model, job, strength, overwrite, block_seconds, progress)
        record(job, outcome)
    return tally
