"""Several models run on the same input, their outputs averaged: an ensemble folder.

A model folder holding ``ensemble.json``, ``{"members": ["default", "real-noise"]}``, runs
every member on the same frames and outputs their mean. Each member is a model spec: a folder
next to ``ensemble.json`` (a relative path), a bundled name or a Hub repo. The members must
share sample rate and framing; then the mean of their overlap-added frames equals the mean
of their whole outputs, and the pipeline around them (resampling, upper band, mixing, stereo
link) is the one a single model gets. Two models of different training draws err
differently: the bundled ``ensemble`` scores above both of its members on real recordings
(experiments/2026-12-07-round111-cpu), at the cost of running both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from malenhance.errors import ModelError

if TYPE_CHECKING:  # numpy stays unimported for `malenhance models` and --help
    import numpy as np

    from malenhance.frames import Engine, FrameCore

ENSEMBLE_NAME = "ensemble.json"


def ensemble_members(directory: Path) -> list[str] | None:
    """The member specs of the ensemble folder ``directory`` (``None``: not an ensemble),
    relative folders resolved against it. Raises :class:`ModelError` for a bad file."""
    path = directory / ENSEMBLE_NAME
    if not path.is_file():
        return None
    try:
        members = json.loads(path.read_text(encoding="utf-8")).get("members")
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as err:
        raise ModelError(f"{path}: not a JSON object with \"members\" ({err})") from None
    if not (isinstance(members, list) and len(members) >= 2
            and all(isinstance(m, str) and m for m in members)):
        raise ModelError(f"{path}: \"members\" must list at least two model specs")
    return [str(directory / m) if (directory / m).is_dir() else m for m in members]


def is_ensemble(spec: str) -> bool:
    """Whether model ``spec`` names an ensemble folder (``False`` too where it names nothing
    loadable: loading it then says why)."""
    from malenhance.errors import MalenhanceError
    from malenhance.hub import resolve_model_dir

    try:
        return (resolve_model_dir(spec) / ENSEMBLE_NAME).is_file()
    except MalenhanceError:
        return False


class EnsembleCore:
    """:class:`~malenhance.frames.FrameCore` of an ensemble: every member's core, averaged."""

    def __init__(self, cores: list[FrameCore]) -> None:
        self.cores = cores

    def reset(self, batch: int) -> None:
        for core in self.cores:
            core.reset(batch)

    def __call__(self, span: np.ndarray) -> np.ndarray:
        total = self.cores[0](span).copy()  # float32, as every core returns
        for core in self.cores[1:]:
            total += core(span)
        total /= len(self.cores)
        return total


class EnsembleEngine:
    """An :class:`~malenhance.frames.Engine` that runs its members' engines side by side."""

    name = "ensemble"

    def __init__(self, members: list[Engine], names: list[str] | None = None) -> None:
        first = members[0]
        for i, engine in enumerate(members[1:], 1):
            if (engine.sample_rate, engine.hop, engine.n_fft) != (first.sample_rate, first.hop,
                                                                  first.n_fft):
                which = names[i] if names else f"member {i}"
                raise ModelError(
                    f"{which}: {engine.sample_rate} Hz, hop {engine.hop}, n_fft {engine.n_fft};"
                    f" the ensemble's first member has {first.sample_rate} Hz, hop {first.hop},"
                    f" n_fft {first.n_fft}: members must share rate and framing"
                )
        self.members = members
        self.sample_rate = first.sample_rate
        self.hop = first.hop
        self.n_fft = first.n_fft

    def frame_core(self) -> EnsembleCore:
        return EnsembleCore([engine.frame_core() for engine in self.members])
