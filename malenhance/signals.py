"""Termination signals handled like Ctrl-C, so that partial outputs are cleaned up.

Without a handler, SIGTERM (``timeout``, ``kill``, a service manager) or SIGHUP (a closed
terminal or SSH session) ends the process at once and leaves the hidden ``.part`` file
being written. :func:`interrupt_on_signals` turns them into :class:`Interrupted`, a
:class:`KeyboardInterrupt`, so that every ``with`` block and ``except KeyboardInterrupt``
that cleans up after Ctrl-C does the same for them.
"""

from __future__ import annotations

import contextlib
import signal

#: The signals whose default action ends the process and that a program may catch.
SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGXCPU")
    if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """A termination signal arrived; ``exit_status`` is the shell's 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """130 for Ctrl-C, 128 + the signal's number for the others."""
    return getattr(interrupt, "exit_status", 128 + signal.SIGINT)


def _raise(signum: int, frame: object) -> None:
    for other in SIGNALS:  # clean up once: a second signal must not cut the cleanup short
        with contextlib.suppress(ValueError, OSError):
            signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


def interrupt_on_signals() -> None:
    """Raise :class:`Interrupted` in the main thread on SIGTERM, SIGHUP and the like.

    Signals that were ignored when the process started (``nohup`` ignores SIGHUP) stay
    ignored. Call it from the main thread of a command-line process, not from a library.
    """
    for signum in SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, _raise)
