"""Corpus runs of ``malenhance enhance``: the model batched across files, the files shared
between the processes torchrun starts, one progress line for the whole run.

:func:`run_corpus` takes over from the command when the model runs batched (``--device
cuda``, or ``--batch-files N``) or when ``torchrun`` started several processes
(:mod:`malenhance.ranks`). Each process enhances its share; rank 0 shows everyone's progress
(files, hours of audio, x real time, ETA) and prints the summary once every share is done;
every process then exits with the run's status.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, fields, replace
from types import TracebackType
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, Progress, TextColumn

from malenhance.cli.app import duration_text, err_console, fail
from malenhance.errors import BatchError, MalenhanceError, RankError

if TYPE_CHECKING:
    from malenhance.corpus import CorpusCounts, CorpusStatus
    from malenhance.enhance import EnhanceOptions, EnhanceResult
    from malenhance.files import Job
    from malenhance.model import MalNet
    from malenhance.ranks import RankLink, Ranks

#: Seconds between progress lines when stderr is not a terminal (a job's log file).
LOG_EVERY_SECONDS = 30.0


@dataclass(frozen=True)
class CorpusOptions:
    """The options of ``malenhance enhance`` that a corpus run uses."""

    model: str
    device: str
    batch_files: int  # 0: the per-file path (in this process or --jobs worker processes)
    jobs: int
    threads: int | None
    enhance: EnhanceOptions  # strength, attenuation limit, full band, stereo link
    overwrite: bool
    skip_existing: bool
    block_seconds: float
    quiet: bool


def run_corpus(jobs: list[Job], inputs: list[str], options: CorpusOptions, ranks: Ranks) -> None:
    """Enhance this process's share of ``jobs``; on rank 0, show the progress of all and print
    the summary. Exits 1 (every process) if a file failed anywhere, 130 etc. on a signal."""
    from malenhance.corpus import CorpusCounts
    from malenhance.files import ignored_report
    from malenhance.ranks import rank_device, shard
    from malenhance.signals import exit_status

    link = _connect(ranks, jobs) if ranks.distributed else None
    share = shard(jobs, ranks.rank, ranks.world_size)
    device = rank_device(options.device, ranks.local_rank)
    if device == "cpu" and options.threads is None and ranks.local_world_size > 1:
        from malenhance.parallel import usable_cpus

        # the machine's cores shared by its processes, not each taking all of them
        options = replace(options, threads=max(usable_cpus() // ranks.local_world_size, 1))
    net, load_seconds = _load(options, device)
    counts = CorpusCounts()
    if link is not None:
        link.set_status(lambda: asdict(counts.snapshot()))
    try:
        with CorpusView(counts, link, ranks, options.quiet) as view:
            error = _enhance_share(share, net, device, options, counts, view)
            if error is not None and ranks.distributed:
                error = f"rank {ranks.rank}: {error}"
            mine = {**asdict(counts.snapshot()), "load": load_seconds, "error": error}
            shares = [mine] if link is None else _gather(link, mine, view)
    except KeyboardInterrupt as interrupt:
        err_console.print("[yellow]interrupted[/]; finished outputs are complete")
        raise typer.Exit(exit_status(interrupt)) from None
    if link is not None:
        # rank 0 may host the store: it waits for the others to leave, unless one was lost
        link.close(linger=0.0 if any(s.get("lost") for s in shares) else 60.0)
    if ranks.rank == 0 and not options.quiet:
        err_console.print(summary(shares), highlight=False)
        for line in ignored_report(inputs):
            err_console.print(line, highlight=False)
    if any(s.get("failed") or s.get("error") for s in shares):
        raise typer.Exit(1)


def _connect(ranks: Ranks, jobs: list[Job]) -> RankLink:
    """The link to the other processes, once all have checked that they share one list."""
    from malenhance.ranks import RankLink

    try:
        link = RankLink.connect(ranks)
    except RankError as err:
        fail(str(err), code=1)
    try:
        link.check_plan(jobs)
    except RankError as err:
        link.close(linger=0.0)
        fail(str(err), code=1)
    return link


def _gather(link: RankLink, mine: dict, view: CorpusView) -> list[dict]:
    """Every process's counts, once all are done; only those known if one was lost."""
    try:
        link.post_progress()  # the final counts, for rank 0's display
        link.post("tally", mine)
        return link.wait_for_all("tally")
    except RankError as err:
        view.print(f"[bold red]error:[/] {err}")
        return [mine, {"error": str(err), "lost": True}]


def _enhance_share(share: list[Job], net: MalNet, device: str, options: CorpusOptions,
                   counts: CorpusCounts, view: CorpusView) -> str | None:
    """Enhance ``share``, batched or file by file; the error that stopped it, if any."""
    from malenhance.corpus import enhance_corpus, start_share
    from malenhance.parallel import enhance_files

    if options.batch_files:
        try:
            enhance_corpus(share, net, batch_files=options.batch_files,
                           options=options.enhance, overwrite=options.overwrite,
                           skip_existing=options.skip_existing,
                           block_seconds=options.block_seconds, on_outcome=view.record,
                           counts=counts)
        except BatchError as err:
            view.print(f"[bold red]error:[/] {err}; finished outputs are complete (rerun "
                       "with --skip-existing, with a smaller --batch-files if out of memory)")
            return str(err)
        return None

    def record(job: Job, outcome: object) -> None:
        counts.record(outcome)
        view.record(job, outcome)

    pending = start_share(share, options.skip_existing, counts, view.record)
    enhance_files(pending, net, model_spec=options.model, workers=options.jobs, device=device,
                  threads=options.threads, options=options.enhance,
                  overwrite=options.overwrite, block_seconds=options.block_seconds,
                  on_outcome=record, file_progress=counts.metered)
    return None


