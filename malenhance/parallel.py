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
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from malenhance.audio import remove_partial_files
from malenhance.enhance import (
    DEFAULT_BLOCK_SECONDS,
    EnhanceOptions,
    EnhanceResult,
    ProgressFn,
    enhance_file,
)
from malenhance.errors import MalenhanceError
from malenhance.files import Job
from malenhance.workers import pool_map

if TYPE_CHECKING:
    from malenhance.frames import Engine
    from malenhance.model import MalNet

Outcome = EnhanceResult | str | None
"""What happened to one job: its result, an error message, or None (skipped: it exists)."""

_worker_model = None
DEFAULT_OPTIONS = EnhanceOptions()

#: CPU seconds a worker process takes to start: Python, numpy, soundfile, soxr, onnxruntime
#: and the model's graph for the onnxruntime engine (about 0.3-0.5 s on an idle core; more on
#: a loaded one), several more for the PyTorch engine (its import).
WORKER_START_SECONDS = {"onnxruntime": 0.6, "torch": 4.0}
#: Seconds of one core's work per second of audio: the model (RTF about 0.01 at 16 kHz) plus
#: decoding, resampling and writing.
WORK_PER_AUDIO_SECOND = 0.015


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity, e.g. under taskset or a container)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: list[Job], requested: int, engine: str = "onnxruntime") -> int:
    """How many worker processes make ``jobs`` finish soonest, at most ``requested``.

    One (this process, whose model is loaded) unless the work shared out saves more than a
    worker takes to start: ``start + work / n < work``. Never more workers than CPUs or
    files, so ``--jobs N`` is never slower than ``--jobs 1`` by more than a misjudged start.
    """
    from malenhance.audio import probe
    from malenhance.errors import AudioError

    workers = min(requested, len(jobs), usable_cpus())
    if workers <= 1:
        return 1
    start = WORKER_START_SECONDS.get(engine, WORKER_START_SECONDS.get("torch", 0.0))
    enough = 2 * start * workers / (workers - 1)  # work beyond which parallel clearly pays
    work = 0.0
    for job in jobs:
        try:
            work += probe(job.source).duration * WORK_PER_AUDIO_SECOND
        except AudioError:
            continue  # reported when its turn comes
        if work > enough:
            break
    while workers > 1 and start + work / workers >= work:
        workers -= 1
    return workers


def _init_worker(model_spec: str, device: str, threads: int) -> None:
    """Load the model as the parent did: on the CPU the onnxruntime engine, without torch."""
    global _worker_model
    from malenhance.enhance import warm_up
    from malenhance.light import load_for_inference

    _worker_model = load_for_inference(model_spec, device, threads)
    warm_up(_worker_model)  # first-call costs out of the first file's time


def enhance_job(
    model: MalNet | Engine, job: Job, options: EnhanceOptions, overwrite: bool,
    block_seconds: float, progress: ProgressFn | None = None,
) -> EnhanceResult | str:
    """:func:`~malenhance.enhance.enhance_file` for one job; an error becomes its message."""
    try:
        return enhance_file(
            model, job.source, job.destination, overwrite=overwrite,
            block_seconds=block_seconds, progress=progress, **asdict(options),
        )
    except MalenhanceError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001  (reported per file; the batch goes on)
        return f"{job.source}: unexpected {type(err).__name__}: {err} (please report this bug)"


def _run(job: Job, options: EnhanceOptions, overwrite: bool, block_seconds: float,
         ) -> EnhanceResult | str:
    return enhance_job(_worker_model, job, options, overwrite, block_seconds)


def enhance_parallel(
    jobs: list[Job],
    model_spec: str,
    *,
    workers: int,
    device: str = "cpu",
    threads_per_worker: int = 1,
    options: EnhanceOptions = DEFAULT_OPTIONS,
    overwrite: bool = False,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
) -> Iterator[tuple[Job, EnhanceResult | str]]:
    """Yield ``(job, result)`` as files finish; ``result`` is an error message on failure.

    The model is loaded once per worker from ``model_spec`` (load it once in the parent
    first, so that a bad spec fails before any worker starts).
    """
    return pool_map(_run, jobs, workers=workers, args=(options, overwrite, block_seconds),
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


def triage(jobs: list[Job], skip_existing: bool,
           record: Callable[[Job, Outcome], None]) -> list[Job]:
    """The jobs to run; the others are recorded at once: skipped (``skip_existing`` and the
    output exists; what a killed run left for it is removed) or refused."""
    pending = []
    for job in jobs:
        if skip_existing and job.destination.exists():
            remove_partial_files(job.destination)  # left by a killed --overwrite run
            record(job, None)
        else:
            pending.append(job)
    for job in [j for j in pending if j.refused]:
        record(job, job.refused)
    return [j for j in pending if not j.refused]


def enhance_files(
    jobs: list[Job],
    model: MalNet | Engine,
    *,
    model_spec: str,
    workers: int = 1,
    device: str = "cpu",
    threads: int | None = None,
    options: EnhanceOptions = DEFAULT_OPTIONS,
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
        workers: the most worker processes (with several files); each uses ``threads``
            threads (default 1). Fewer where they would not pay (:func:`worker_count`).
        options: strength, attenuation limits, full band, stereo link of every file.
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

    pending = triage(jobs, skip_existing, record)
    if workers > 1:
        engine = getattr(model, "name", "torch")
        workers = worker_count(pending, workers, "torch" if device != "cpu" else engine)
    if workers > 1 and len(pending) > 1:
        results = enhance_parallel(
            pending, model_spec, workers=workers, device=device,
            threads_per_worker=threads or 1, options=options, overwrite=overwrite,
            block_seconds=block_seconds,
        )
        try:
            with contextlib.closing(results):  # an interrupt cancels the files not started
                for job, outcome in results:
                    record(job, outcome)
        except BaseException:
            # A worker stopped by the same signal can be ended (with its parent) before its
            # own clean-up removes the file it was writing: sweep what this batch owned.
            for job in pending:
                remove_partial_files(job.destination)
            raise
        return tally
    for job in pending:
        context = file_progress(job) if file_progress else contextlib.nullcontext()
        with context as progress:
            outcome = enhance_job(model, job, options, overwrite, block_seconds, progress)
        record(job, outcome)
    return tally
