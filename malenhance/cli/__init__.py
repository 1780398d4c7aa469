"""The ``malenhance`` command line: a thin layer over the library."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

from malenhance.cli import enhance, export, models, score, train  # noqa: F401  (registers)
from malenhance.cli.app import app
from malenhance.signals import exit_status, interrupt_on_signals


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def main() -> None:
    """Run the CLI, then leave without the interpreter's module teardown.

    Once torch is imported, tearing the interpreter down (module clearing, C++ static
    destructors) raises the process's peak memory by ~130 MB and takes time, after every
    output is already written and closed. The hook below is registered before any other
    exit handler, so it runs after all of them (temporary-file cleanup, worker pools) and
    only the teardown is skipped.
    """
    status = [0]

    def leave_now() -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status[0])

    atexit.register(leave_now)
    interrupt_on_signals()  # SIGTERM, SIGHUP, ... clean up like Ctrl-C
    try:
        app()
    except SystemExit as exit_:
        status[0] = _exit_code(exit_.code)
        raise
    except KeyboardInterrupt as interrupt:
        status[0] = exit_status(interrupt)
        raise
    except BaseException:
        status[0] = 1
        raise


__all__ = ["app", "main"]
