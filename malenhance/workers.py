"""Helpers for worker processes (``enhance --jobs``, ``score --jobs``)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import wait


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
