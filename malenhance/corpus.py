"""Corpus runs: many files through one batched model, with reading and writing in threads.

:func:`enhance_corpus` is what ``malenhance enhance --device cuda`` (or ``--batch-files N``)
runs. Up to ``workers`` files are in flight at once, each in a worker thread running the
usual per-file code (:func:`malenhance.enhance.enhance_file`: same formats, resampling,
upper band, scaling instead of clipping, atomic writes); only their model calls are stacked
into batches (:mod:`malenhance.batch`). While the model runs one batch, the other threads
read, resample and write (libsndfile, soxr, numpy and scipy release the GIL), so the GPU
and the CPUs work at the same time. :class:`CorpusCounts` keeps what a progress display
needs at this scale: files, hours of audio done and to do, x real time.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, TypeVar

from malenhance.audio import probe
from malenhance.defaults import DEFAULT_BATCH_FILES, DEFAULT_BLOCK_SECONDS
from malenhance.enhance import EnhanceOptions, ProgressFn
from malenhance.errors import AudioError
from malenhance.files import Job
from malenhance.parallel import DEFAULT_OPTIONS, EnhanceTally, Outcome, enhance_job, triage

if TYPE_CHECKING:
    from malenhance.model import MalNet

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class CorpusStatus:
    """Counts of a run (or of one rank's share): what the progress display shows."""

    files: int = 0  # in the share
    done: int = 0
    skipped: int = 0
    failed: int = 0
    todo: int = 0  # files to enhance (not skipped or refused)
    probed: int = 0  # of those, headers read so far
    audio_todo: float = 0.0  # seconds of audio in the probed files to do
    audio_done: float = 0.0  # seconds enhanced so far, files in flight included
    audio_finished: float = 0.0  # seconds in the files enhanced
    elapsed: float = 0.0

    @property
    def finished(self) -> int:
        return self.done + self.skipped + self.failed

    @property
    def audio_progress(self) -> float:
        """Seconds enhanced so far (files in worker processes count when they finish)."""
        return max(self.audio_done, self.audio_finished)

    @property
    def audio_total(self) -> float | None:
        """Seconds of audio to do, estimated from the files probed so far (None: none yet)."""
        if self.probed >= self.todo:
            return self.audio_todo
        return self.audio_todo / self.probed * self.todo if self.probed else None

    @property
    def speed(self) -> float:
        """Seconds of audio per second of wall time: x real time."""
        return self.audio_progress / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the speed so far (None: not known yet)."""
        total = self.audio_total
        if total is None or self.speed <= 0:
            return None
        return max(total - self.audio_progress, 0.0) / self.speed

    def __add__(self, other: CorpusStatus) -> CorpusStatus:
        summed = {k: v + getattr(other, k) for k, v in asdict(self).items() if k != "elapsed"}
        return CorpusStatus(**summed, elapsed=max(self.elapsed, other.elapsed))


@dataclass
class CorpusCounts:
    """:class:`CorpusStatus` kept up to date from several threads."""

    status: CorpusStatus = field(default_factory=CorpusStatus)
    started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, **add: float) -> None:
        with self._lock:
            for name, value in add.items():
                setattr(self.status, name, getattr(self.status, name) + value)

    def record(self, outcome: Outcome) -> None:
        if outcome is None:
            self.update(skipped=1)
        elif isinstance(outcome, str):
            self.update(failed=1)
        else:
            self.update(done=1, audio_finished=outcome.duration)

    def snapshot(self) -> CorpusStatus:
        with self._lock:
            return CorpusStatus(**{**asdict(self.status),
                                   "elapsed": time.monotonic() - self.started})

    def probe_in_background(self, jobs: list[Job]) -> threading.Thread:
        """Read the headers of ``jobs`` in a thread: the audio to do, for the ETA."""

        def run() -> None:
            for job in jobs:
                try:
                    seconds = probe(job.source).duration
                except (AudioError, OSError):
                    seconds = 0.0  # reported when its turn comes
                self.update(probed=1, audio_todo=seconds)

        thread = threading.Thread(target=run, name="malenhance-probe", daemon=True)
        thread.start()
        return thread

    @contextlib.contextmanager
    def metered(self, job: Job) -> Iterator[ProgressFn | None]:
        """A ``progress(frames_done, frames_total)`` callback for ``job``'s file that adds its
        audio seconds to ``audio_done`` as blocks are done."""
        try:
            rate = probe(job.source).sample_rate
        except (AudioError, OSError):
            yield None  # the job reports the error
            return
        counted = 0

        def progress(frames_done: int, frames_total: int) -> None:
            nonlocal counted
            if frames_done > counted:  # a second pass (scaling down) counts once
                self.update(audio_done=(frames_done - counted) / rate)
                counted = frames_done

        yield progress


def start_share(jobs: list[Job], skip_existing: bool, counts: CorpusCounts | None,
                record: Callable[[Job, Outcome], None]) -> list[Job]:
    """The jobs to run (:func:`~malenhance.parallel.triage`), counted in ``counts``, whose
    headers are then read in a thread for the audio to do."""
    if counts is None:
        return triage(jobs, skip_existing, record)
    counts.update(files=len(jobs))

    def counted(job: Job, outcome: Outcome) -> None:
        counts.record(outcome)
        record(job, outcome)

    pending = triage(jobs, skip_existing, counted)
    counts.update(todo=len(pending))
    counts.probe_in_background(pending)
    return pending


def enhance_corpus(
    jobs: list[Job],
    model: MalNet,
    *,
    batch_files: int = DEFAULT_BATCH_FILES,
    workers: int | None = None,
    options: EnhanceOptions = DEFAULT_OPTIONS,
    overwrite: bool = False,
    skip_existing: bool = False,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
    on_outcome: Callable[[Job, Outcome], None] | None = None,
    counts: CorpusCounts | None = None,
) -> EnhanceTally:
    """Enhance every job with ``model``'s calls batched across files; a file that fails never
    stops the others (as :func:`malenhance.parallel.enhance_files`, same outputs within 1e-4).

    Args:
        model: the PyTorch model on the device to use. On a GPU, TF32 is turned off so that
            the outputs match the CPU path's.
        batch_files: the most files (blocks of ``block_seconds``) in one model call.
        options: strength, attenuation limits, full band and stereo link of every file.
        workers: files in flight, each in a thread (default ``2 * batch_files``: one batch
            is read and written while the other runs).
        on_outcome: called in this thread with each job and its outcome as it is known.
        counts: kept up to date for a progress display (its headers are read in a thread).

    Raises:
        BatchError: the model failed on a batch (e.g. out of GPU memory); files in flight
            are left unwritten, finished ones are complete.
    """
    from malenhance.batch import BatchedEngine, BatchServer

    tally = EnhanceTally()

    def record(job: Job, outcome: Outcome) -> None:
        tally.add(outcome)
        if on_outcome is not None:
            on_outcome(job, outcome)

    pending = start_share(jobs, skip_existing, counts, record)
    if not pending:
        return tally
    if next(model.parameters()).device.type == "cuda":
        import torch

        torch.backends.cudnn.allow_tf32 = False
        torch.backends.cuda.matmul.allow_tf32 = False
    frames = max(round(block_seconds * model.sample_rate / model.hop), 1)
    server = BatchServer(model, frames, batch_files)
    engine = BatchedEngine(server)

    def run(job: Job) -> Outcome:
        meter = counts.metered(job) if counts is not None else contextlib.nullcontext()
        with server.client(), meter as progress:
            return enhance_job(engine, job, options, overwrite, block_seconds, progress)

    workers = workers or 2 * batch_files
    with ThreadPoolExecutor(workers, thread_name_prefix="malenhance-file") as pool:
        try:
            for job, outcome in _as_finished(pool, run, pending, window=2 * workers):
                if counts is not None:
                    counts.record(outcome)
                record(job, outcome)
        except BaseException:
            # Files in flight stop at their next block and remove their partial outputs.
            server.stop()
            pool.shutdown(wait=True, cancel_futures=True)
            if server.failure is not None:
                raise server.failure from None
            raise
        finally:
            server.stop()
    return tally


def _as_finished(pool: ThreadPoolExecutor, fn: Callable[[Item], Result], items: Iterable[Item],
                 window: int) -> Iterator[tuple[Item, Result]]:
    """``(item, fn(item))`` as they finish, with at most ``window`` submitted at a time (a
    million files need not become a million futures at once)."""
    todo = iter(items)
    running: dict[Future[Result], Item] = {}

    def fill() -> None:
        while len(running) < window:
            try:
                item = next(todo)
            except StopIteration:
                return
            running[pool.submit(fn, item)] = item

    fill()
    while running:
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in finished:
            item = running.pop(future)
            yield item, future.result()
        fill()
