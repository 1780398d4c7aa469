"""Worker processes (``enhance --jobs``, ``score --jobs``): one pool helper for both."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing.connection import wait
from typing import Any, TypeVar

Item = TypeVar("Item")


def exit_with_parent() -> None:
    """End this worker process as soon as the process that started it dies.

    A pool's workers outlive a parent killed with ``kill -9``: they wait for work that never
    comes, each holding a model in memory, for ever. A daemon thread waits on the parent's
    sentinel (ready when the parent has died, even before this call) and exits; a file being
    written stays a hidden partial file that the next run removes.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


_stop: Any = None  # in a worker: the pool's stop event (set by the parent on an exception)
_interrupted = False  # in a worker: a signal has interrupted one of its tasks
_ready = False  # in a worker: its initializer has run
_in_task = False  # in a worker: a task is running
_exit_after_task: int | None = None  # in a worker: a second signal came during a task


def _on_signal(signum: int, frame: object) -> None:
    """A worker's handler for Ctrl-C, SIGTERM and the like (sent to the whole group).

    The first signal in a task raises :class:`~malenhance.signals.Interrupted`, so the file
    being written is cleaned up as on Ctrl-C; a second one lets that cleanup finish, then
    ends the worker. Between tasks the worker has nothing to clean up and ends quietly
    (``SystemExit``; ``os._exit`` there would keep the lock of the task queue it waits
    under, and hang its siblings and the pool's shutdown); still loading its model, it ends
    at once. (``Interrupted`` between tasks came out as a traceback of the pool's machinery
    under the parent's "interrupted" line; a worker that ignored the pool's own SIGTERM
    after a first signal could hang the pool's shutdown.)
    """
    from malenhance.signals import Interrupted

    global _interrupted, _exit_after_task
    if not _in_task:
        if not _ready:  # an exception here would be logged as the initializer's failure
            os._exit(128 + signum)
        raise SystemExit(128 + signum)
    if _interrupted:
        _exit_after_task = signum
        return
    _interrupted = True
    raise Interrupted(signum)


def _start_worker(stop: Any, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    from malenhance.signals import STOP_SIGNALS, handle_signals

    global _stop, _ready
    _stop = stop
    exit_with_parent()
    handle_signals(STOP_SIGNALS, _on_signal)
    if hasattr(signal, "pthread_sigmask"):  # blocked by the parent while spawning us
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if initializer is not None:
        initializer(*initargs)
    _ready = True


def _call(fn: Callable[..., Any], item: Any, *args: Any) -> Any:
    """Run one task, unless the parent has stopped the pool or a signal has interrupted this
    worker; the parent never reads such a task's result."""
    global _in_task
    if _interrupted or (_stop is not None and _stop.is_set()):
        return None
    _in_task = True
    try:
        return fn(item, *args)
    finally:
        _in_task = False
        if _exit_after_task is not None:
            os._exit(128 + _exit_after_task)


@contextlib.contextmanager
def _spawning_deaf() -> Iterator[None]:
    """Block Ctrl-C and the termination signals in this thread while workers are spawned.

    A spawned worker starts with its parent's signal mask, so a signal stays pending in it
    until :func:`_start_worker` has set the worker's handlers and unblocks it: Ctrl-C right
    after a command started printed each starting worker's ``KeyboardInterrupt`` traceback
    from the middle of its imports. The parent takes the signal when the block ends.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    from malenhance.signals import STOP_SIGNALS

    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def pool_map(
    fn: Callable[..., Any],
    items: Iterable[Item],
    *,
    workers: int,
    args: tuple = (),
    initializer: Callable[..., None] | None = None,
    initargs: tuple = (),
) -> Iterator[tuple[Item, Any]]:
    """Yield ``(item, fn(item, *args))`` as worker processes finish them.

    The workers are spawned (not forked: torch and ONNX Runtime thread pools do not survive
    a fork), end with their parent (:func:`exit_with_parent`) and run ``initializer(*initargs)``
    first. ``fn``, ``initializer`` and the arguments must be picklable (module-level
    functions). An exception from a task, or the consumer leaving early (close the generator:
    ``contextlib.closing``), stops the tasks not yet started and waits for the running ones,
    which a signal to the whole process group (Ctrl-C, ``timeout``) interrupts too.
    """
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    items = list(items)  # outside the block below, which holds Ctrl-C back
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context,
        initializer=_start_worker, initargs=(stop, initializer, initargs),
    ) as pool:
        try:
            with _spawning_deaf():  # submit() spawns the workers
                futures = {pool.submit(_call, fn, item, *args): item for item in items}
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            # Tasks already handed to a worker cannot be cancelled: the event makes them
            # return at once. The shutdown must wait: without waiting it drops the pool's
            # hold on its manager thread, which then runs on at interpreter exit, where
            # CPython 3.11 races it and prints a traceback ("OSError: [Errno 9] Bad file
            # descriptor" in _python_exit).
            stop.set()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