def _load(options: CorpusOptions, device: str) -> tuple[MalNet, float]:
    """The model, warmed up, and the seconds that took: PyTorch for batches (on any device),
    else what a plain run loads."""
    from malenhance.enhance import warm_up

    start = time.perf_counter()
    try:
        if options.batch_files:
            from malenhance.ensemble import is_ensemble

            if is_ensemble(options.model):
                fail(f"{options.model} is an ensemble: --batch-files batches one network's "
                     "state; run it without --batch-files (file by file)")
            import torch

            from malenhance.hub import load_model

            if options.threads:
                torch.set_num_threads(options.threads)
            net = load_model(options.model, device=device)
        else:
            from malenhance.light import load_for_inference

            net = load_for_inference(options.model, device, options.threads)
    except MalenhanceError as err:
        fail(str(err))
    warm_up(net)
    return net, time.perf_counter() - start


def summary(shares: list[dict]) -> str:
    """The run's last line, from every process's counts: files, audio, time, x real time."""
    done = sum(s.get("done", 0) for s in shares)
    audio = sum(s.get("audio_finished", 0.0) for s in shares)
    elapsed = max((s.get("elapsed", 0.0) for s in shares), default=0.0)
    load = max((s.get("load", 0.0) for s in shares), default=0.0)
    speed = f" ({audio / elapsed:,.0f}x real time)" if audio and elapsed else ""
    where = f" by {len(shares)} processes" if len(shares) > 1 else ""
    return (f"enhanced {done:,} file{'' if done == 1 else 's'}, {duration_text(audio)} of audio "
            f"in {duration_text(elapsed)}{speed}{where}; model loaded in {load:.1f} s; skipped "
            f"{sum(s.get('skipped', 0) for s in shares):,}; failed "
            f"{sum(s.get('failed', 0) for s in shares):,}")


def status_line(status: CorpusStatus, processes: int = 1) -> str:
    """Files, hours of audio, x real time and ETA, e.g. ``files 1,204/50,000 · 3.1 h of
    ~410.0 h · 1,850x real time · ETA 3:40:12``."""
    parts = [f"files {status.finished:,}/{status.files:,}"]
    if status.skipped or status.failed:
        parts[0] += f" ({status.skipped:,} skipped, {status.failed:,} failed)"
    total = status.audio_total
    done = duration_text(status.audio_progress)
    if total is None:
        parts.append(f"{done} of audio")
    else:
        estimate = "" if status.probed >= status.todo else "~"
        parts.append(f"{done} of {estimate}{duration_text(total)}")
    if status.speed:
        parts.append(f"{status.speed:,.0f}x real time")
    eta = status.eta
    if eta is not None:
        minutes, seconds = divmod(int(eta + 0.5), 60)
        parts.append(f"ETA {minutes // 60}:{minutes % 60:02d}:{seconds:02d}")
    if processes > 1:
        parts.append(f"{processes} processes")
    return " · ".join(parts)


class CorpusView:
    """The progress of a corpus run on rank 0's stderr: a live line on a terminal, a line
    every :data:`LOG_EVERY_SECONDS` in a log; and every process's per-file messages."""

    def __init__(self, counts: CorpusCounts, link: RankLink | None, ranks: Ranks,
                 quiet: bool) -> None:
        self.counts = counts
        self.link = link
        self.ranks = ranks
        self.show = not quiet and ranks.rank == 0
        self.console = err_console
        self._progress: Progress | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def status(self) -> CorpusStatus:
        """This process's counts plus the others' latest posts."""
        from malenhance.corpus import CorpusStatus

        total = self.counts.snapshot()
        if self.link is None:
            return total
        names = {f.name for f in fields(CorpusStatus)}
        for rank, posted in enumerate(self.link.read("progress")):
            if rank != self.ranks.rank and posted:
                total = total + CorpusStatus(**{k: v for k, v in posted.items() if k in names})
        return total

    def refresh(self) -> None:
        try:
            status = self.status()
        except Exception:  # noqa: BLE001  (a store hiccup must not end the run)
            return
        line = status_line(status, self.ranks.world_size)
        if self._progress is not None:
            self._progress.update(self._task, total=status.audio_total,
                                  completed=status.audio_progress, line=line)
        else:
            self.console.print(line, highlight=False)

    def _loop(self) -> None:
        every = 0.5 if self._progress is not None else LOG_EVERY_SECONDS
        while not self._stop.wait(every):
            self.refresh()

    def __enter__(self) -> CorpusView:
        if self.show:
            if self.console.is_terminal:
                self._progress = Progress(BarColumn(), TextColumn("{task.fields[line]}"),
                                          console=self.console)
                self._task = self._progress.add_task("enhance", total=None, line="")
                self._progress.start()
            self._thread = threading.Thread(target=self._loop, name="malenhance-progress",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._progress is not None:
            self.refresh()
            self._progress.stop()

    def print(self, text: str) -> None:
        (self._progress.console if self._progress else self.console).print(text, highlight=False)

    def record(self, job: Job, outcome: EnhanceResult | str | None) -> None:
        """A file's messages: its error, a scaled output, a warning about its input."""
        if isinstance(outcome, str):
            self.print(f"[bold red]error:[/] {outcome}")
        elif outcome is not None:
            if outcome.scaled:
                self.print(f"{job.destination}: scaled down to avoid clipping")
            if outcome.warning:
                self.print(f"[yellow]warning:[/] {outcome.warning}")
