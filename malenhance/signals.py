"""Termination signals handled like Ctrl-C, so that partial outputs are cleaned up.

Without a handler, SIGTERM (``timeout``, ``kill``, a service manager) or SIGHUP (a closed
terminal or SSH session) ends the process at once and leaves the hidden ``.part`` file
being written. :func:`interrupt_on_signals` turns them into :class:`Interrupted`, a
:class:`KeyboardInterrupt`, so that every ``with`` block and ``except KeyboardInterrupt``
that cleans up after Ctrl-C does the same for them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator

#: The signals whose default action ends the process and that a program may catch.
SIGNALS = tuple(
    getattr(signal, name)
    for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGXCPU")
    if hasattr(signal, name)
)
#: The signals that stop a run: Ctrl-C and the termination signals above.
STOP_SIGNALS = (signal.SIGINT, *SIGNALS)


class Interrupted(KeyboardInterrupt):
    """A termination signal arrived; ``exit_status`` is the shell's 128 + its number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    def __reduce__(self) -> tuple[type[Interrupted], tuple[int]]:
        # A worker's interrupted task sends it to the parent; the default would rebuild it
        # from the signal's name and fail.
        return (type(self), (self.signum,))

    @property
    def exit_status(self) -> int:
        return 128 + self.signum


def exit_status(interrupt: KeyboardInterrupt) -> int:
    """130 for Ctrl-C, 128 + the signal's number for the others."""
    return getattr(interrupt, "exit_status", 128 + signal.SIGINT)


_received: int | None = None  # the signal that interrupted this process, if one has


def received_signal() -> int | None:
    """The number of the termination signal that interrupted this process, or None."""
    return _received


def _raise(signum: int, frame: object) -> None:
    global _received
    _received = signum
    for other in SIGNALS:  # clean up once: a second signal must not cut the cleanup short
        with contextlib.suppress(ValueError, OSError):
            signal.signal(other, signal.SIG_IGN)
    raise Interrupted(signum)


def _send_again(signum: int) -> None:
    """Deliver ``signum`` to this process once more, from another thread, with its
    interrupting handler back in place."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signum, _raise)
    # A moment later: by then the main thread has left the callback (and this hook).
    timer = threading.Timer(0.01, os.kill, args=(os.getpid(), signum))
    timer.daemon = True
    timer.start()


def _interrupts_not_swallowed(default: object) -> object:
    """A ``sys.unraisablehook`` that sends an interrupt swallowed by a callback again.

    A handler that raises runs wherever the main thread happens to be, and an exception
    raised inside a callback that cannot pass it on (a weak reference's, as the import
    system uses, or a ``__del__``) is printed as "Exception ignored in ..." and dropped: the
    run printed a traceback and went on to the end, exit status 0. Sent again from another
    thread, the signal lands a moment later in ordinary code.
    """

    def hook(unraisable: object) -> None:
        value = getattr(unraisable, "exc_value", None)
        if isinstance(value, Interrupted):
            _send_again(value.signum)
            return
        default(unraisable)  # type: ignore[operator]

    return hook


def handle_signals(signums: tuple[int, ...], handler: Callable[[int, object], None]) -> None:
    """Set ``handler`` for these signals, except those ignored since the process started
    (``nohup`` ignores SIGHUP); main thread only."""
    for signum in signums:
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, handler)


def interrupt_on_signals() -> None:
    """Raise :class:`Interrupted` in the main thread on SIGTERM, SIGHUP and the like.

    Signals that were ignored when the process started (``nohup`` ignores SIGHUP) stay
    ignored. Call it from the main thread of a command-line process, not from a library.
    """
    handle_signals(SIGNALS, _raise)
    if not getattr(sys.unraisablehook, "_malenhance", False):
        sys.unraisablehook = _interrupts_not_swallowed(sys.unraisablehook)
        sys.unraisablehook._malenhance = True  # type: ignore[attr-defined]


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold Ctrl-C and the termination signals back until the block has finished.

    For writes that must finish whole: a signal that landed inside ``torch.save`` broke its
    zip writer, and the run ended in a traceback (``RuntimeError: ... unexpected pos``)
    instead of the interrupt's clean stop. A signal that arrives in the block is raised again
    when it ends, so its handler (or its default action) still runs, a moment later. Outside
    the main thread, where Python cannot set handlers, the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = {}
    for signum in STOP_SIGNALS:
        handler = signal.getsignal(signum)
        if handler in (signal.SIG_IGN, None):
            continue
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, lambda number, frame: caught.append(number))
            held[signum] = handler
    try:
        yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])
