"""Several processes on one corpus (``torchrun``): each process's share and their shared store.

``torchrun --nproc-per-node N -m malenhance enhance ...`` starts N processes per machine and
exports ``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR`` and ``MASTER_PORT`` to each
(any launcher that sets them works the same). :func:`shard` gives each rank a fixed share of
the files: the file list sorted by output path, every ``WORLD_SIZE``-th file from the rank's
index on. The same command over the same files gives the same shares, so a killed job rerun
with ``--skip-existing`` finishes every file, and no file is done by two ranks.

The ranks never meet in a collective (NCCL or gloo): their shares may end hours apart, and a
collective times out after minutes. They talk through the key-value store (c10d TCPStore)
that torchrun runs for its rendezvous (:class:`RankLink`): each rank posts its progress every
few seconds and its tally at the end; rank 0 shows everyone's progress and prints the summary
once every tally is in, and every rank leaves with the run's exit status (torchrun stops all
processes as soon as one exits with an error).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from malenhance.errors import RankError

if TYPE_CHECKING:
    from malenhance.files import Job

#: Seconds without news from a rank (its progress posts come every few seconds, whatever
#: its files) after which the others stop waiting for it.
STALL_SECONDS = 600.0


@dataclass(frozen=True)
class Ranks:
    """Where this process stands: its rank among ``world_size`` and its index on its machine."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0
    local_world_size: int = 1  # processes on this machine

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Ranks:
        """Read the variables torchrun sets; a single process without them.

        Raises:
            RankError: the variables are missing, malformed or inconsistent.
        """
        if "WORLD_SIZE" not in environ and "RANK" not in environ:
            return cls()
        try:
            world = int(environ.get("WORLD_SIZE", ""))
            rank = int(environ.get("RANK", ""))
            local = int(environ.get("LOCAL_RANK", str(rank)))
            local_world = int(environ.get("LOCAL_WORLD_SIZE", str(world)))
        except ValueError:
            raise RankError("RANK and WORLD_SIZE must both be set, to integers (as torchrun "
                            f"sets them); got RANK={environ.get('RANK')!r}, "
                            f"WORLD_SIZE={environ.get('WORLD_SIZE')!r}") from None
        if world < 1 or not 0 <= rank < world or not 0 <= local < max(local_world, 1):
            raise RankError(f"RANK={rank} is not within WORLD_SIZE={world}, or LOCAL_RANK="
                            f"{local} not within LOCAL_WORLD_SIZE={local_world}")
        if world > 1:
            missing = [v for v in ("MASTER_ADDR", "MASTER_PORT") if not environ.get(v)]
            if missing:
                raise RankError(f"WORLD_SIZE={world} needs {' and '.join(missing)} (the address "
                                "of rank 0's store); start the processes with torchrun")
        return cls(rank, world, local, local_world)


def plan_digest(jobs: list[Job]) -> str:
    """A fingerprint of the file list: every rank must see the same one to share it."""
    digest = hashlib.sha256()
    for path in sorted(os.fspath(job.destination) for job in jobs):
        digest.update(path.encode(errors="surrogateescape") + b"\0")
    return f"{len(jobs)} files, {digest.hexdigest()[:12]}"


def shard(jobs: list[Job], rank: int, world_size: int) -> list[Job]:
    """This rank's share of ``jobs``: sorted by output path, every ``world_size``-th from
    ``rank`` on (the same shares on every machine and in every rerun of the command)."""
    ordered = sorted(jobs, key=lambda job: os.fspath(job.destination))
    return ordered[rank::world_size]


def rank_device(device: str, local_rank: int) -> str:
    """``cuda`` -> this process's GPU, ``cuda:LOCAL_RANK`` (modulo the GPUs present, so more
    processes than GPUs share them); other devices unchanged."""
    if device != "cuda":
        return device
    import torch

    return f"cuda:{local_rank % max(torch.cuda.device_count(), 1)}"


