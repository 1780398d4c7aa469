"""Training (``malenhance train``): a conventional stage, then Model as Loss.

- :mod:`~malenhance.training.trainer`: :func:`train` and the :class:`Trainer` loop;
- :mod:`~malenhance.training.config`: :class:`TrainConfig`, every option, declared once;
- :mod:`~malenhance.training.mal`: **Model as Loss**, the stage-2 term (:class:`MALLoss`);
- :mod:`~malenhance.training.losses`: the conventional losses (STFT, SI-SDR, stage 1);
- :mod:`~malenhance.training.data`, ``sources``, ``datasets``, ``sampler``: training data;
- :mod:`~malenhance.training.validation`, ``checkpoint``, ``distributed``, ``optim``,
  ``log``, ``curves``, ``card``: what the loop needs around it.

Names resolve lazily: the CLI reads :mod:`~malenhance.training.config` without torch.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "TrainConfig": "malenhance.training.config",
    "DataConfig": "malenhance.training.config",
    "MalConfig": "malenhance.training.config",
    "LossConfig": "malenhance.training.config",
    "OptimConfig": "malenhance.training.config",
    "MalVariant": "malenhance.training.config",
    "MalLayers": "malenhance.training.config",
    "MALLoss": "malenhance.training.mal",
    "Trainer": "malenhance.training.trainer",
    "TrainEvent": "malenhance.training.trainer",
    "TrainResult": "malenhance.training.trainer",
    "train": "malenhance.training.trainer",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'malenhance.training' has no attribute {name!r}")
