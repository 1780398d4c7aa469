"""Score folders of enhanced speech: pairing, per-file metrics, summaries and comparisons.

The library side of ``malenhance score``. Files of each system (a folder of enhanced
outputs, or one file) are paired with the clean reference and the noisy input by their
path relative to the folder, without the extension (``a/b.wav`` pairs with ``a/b.flac``).
Each pair gets the metrics of :mod:`malenhance.metrics`; rows are written as they come
(CSV or JSONL), so an interrupted run can resume. The summary gives per system and
metric the mean, standard deviation, 95 % confidence interval and count, and for several
systems the paired differences to the first one.

Nothing here prints: progress goes through a callback and problems with single files end
up in the rows (``error`` and ``notes`` columns).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from malenhance.audio import AUDIO_EXTENSIONS, read_audio
from malenhance.errors import DataError, MalenhanceError
from malenhance.metrics import (
    DNSMOS_METRICS,
    INTRUSIVE_METRICS,
    Scores,
    align,
    dnsmos_scores,
    intrusive_scores,
    metric_versions,
    si_sdr,
    to_mono,
)

NOISY_SYSTEM = "noisy-input"
ID_COLUMNS = ("system", "file", "path", "duration_s", "sample_rate")
TEXT_COLUMNS = ("system", "file", "path", "notes", "error")
OUTPUT_SUFFIXES = (".csv", ".jsonl")
CONFIDENCE = 0.95

Progress = Callable[[int, int, str], None]
Row = dict[str, Any]


# --------------------------------------------------------------------------- pairing


@dataclass(frozen=True)
class System:
    """One set of files to score: a folder of enhanced outputs, or a single file."""

    name: str
    root: Path
    files: dict[str, Path]  # pairing key -> file


@dataclass
class Pairing:
    """What will be scored against what, and the files that have no counterpart."""

    systems: list[System]
    reference: dict[str, Path] | None
    noisy: dict[str, Path] | None
    keys: list[str]
    unpaired: dict[str, list[str]] = field(default_factory=dict)


def pairing_key(path: Path, root: Path) -> str:
    """Relative POSIX path without the extension: ``root/a/b.wav`` -> ``a/b``."""
    return path.relative_to(root).with_suffix("").as_posix()


def audio_files(root: Path) -> dict[str, Path]:
    """Audio files under ``root`` (recursive) by pairing key; ``root`` may be one file.

    Raises:
        DataError: ``root`` does not exist, holds no audio file, or two files share a key.
    """
    if not root.exists():
        raise DataError(f"{root}: no such file or folder")
    if root.is_file():
        return {root.stem: root}
    files: dict[str, Path] = {}
    for path in sorted(root.rglob("*")):
        if not (path.is_file() and path.suffix.lower() in AUDIO_EXTENSIONS):
            continue
        if path.name.startswith("."):
            continue  # hidden and partial files (enhance writes ".name.part" first)
        key = pairing_key(path, root)
        if key in files:
            raise DataError(
                f"{files[key]} and {path} would both pair as '{key}': keep one of them"
            )
        files[key] = path
    if not files:
        extensions = ", ".join(sorted(AUDIO_EXTENSIONS))
        raise DataError(f"{root}: folder holds no audio files ({extensions})")
    return files


def system_names(roots: Sequence[Path]) -> list[str]:
    """Short unique display names: the folder names, or longer paths where they clash."""
    names = [root.name or str(root) for root in roots]
    if len(set(names)) == len(names) and NOISY_SYSTEM not in names:
        return names
    return [str(root) for root in roots]


def _single_file_pair(system: Path, other: Path | None) -> dict[str, Path] | None:
    """A file given for a file: pair them whatever their names."""
    if other is None:
        return None
    if other.is_dir():
        return audio_files(other)
    audio_files(other)  # checks that it exists
    return {system.stem: other}


def pair_files(
    systems: Sequence[Path], reference: Path | None = None, noisy: Path | None = None
) -> Pairing:
    """Pair every system's files with the reference and noisy files.

    Args:
        systems: folders (or single files) of enhanced audio, one per system.
        reference: folder (or file) of clean references, or None for non-intrusive scoring.
        noisy: folder (or file) of the unprocessed inputs, or None.

    Returns:
        The pairing; ``keys`` are the items to score: those of the reference when given,
        else those of any system.

    Raises:
        DataError: a path is missing or empty, or no system file has a reference.
    """
    if not systems:
        raise DataError("no enhanced folder given")
    single = len(systems) == 1 and systems[0].is_file()
    found = [audio_files(root) for root in systems]
    if single:
        ref_files = _single_file_pair(systems[0], reference)
        noisy_files = _single_file_pair(systems[0], noisy)
    else:
        ref_files = audio_files(reference) if reference is not None else None
        noisy_files = audio_files(noisy) if noisy is not None else None
    listed = [System(name, root, files)
              for name, root, files in zip(system_names(systems), systems, found, strict=True)]
    everything = set().union(*(s.files for s in listed))
    keys = sorted(everything & set(ref_files)) if ref_files is not None else sorted(everything)
    if not keys:
        raise DataError(
            f"no enhanced file has a reference in {reference} (files pair by their path "
            "relative to each folder, without the extension)"
        )
    return Pairing(listed, ref_files, noisy_files, keys, _unpaired(listed, ref_files, noisy_files))


def _unpaired(
    systems: list[System], reference: dict[str, Path] | None, noisy: dict[str, Path] | None
) -> dict[str, list[str]]:
    unpaired: dict[str, list[str]] = {}
    for system in systems:
        if reference is not None:
            extra = sorted(set(system.files) - set(reference))
            if extra:
                unpaired[f"{system.name}: no reference"] = extra
            missing = sorted(set(reference) - set(system.files))
            if missing:
                unpaired[f"{system.name}: reference without output"] = missing
        if noisy is not None:
            no_input = sorted(set(system.files) - set(noisy))
            if no_input:
                unpaired[f"{system.name}: no noisy input"] = no_input
    return unpaired


# --------------------------------------------------------------------------- columns


def metric_columns(
    *, reference: bool, dnsmos: bool, noisy: bool, consistency: bool
) -> list[str]:
    """The numeric columns of a run with these options, in output order."""
    base = [*(INTRUSIVE_METRICS if reference else ()), *(DNSMOS_METRICS if dnsmos else ())]
    columns = list(base)
    if noisy:
        columns += [f"{name}_improvement" for name in base]
    if consistency:
        columns += ["consistency_si_sdr", *(f"pass2_{name}" for name in base)]
    return columns


def output_columns(metrics: Sequence[str]) -> list[str]:
    """All columns of the per-file output: identification, metrics, notes and error."""
    return [*ID_COLUMNS, *metrics, "notes", "error"]


# --------------------------------------------------------------------------- per file


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


def _model(spec: str, device: str) -> Any:
    """Each process loads the consistency model once."""
    if (spec, device) not in _models:
        from malenhance.hub import load_model

        _models[spec, device] = load_model(spec, device=device)
    return _models[spec, device]


def _empty_row(system: str, key: str, path: Path | None, metrics: Sequence[str]) -> Row:
    row: Row = {"system": system, "file": key, "path": str(path) if path else "",
                "duration_s": math.nan, "sample_rate": math.nan}
    row.update(dict.fromkeys(metrics, math.nan))
    row.update(notes="", error="")
    return row


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
    second = enhance_array(_model(options.consistency_model, options.device), audio, rate)
    row["consistency_si_sdr"] = si_sdr(to_mono(audio), to_mono(second))
    _fill(row, _measure(second, rate, reference, options), "pass2_", "pass 2: ")
    return second


def _score_file(
    system: str, key: str, path: Path, reference: tuple[np.ndarray, int] | None,
    noisy: tuple[np.ndarray, int] | None, noisy_values: dict[str, float] | None,
    options: ScoreOptions, loaded: tuple[np.ndarray, int] | None = None,
) -> Row:
    """One row: the file's metrics, improvements, second pass and plot, as asked."""
    row = _empty_row(system, key, path, options.metrics)
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
        from malenhance.score_plots import save_spectrograms

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
        row = _empty_row(system, key, path, options.metrics)
        row["error"] = blocked
        return row
    try:
        return compute()
    except MalenhanceError as err:
        row = _empty_row(system, key, path, options.metrics)
        row["error"] = str(err)
    except Exception as err:  # noqa: BLE001  (one bad file must not stop a batch)
        row = _empty_row(system, key, path, options.metrics)
        row["error"] = f"unexpected {type(err).__name__}: {err}"
    return row


