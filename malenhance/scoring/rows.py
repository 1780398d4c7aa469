"""Per-file rows: their columns, and CSV / JSONL files written as rows come and read back.

Rows are flushed one by one, so an interrupted run loses nothing and can resume from the
rows already written.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from malenhance.errors import DataError
from malenhance.scoring.metrics import DNSMOS_METRICS, INTRUSIVE_METRICS

ID_COLUMNS = ("system", "file", "path", "duration_s", "sample_rate")
TEXT_COLUMNS = ("system", "file", "path", "notes", "error")
OUTPUT_SUFFIXES = (".csv", ".jsonl")

Row = dict[str, Any]


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

def empty_row(system: str, key: str, path: Path | None, metrics: Sequence[str]) -> Row:
    """A row with every metric NaN and no notes or error."""
    row: Row = {"system": system, "file": key, "path": str(path) if path else "",
                "duration_s": math.nan, "sample_rate": math.nan}
    row.update(dict.fromkeys(metrics, math.nan))
    row.update(notes="", error="")
    return row


def check_output_path(path: Path) -> None:
    """Raise :class:`DataError` unless ``path`` ends in ``.csv`` or ``.jsonl``."""
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise DataError(f"{path}: per-file output must end in .csv or .jsonl")


def encode_value(value: Any) -> Any:
    """A value fit for JSON: NaN as None, numpy scalars as Python numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else value
    if isinstance(value, np.generic):
        return encode_value(value.item())
    return value


def json_safe(value: Any) -> Any:
    """``value`` with :func:`encode_value` applied inside dicts, lists and tuples."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return encode_value(value)


class RowWriter:
    """Append rows to a CSV or JSONL file, flushing each row so a crash loses nothing."""

    def __init__(self, path: Path, columns: Sequence[str], *, append: bool = False) -> None:
        check_output_path(path)
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
            record = {c: encode_value(row.get(c)) for c in self.columns}
            self._handle.write(json.dumps(record, allow_nan=True) + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _csv_cell(value: Any) -> Any:
    value = encode_value(value)
    if value is None:
        return ""
    return repr(value) if isinstance(value, float) else value


def read_rows(path: Path, columns: Sequence[str]) -> list[Row]:
    """Rows of an earlier per-file output, numbers parsed, NaN for empty cells.

    Raises:
        DataError: the file is unreadable or was written with other columns.
    """
    check_output_path(path)
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


def rewrite_rows(path: Path, columns: Sequence[str], rows: Iterable[Row]) -> None:
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

