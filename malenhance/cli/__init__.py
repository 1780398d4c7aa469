"""The ``malenhance`` command line: a thin layer over the library."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

from malenhance.cli import enhance, export, models, score, train  # noqa: F401  (registers)
from malenhance.cli.app import app
from malenhance.signals import exit_status, interrupt_on_signals, received_signal

TYPER_INTERRUPTED = 130  # Typer's exit status for any KeyboardInterrupt it catches


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if code == TYPER_INTERRUPTED and received_signal() is not None:
        # Typer turns a KeyboardInterrupt that no command caught (a signal during start-up
        # or model loading) into 130; SIGTERM and the like keep 128 + their number.
        return 128 + received_signal()
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
        status[0] = _exit_code(exit_.code)  # the process's status: leave_now exits with it
        raise
    except KeyboardInterrupt as interrupt:
        status[0] = exit_status(interrupt)
        raise
    except BaseException:
        status[0] = 1
        raise


__all__ = ["app", "main"]
