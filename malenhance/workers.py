"""Helpers for worker processes (``enhance --jobs``, ``score --jobs``)."""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(interval: float = 0.5) -> None:
    """End this worker process soon after its parent dies.

    A pool's workers outlive a parent killed with ``kill -9``: they wait for work that never
    comes, each holding a model in memory, forever. A daemon thread notices the new parent
    (the orphan is re-parented) and exits; the file being written stays a hidden partial
    file that the next run removes.
    """
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