# --------------------------------------------------------------------------- output files


def _check_output_path(path: Path) -> None:
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise DataError(f"{path}: per-file output must end in .csv or .jsonl")


def _encode(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else value
    if isinstance(value, np.generic):
        return _encode(value.item())
    return value


class RowWriter:
    """Append rows to a CSV or JSONL file, flushing each row so a crash loses nothing."""

    def __init__(self, path: Path, columns: Sequence[str], *, append: bool = False) -> None:
        _check_output_path(path)
        self.path, self.columns = path, list(columns)
        self.jsonl = path.suffix.lower() == ".jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not (append and path.exists() and path.stat().st_size > 0)
        self._handle = open(path, "w" if not append else "a", newline="", encoding="utf-8")
        self._csv = None
        if not self.jsonl:
            self._csv = csv.DictWriter(self._handle, self.columns, extrasaction="ignore")
            if fresh:
                self._csv.writeheader()

    def write(self, row: Row) -> None:
        if self._csv is not None:
            self._csv.writerow({c: _csv_cell(row.get(c)) for c in self.columns})
        else:
            record = {c: _encode(row.get(c)) for c in self.columns}
            self._handle.write(json.dumps(record, allow_nan=True) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _csv_cell(value: Any) -> Any:
    value = _encode(value)
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else value


def read_rows(path: Path, columns: Sequence[str]) -> list[Row]:
    """Rows of an earlier per-file output, numbers parsed, NaN for empty cells.

    Raises:
        DataError: the file is unreadable or was written with other columns.
    """
    _check_output_path(path)
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            text = handle.read()
        # A run killed in the middle of a row leaves a line without its newline: drop it
        # (its file is scored again). Nothing complete, not even the header: nothing to keep.
        text = text[: text.rfind("\n") + 1]
        if not text.strip():
            return []
        if path.suffix.lower() == ".csv":
            reader = csv.DictReader(io.StringIO(text, newline=""))
            found = reader.fieldnames or []
            # A cut inside a quoted multi-line cell leaves a row with cells missing.
            raw = [r for r in reader if None not in r and None not in r.values()]
        else:
            raw = [json.loads(line) for line in text.splitlines() if line.strip()]
            found = list(raw[0]) if raw else list(columns)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as err:
        raise DataError(f"{path}: cannot read the earlier output to resume ({err})") from None
    if list(found) != list(columns):
        missing = sorted(set(columns) - set(found))
        extra = sorted(set(found) - set(columns))
        raise DataError(
            f"{path}: written with other options (columns missing: {missing or 'none'}, "
            f"extra: {extra or 'none'}); resume with the same options or use a new file"
        )
    return [_parse_row(record, columns) for record in raw]


def _parse_row(record: dict[str, Any], columns: Sequence[str]) -> Row:
    row: Row = {}
    for column in columns:
        value = record.get(column)
        if column in TEXT_COLUMNS:
            row[column] = "" if value is None else str(value)
        elif value is None or value == "":
            row[column] = math.nan
        elif column == "sample_rate":
            row[column] = int(float(value))  # an int when first written: keep it one
        else:
            row[column] = float(value)
    return row


def _rewrite(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
    """Replace ``path`` atomically with ``rows`` (drops the failed rows before a resume)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        with RowWriter(tmp, columns) as writer:
            for row in rows:
                writer.write(row)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- statistics


def describe(values: Iterable[float]) -> dict[str, float]:
    """Mean, sample standard deviation, 95 % CI half-width (Student t) and count.

    Non-finite values are left out; ``std`` and ``ci95`` are NaN below two values.
    """
    from scipy.stats import t

    data = np.array([v for v in values if math.isfinite(v)], dtype=np.float64)
    count = len(data)
    if count == 0:
        return {"mean": math.nan, "std": math.nan, "ci95": math.nan, "count": 0}
    mean = float(data.mean())
    if count < 2:
        return {"mean": mean, "std": math.nan, "ci95": math.nan, "count": 1}
    std = float(data.std(ddof=1))
    half_width = float(t.ppf((1 + CONFIDENCE) / 2, count - 1) * std / math.sqrt(count))
    return {"mean": mean, "std": std, "ci95": half_width, "count": count}


def summarize(rows: Sequence[Row], systems: Sequence[str], metrics: Sequence[str]) -> dict:
    """``{system: {metric: describe(...)}}`` over the rows without an error."""
    return {
        system: {
            metric: describe(r[metric] for r in rows if r["system"] == system and not r["error"])
            for metric in metrics
        }
        for system in systems
    }


def compare(
    rows: Sequence[Row], baseline: str, others: Sequence[str], metrics: Sequence[str]
) -> dict:
    """Paired differences ``other - baseline`` per metric over the files both scored.

    Returns:
        ``{"B - A": {metric: describe(differences)}}``.
    """
    by_system: dict[str, dict[str, Row]] = {}
    for row in rows:
        if not row["error"]:
            by_system.setdefault(row["system"], {})[row["file"]] = row
    base = by_system.get(baseline, {})
    result = {}
    for other in others:
        theirs = by_system.get(other, {})
        common = sorted(set(base) & set(theirs))
        result[f"{other} - {baseline}"] = {
            metric: describe(theirs[k][metric] - base[k][metric] for k in common)
            for metric in metrics
        }
    return result


# --------------------------------------------------------------------------- the run


@dataclass
class ScoreReport:
    """Everything a run produced (rows include those of a resumed earlier run)."""

    rows: list[Row]
    systems: list[str]
    metrics: list[str]
    summary: dict
    comparisons: dict
    unpaired: dict[str, list[str]]
    versions: dict[str, str]
    settings: dict[str, Any]
    resumed: int = 0
    elapsed: float = 0.0

    @property
    def errors(self) -> list[Row]:
        return [row for row in self.rows if row["error"]]

    def to_json(self) -> dict:
        """The JSON summary: versions, settings, per-system statistics and comparisons."""
        return _json_safe({
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "packages": self.versions,
            "settings": self.settings,
            "files": {"rows": len(self.rows), "errors": len(self.errors),
                      "resumed": self.resumed, "unpaired": self.unpaired},
            "elapsed_s": round(self.elapsed, 3),
            "systems": self.summary,
            "comparisons": self.comparisons,
        })


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return _encode(value)


def write_summary(report: ScoreReport, path: Path) -> None:
    """Write the JSON summary (NaN as null)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report.to_json(), indent=2) + "\n", encoding="utf-8")


def _version() -> str:
    from malenhance import __version__

    return __version__


def _worker_init() -> None:
    """One thread per worker: the workers are the parallelism, and BLAS or torch threads
    competing with them only spin (on a busy 2-core machine that doubled the run time)."""
    import torch

    from malenhance.workers import exit_with_parent

    exit_with_parent()
    torch.set_num_threads(1)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # optional: it comes with librosa (through scikit-learn)
        return
    threadpool_limits(1)


def _single_threaded_blas() -> contextlib.AbstractContextManager:
    """BLAS threads only spin on the metrics' small matrix products; restored afterwards."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _run_tasks(
    tasks: list[FileTask], options: ScoreOptions, jobs: int, on_rows: Callable[[list[Row]], None],
    progress: Progress | None,
) -> None:
    total = len(tasks)
    if progress:
        progress(0, total, "")
    if jobs <= 1 or total <= 1:
        with _single_threaded_blas():
            for done, task in enumerate(tasks, 1):
                on_rows(score_task(task, options))
                if progress:
                    progress(done, total, task.key)
        return
    # spawn, not fork: torch and ONNX Runtime thread pools do not survive a fork.
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=get_context("spawn"), initializer=_worker_init
    ) as pool:
        futures = {pool.submit(score_task, task, options): task for task in tasks}
        try:
            for done, future in enumerate(as_completed(futures), 1):
                on_rows(future.result())
                if progress:
                    progress(done, total, futures[future].key)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _plan_tasks(pairing: Pairing, done: set[tuple[str, str]],
                noisy_rows: dict[str, Row]) -> list[FileTask]:
    tasks = []
    for key in pairing.keys:
        systems = tuple((s.name, s.files[key]) for s in pairing.systems
                        if key in s.files and (s.name, key) not in done)
        if not systems:
            continue
        noisy = pairing.noisy.get(key) if pairing.noisy is not None else None
        reference = pairing.reference.get(key) if pairing.reference is not None else None
        tasks.append(FileTask(key, reference, noisy, systems,
                              noisy_rows.get(key) if noisy is not None else None))
    return tasks


def score(
    systems: Sequence[Path],
    *,
    reference: Path | None = None,
    noisy: Path | None = None,
    output: Path | None = None,
    summary_path: Path | None = None,
    jobs: int = 1,
    resume: bool = False,
    plots_dir: Path | None = None,
    consistency_model: str | None = None,
    device: str = "cpu",
    dnsmos: bool | None = None,
    progress: Progress | None = None,
) -> ScoreReport:
    """Score folders of enhanced audio.

    Args:
        systems: one folder (or file) of enhanced audio per system; the first is the
            baseline of the paired differences.
        reference: clean references; None for non-intrusive metrics only.
        noisy: the unprocessed inputs; adds a ``noisy-input`` system and
            ``<metric>_improvement`` columns.
        output: per-file rows, ``.csv`` or ``.jsonl``; written as rows come.
        summary_path: JSON summary to write.
        jobs: worker processes.
        resume: keep the rows already in ``output`` (failed ones are retried).
        plots_dir: write spectrograms per file and a summary figure there (matplotlib).
        consistency_model: enhance every enhanced file again with this model and score
            the second pass too (``consistency_si_sdr``, ``pass2_<metric>``).
        device: device for the consistency model.
        dnsmos: DNSMOS P.835/P.808; default on without a reference, off with one.
        progress: called as ``progress(done, total, item)`` after each item.

    Returns:
        The report with every row, the statistics and the comparisons.

    Raises:
        DataError: missing or empty folders, nothing paired, nothing to compute, or an
            output to resume that was written with other options.
        ModelError: the consistency model cannot be loaded.
    """
    started = time.perf_counter()
    if jobs < 1:
        raise DataError(f"--jobs must be at least 1 (got {jobs})")
    if resume and output is None:
        raise DataError("--resume needs --output: the per-file results to continue from")
    if output is not None:
        _check_output_path(output)
    dnsmos = reference is None if dnsmos is None else dnsmos
    if reference is None and not dnsmos and not consistency_model:
        raise DataError("nothing to compute: give --ref CLEAN for the reference metrics, "
                        "or leave DNSMOS on")
    if plots_dir is not None:
        from malenhance.score_plots import require_matplotlib

        require_matplotlib()
    pairing = pair_files(systems, reference, noisy)
    if consistency_model:
        _model(consistency_model, device)  # fail early on a bad model spec
    metrics = metric_columns(reference=reference is not None, dnsmos=dnsmos,
                             noisy=noisy is not None, consistency=bool(consistency_model))
    columns = output_columns(metrics)
    options = ScoreOptions(tuple(metrics), dnsmos, consistency_model, device, plots_dir,
                           onnx_threads=1 if jobs > 1 else None)

    rows: list[Row] = []
    if resume and output is not None and output.exists():
        rows = [r for r in read_rows(output, columns) if not r["error"]]
        _rewrite(output, columns, rows)
    resumed = len(rows)
    done = {(r["system"], r["file"]) for r in rows}
    noisy_rows = {r["file"]: r for r in rows if r["system"] == NOISY_SYSTEM}
    tasks = _plan_tasks(pairing, done, noisy_rows)

    writer = RowWriter(output, columns, append=resume) if output is not None else None
    try:
        def collect(new_rows: list[Row]) -> None:
            rows.extend(new_rows)
            if writer is not None:
                for row in new_rows:
                    writer.write(row)

        _run_tasks(tasks, options, jobs, collect, progress)
    finally:
        if writer is not None:
            writer.close()

    names = [s.name for s in pairing.systems]
    order = ([NOISY_SYSTEM] if noisy is not None else []) + names
    report = ScoreReport(
        rows=rows, systems=order, metrics=metrics,
        summary=summarize(rows, order, metrics),
        comparisons=compare(rows, names[0], names[1:], metrics),
        unpaired=pairing.unpaired, versions={"malenhance": _version(), **metric_versions()},
        settings={
            "systems": {s.name: str(s.root) for s in pairing.systems},
            "reference": str(reference) if reference else None,
            "noisy": str(noisy) if noisy else None,
            "metrics": metrics, "dnsmos": dnsmos, "consistency_model": consistency_model,
            "jobs": jobs,
            "pesq": "wide band (P.862.2) at >= 16 kHz, narrow band (P.862) below",
            "composite": "Hu & Loizou 2008, CMGAN conventions",
        },
        resumed=resumed,
    )
    if plots_dir is not None:
        from malenhance.score_plots import save_summary_figure

        save_summary_figure(plots_dir / "summary.png", rows, order, metrics)
    report.elapsed = time.perf_counter() - started
    if summary_path is not None:
        write_summary(report, summary_path)
    return report
