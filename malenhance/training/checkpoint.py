"""Training checkpoints: atomic writes and the random-number-generator state.

A checkpoint is written to ``path.tmp`` and renamed over ``path``, so a crash (even
``kill -9``) leaves either the old or the new file, never half of one.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

from malenhance.errors import TrainingError
from malenhance.signals import deferred_interrupts

CHECKPOINT_FORMAT = 1
# A resumed run must agree with the checkpoint on everything that shapes the step stream
# (flat option names, as checkpoints store the configuration).
RESUME_MUST_MATCH = ("seed", "batch_size", "segment_seconds", "stage1_steps", "mal_variant",
                     "mal_layers", "mal_weight", "mal_chunk_seconds", "residual_weight",
                     "speech_distortion_weight", "extra_noise_prob", "noise_balance", "data",
                     "oversuppression_weight", "clean_prob", "loss_network",
                     "loss_network_weight", "loss_network_max_snr", "level_steps_prob",
                     "pause_prob", "pause_fill", "pause_fade_ms", "ema_decay")
# Options added after checkpoints were first written: their value when a checkpoint lacks them.
RESUME_DEFAULTS = {"residual_weight": 0.0, "speech_distortion_weight": 0.0,
                   "extra_noise_prob": 0.0, "noise_balance": False,
                   "oversuppression_weight": 0.0, "clean_prob": 0.0,
                   "loss_network": "none", "loss_network_weight": 1.0,
                   "loss_network_max_snr": None, "level_steps_prob": 0.0,
                   "pause_prob": 0.0, "pause_fill": "silence",
                   "pause_fade_ms": 20.0, "ema_decay": 0.0}


def save_atomic(obj: Any, path: Path) -> None:
    """``torch.save`` to a temporary file, flush it to disk, then rename it into place.

    Ctrl-C or SIGTERM during the write takes effect once the file is in place.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with deferred_interrupts():
        with open(tmp, "wb") as handle:
            torch.save(obj, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)


def load(path: Path, map_location: str | torch.device = "cpu") -> dict:
    """Read a checkpoint written by :func:`save_atomic` (tensors and plain data only)."""
    return torch.load(Path(path), map_location=map_location, weights_only=True)


def rng_state() -> dict:
    """The state of every generator training may draw from (Python, NumPy, torch, CUDA)."""
    np_state = np.random.get_state()
    py_version, py_internal, py_gauss = random.getstate()
    return {
        "python": {"version": py_version, "internal": list(py_internal), "gauss": py_gauss},
        "numpy": {"keys": torch.from_numpy(np_state[1].astype(np.int64)), "pos": np_state[2],
                  "has_gauss": np_state[3], "gauss": np_state[4]},
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }


def set_rng_state(state: dict) -> None:
    """Restore what :func:`rng_state` captured."""
    python = state["python"]
    random.setstate((python["version"], tuple(python["internal"]), python["gauss"]))
    np_state = state["numpy"]
    np.random.set_state(("MT19937", np_state["keys"].numpy().astype(np.uint32), np_state["pos"],
                         np_state["has_gauss"], np_state["gauss"]))
    torch.set_rng_state(state["torch"])
    if state["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def check_resume(saved: dict[str, Any], current: dict[str, Any]) -> None:
    """Raise :class:`TrainingError` if a checkpoint's configuration (flat, as saved) and the
    current one differ on an option that shapes the step stream."""
    changed = [k for k in RESUME_MUST_MATCH
               if saved.get(k, RESUME_DEFAULTS.get(k)) != current.get(k)]
    if changed:
        raise TrainingError("cannot resume: these options differ from the checkpoint's: "
                            + ", ".join(f"{k} ({saved.get(k)} -> {current.get(k)})"
                                        for k in changed))
