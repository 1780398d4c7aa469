"""Statistics of the rows: per system and metric, and paired differences between systems."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from malenhance.scoring.rows import Row

CONFIDENCE = 0.95


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

