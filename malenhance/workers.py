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


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple) -> None:
    from malenhance.signals import interrupt_on_signals

    exit_with_parent()
    interrupt_on_signals()  # a file being written is cleaned up as on Ctrl-C
    if initializer is not None:
        initializer(*initargs)


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
    functions). An exception from a task, or the consumer leaving early, cancels the tasks
    not yet started.
    """
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(initializer, initargs),
    ) as pool:
        futures = {pool.submit(fn, item, *args): item for item in items}
        try:
            for future in as_completed(futures):
                yield futures[future], future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
