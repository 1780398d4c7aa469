"""Every exception (and warning) class of the library, in one place.

The CLI turns :class:`MalenhanceError` and its subclasses into one-line messages. Keeping
them here lets any module raise or catch any of them without importing another module's
machinery (which once made ``scoring.metrics`` and ``scoring.composite`` import each other).
"""

from __future__ import annotations


class MalenhanceError(Exception):
    """Base class for every error the library raises on purpose."""


class AudioError(MalenhanceError):
    """An input file cannot be read or an output cannot be written."""


class ModelError(MalenhanceError):
    """A model spec cannot be resolved, downloaded or loaded."""


class DataError(MalenhanceError):
    """A training or scoring data folder is unusable."""


class DeviceError(MalenhanceError):
    """A ``--device`` request names a device this machine does not have."""


class MetricError(MalenhanceError):
    """A metric cannot be computed for this input; the message says why."""


class TrainingError(MalenhanceError):
    """Training cannot start or cannot go on (bad options, diverged, mismatched resume)."""


class ExportError(MalenhanceError):
    """An ONNX export cannot be made, written or verified."""


class BatchError(MalenhanceError):
    """The model failed on a batch of a corpus run (e.g. the GPU ran out of memory): the
    run stops, since every later batch would fail the same way."""


class RankError(MalenhanceError):
    """A run over several processes (``torchrun``) cannot start or cannot finish: a bad
    launcher environment, or another process stopped reporting."""


class BatchAborted(KeyboardInterrupt):
    """A corpus run is stopping (Ctrl-C, a signal, a failed batch): every file in flight ends
    at once and cleans up its partial output, as on Ctrl-C."""


class OutputClipped(Exception):  # noqa: N818  (a signal, not an error: never reaches users)
    """Raised inside an enhancement pass whose integer output would clip; the caller redoes
    the pass with a gain (``peak``: the largest absolute sample seen)."""

    def __init__(self, peak: float) -> None:
        super().__init__(peak)
        self.peak = peak


class DataWarning(UserWarning):
    """Files were skipped (unreadable or unpaired); training goes on without them."""