class RankLink:
    """This rank's link to the others: the c10d store that torchrun (or rank 0) runs.

    ``post(kind, value)`` stores a JSON value under ``kind/<rank>``; ``read(kind)`` returns
    every rank's (None where not posted yet). A background thread posts ``beat`` every few
    seconds, so a rank that died or hung is noticed (:meth:`wait_for_all`).
    """

    def __init__(self, store: Any, ranks: Ranks, beat_seconds: float = 2.0) -> None:
        self.store = store
        self.ranks = ranks
        self._lock = threading.Lock()  # one store client, used from two threads
        self._closed = threading.Event()
        self._beat = 0
        self._beat_seconds = beat_seconds
        self._status: Callable[[], dict] = dict
        self._thread = threading.Thread(target=self._beats, name="malenhance-beat", daemon=True)
        self._thread.start()

    @classmethod
    def connect(cls, ranks: Ranks, timeout: float = 1800.0) -> RankLink:
        """Join the store at ``MASTER_ADDR:MASTER_PORT`` (rank 0 hosts it unless torchrun's
        agent does); waits up to ``timeout`` seconds for it.

        Raises:
            RankError: the store cannot be reached.
        """
        import torch.distributed as dist

        try:
            store, _, _ = next(dist.rendezvous("env://", timeout=timedelta(seconds=timeout)))
        except (RuntimeError, ValueError, OSError) as err:
            where = f"{os.environ.get('MASTER_ADDR')}:{os.environ.get('MASTER_PORT')}"
            raise RankError(f"rank {ranks.rank}: cannot reach the store at {where} "
                            f"({str(err).splitlines()[0] if str(err) else type(err).__name__})"
                            ) from None
        # Keys of this command only, and of this attempt when torchrun restarts the workers.
        attempt = os.environ.get("TORCHELASTIC_RESTART_COUNT", "0")
        return cls(dist.PrefixStore(f"malenhance-enhance/{attempt}/", store), ranks)

    def set_status(self, status: Callable[[], dict]) -> None:
        """What each beat posts as ``progress`` (e.g. the rank's counts)."""
        self._status = status

    def _beats(self) -> None:
        while not self._closed.wait(self._beat_seconds):
            try:
                self.post_progress()
            except Exception:  # noqa: BLE001  (a lost store shows as a stall to the others)
                return

    def post_progress(self) -> None:
        self._beat += 1
        self.post("progress", {**self._status(), "beat": self._beat})

    def post(self, kind: str, value: Any) -> None:
        with self._lock, self._lost():
            self.store.set(f"{kind}/{self.ranks.rank}", json.dumps(value))

    def read(self, kind: str) -> list[Any]:
        values = []
        for rank in range(self.ranks.world_size):
            key = f"{kind}/{rank}"
            with self._lock, self._lost():
                values.append(json.loads(self.store.get(key)) if self.store.check([key])
                              else None)
        return values

    @contextlib.contextmanager
    def _lost(self) -> Iterator[None]:
        try:
            yield
        except RuntimeError as err:  # torch's DistStoreError, DistNetworkError
            where = f"{os.environ.get('MASTER_ADDR')}:{os.environ.get('MASTER_PORT')}"
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise RankError(f"rank {self.ranks.rank}: lost the store at {where}, where the "
                            f"processes meet (did rank 0 or torchrun end?): {first}") from None

    def wait_for_all(self, kind: str, tick: Callable[[], None] | None = None,
                     interval: float = 1.0, stall_seconds: float = STALL_SECONDS) -> list[Any]:
        """Every rank's ``kind`` value, once all have posted it; ``tick()`` runs between polls.

        Raises:
            RankError: a rank that has not posted it sent no beat for ``stall_seconds``.
        """
        seen: dict[int, tuple[Any, float]] = {}
        while True:
            values = self.read(kind)
            if all(v is not None for v in values):
                return values
            now = time.monotonic()
            beats = self.read("progress")
            for rank, value in enumerate(values):
                if value is not None:
                    continue
                beat = (beats[rank] or {}).get("beat")
                if rank not in seen or seen[rank][0] != beat:
                    seen[rank] = (beat, now)
                elif now - seen[rank][1] > stall_seconds:
                    raise RankError(f"rank {rank} stopped reporting {stall_seconds:.0f} s ago; "
                                    "its files are not counted (rerun with --skip-existing)")
            if tick is not None:
                tick()
            time.sleep(interval)

    def check_plan(self, jobs: list[Job]) -> None:
        """Make sure that every rank shares out the same file list.

        Raises:
            RankError: a rank sees other files (e.g. another folder on another machine).
        """
        mine = plan_digest(jobs)
        self.post("plan", mine)
        plans = self.wait_for_all("plan", interval=0.2)
        for rank, plan in enumerate(plans):
            if plan != mine:
                raise RankError(f"rank {rank} sees other input files than rank "
                                f"{self.ranks.rank} ({plan} against {mine}): every process "
                                "must see the same inputs (a shared folder, the same command)")

    def close(self, linger: float = 60.0) -> None:
        """Stop posting; rank 0, which may host the store, stays until the others have left
        (at most ``linger`` seconds)."""
        self._closed.set()
        self._thread.join(timeout=10)
        try:
            with self._lock:
                self.store.add("left", 1)
            if self.ranks.rank != 0:
                return
            deadline = time.monotonic() + linger
            while time.monotonic() < deadline:
                with self._lock:
                    if self.store.add("left", 0) >= self.ranks.world_size:
                        return
                time.sleep(0.1)
        except Exception:  # noqa: BLE001  (the store went away: nobody is left to wait for)
            return
