"""Worker processes (``enhance --jobs``, ``score --jobs``): one pool helper for both."""

from __future__ import annotations

import multiprocessing
import os
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


def _start_worker(stop: Any, initializer: Callable[..., None] | None, initargs: tuple) -> None:
    from malenhance.signals import interrupt_on_signals

    global _stop
    _stop = stop
    exit_with_parent()
    interrupt_on_signals()  # a file being written is cleaned up as on Ctrl-C
    if initializer is not None:
        initializer(*initargs)


def _call(fn: Callable[..., Any], item: Any, *args: Any) -> Any:
    """Run one task, unless the parent has stopped the pool or a signal has interrupted this
    worker (its signals are ignored from then on, so a task started now could not be
    stopped); the parent never reads such a task's result."""
    global _interrupted
    if _interrupted or (_stop is not None and _stop.is_set()):
        return None
    try:
        return fn(item, *args)
    except KeyboardInterrupt:
        _interrupted = True
        raise


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
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context,
        initializer=_start_worker, initargs=(stop, initializer, initargs),
    ) as pool:
        futures = {pool.submit(_call, fn, item, *args): item for item in items}
        try:
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
