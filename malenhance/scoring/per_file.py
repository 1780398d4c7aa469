"""Scoring one item: its reference and noisy files and every system's file for it.

Problems with single files never raise: they end up in the rows (``error`` and ``notes``
columns). :func:`score_task` runs in the worker processes of a parallel run.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from malenhance.audio import read_audio, to_mono
from malenhance.errors import MalenhanceError
from malenhance.scoring.metrics import Scores, align, dnsmos_scores, intrusive_scores, si_sdr
from malenhance.scoring.pairing import NOISY_SYSTEM
from malenhance.scoring.rows import Row, empty_row


@dataclass(frozen=True)
class ScoreOptions:
    """What to compute for each file (picklable: travels to the worker processes)."""

    metrics: tuple[str, ...]
    dnsmos: bool = False
    consistency_model: str | None = None
    device: str = "cpu"
    plots_dir: Path | None = None
    onnx_threads: int | None = None


@dataclass(frozen=True)
class FileTask:
    """One item: its reference and noisy files and the systems still to score for it."""

    key: str
    reference: Path | None
    noisy: Path | None
    systems: tuple[tuple[str, Path], ...]
    noisy_values: dict[str, float] | None = None  # from a resumed run


_models: dict[tuple[str, str], Any] = {}


def cached_model(spec: str, device: str) -> Any:
    """The consistency model: each process loads it once."""
    if (spec, device) not in _models:
        from malenhance.hub import load_model

        _models[spec, device] = load_model(spec, device=device)
    return _models[spec, device]


def _measure(
    audio: np.ndarray, rate: int, reference: tuple[np.ndarray, int] | None, options: ScoreOptions
) -> Scores:
    """Reference metrics (if a reference is given) and DNSMOS (if asked) for one signal."""
    scores = Scores()
    if reference is not None:
        ref_mono, est_mono, common_rate, notes = align(reference[0], reference[1], audio, rate)
        scores.notes.extend(notes)
        scores.update(intrusive_scores(ref_mono, est_mono, common_rate))
    if options.dnsmos:
        scores.update(dnsmos_scores(audio, rate, threads=options.onnx_threads))
    return scores


def _fill(row: Row, scores: Scores, prefix: str = "", note_prefix: str = "") -> None:
    for name, value in scores.values.items():
        if prefix + name in row:
            row[prefix + name] = value
    _add_notes(row, (note_prefix + note for note in scores.notes))


def _add_notes(row: Row, notes: Iterable[str]) -> None:
    joined = "; ".join([row["notes"], *notes]) if row["notes"] else "; ".join(notes)
    row["notes"] = joined


def _consistency(
    row: Row, audio: np.ndarray, rate: int, reference: tuple[np.ndarray, int] | None,
    options: ScoreOptions,
) -> np.ndarray:
    """Enhance the (already enhanced) file once more and score how far it moved."""
    from malenhance.enhance import enhance_array

    assert options.consistency_model is not None
    second = enhance_array(cached_model(options.consistency_model, options.device), audio, rate)
    row["consistency_si_sdr"] = si_sdr(to_mono(second), to_mono(audio))
    _fill(row, _measure(second, rate, reference, options), "pass2_", "pass 2: ")
    return second


def _score_file(
    system: str, key: str, path: Path, reference: tuple[np.ndarray, int] | None,
    noisy: tuple[np.ndarray, int] | None, noisy_values: dict[str, float] | None,
    options: ScoreOptions, loaded: tuple[np.ndarray, int] | None = None,
) -> Row:
    """One row: the file's metrics, improvements, second pass and plot, as asked."""
    row = empty_row(system, key, path, options.metrics)
    audio, rate = loaded if loaded is not None else read_audio(path)
    row.update(duration_s=len(audio) / rate, sample_rate=rate)
    scores = _measure(audio, rate, reference, options)
    _fill(row, scores)
    if noisy_values is not None:
        for name, value in scores.values.items():
            if f"{name}_improvement" in row:
                row[f"{name}_improvement"] = value - noisy_values.get(name, math.nan)
    second = None
    if options.consistency_model:
        second = _consistency(row, audio, rate, reference, options)
    if options.plots_dir is not None:
        from malenhance.scoring.plots import save_spectrograms

        panels = [("noisy", noisy), ("enhanced", (audio, rate)),
                  ("enhanced twice", None if second is None else (second, rate)),
                  ("clean", reference)]
        destination = options.plots_dir / "files" / _safe_name(system) / f"{key}.png"
        save_spectrograms(destination, [(t, p[0], p[1]) for t, p in panels if p is not None],
                          title=f"{system}: {key}")
    return row


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip("_") or "system"


def _read_optional(path: Path | None) -> tuple[tuple[np.ndarray, int] | None, str]:
    """``((audio, rate), "")`` or ``(None, reason)``; ``(None, "")`` without a path."""
    if path is None:
        return None, ""
    try:
        return read_audio(path), ""
    except MalenhanceError as err:
        return None, str(err)


def score_task(task: FileTask, options: ScoreOptions) -> list[Row]:
    """Score one item for every system in ``task``; never raises for a bad file.

    Returns:
        The rows: the noisy input's (when computed here) and one per system. A file that
        cannot be read or scored gets a row whose ``error`` says why.
    """
    rows: list[Row] = []
    reference, reference_error = _read_optional(task.reference)
    blocked = f"reference: {reference_error}" if reference_error else ""
    noisy, noisy_error = _read_optional(task.noisy)
    noisy_values = task.noisy_values
    if task.noisy is not None and noisy_values is None:
        noisy_row = _guarded(
            lambda: _score_file(NOISY_SYSTEM, task.key, task.noisy, reference, None, None,
                                _without_extras(options), loaded=noisy),
            NOISY_SYSTEM, task.key, task.noisy, options, blocked or noisy_error,
        )
        rows.append(noisy_row)
        noisy_values = None if noisy_row["error"] else noisy_row
    for system, path in task.systems:
        rows.append(_guarded(
            lambda s=system, p=path: _score_file(
                s, task.key, p, reference, noisy, noisy_values, options),
            system, task.key, path, options, blocked,
        ))
    return rows


def _without_extras(options: ScoreOptions) -> ScoreOptions:
    """The noisy input gets the plain metrics: no second pass, no plot of its own."""
    return ScoreOptions(options.metrics, options.dnsmos, None, options.device, None,
                        options.onnx_threads)


def _guarded(
    compute: Callable[[], Row], system: str, key: str, path: Path, options: ScoreOptions,
    blocked: str,
) -> Row:
    """``compute()``, or an error row saying why (``blocked``: an input already failed)."""
    if blocked:
        row = empty_row(system, key, path, options.metrics)
        row["error"] = blocked
        return row
    try:
        return compute()
    except MalenhanceError as err:
        row = empty_row(system, key, path, options.metrics)
        row["error"] = str(err)
    except Exception as err:  # noqa: BLE001  (one bad file must not stop a batch)
        row = empty_row(system, key, path, options.metrics)
        row["error"] = f"unexpected {type(err).__name__}: {err}"
    return row
