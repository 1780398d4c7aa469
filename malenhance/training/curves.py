"""The training-curve plot: loss terms and validation metrics over steps.

matplotlib is optional (``pip install malenhance[plots]``); without it the plot is
skipped and :func:`plot` says so.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from malenhance.training.validation import METRICS

SKIPPED = ("step_time_s", "data_time_s", "steps_per_s", "lr", "grad_norm", "stage", "step",
           "type")


def read_log(path: Path) -> list[dict]:
    """The records of a ``train_log.jsonl``."""
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]


def plot(log_path: Path, image_path: Path, stage_boundary: int | None = None) -> str | None:
    """Draw the curves of ``log_path`` into ``image_path``.

    Returns:
        ``None`` when the plot was written, else a one-line note why not.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed: no curve plot (pip install matplotlib)"
    records = read_log(log_path)
    train = [r for r in records if r.get("type") == "train"]
    valid = [r for r in records if r.get("type") == "valid"]
    noisy = next((r for r in records if r.get("type") == "valid_input"), {})
    terms = sorted({k for r in train for k in r if k not in SKIPPED})
    panels = [("train", term) for term in terms] + [("valid", metric) for metric in METRICS]
    rows = math.ceil(len(panels) / 2)
    figure, axes = plt.subplots(rows, 2, figsize=(11, 2.6 * rows), sharex=True, squeeze=False)
    for axis, (kind, name) in zip(axes.flat, panels, strict=False):
        source = train if kind == "train" else valid
        points = [(r["step"], r[name]) for r in source if name in r]
        if points:
            axis.plot(*zip(*points, strict=True), marker="o" if kind == "valid" else None)
        if points and kind == "train" and min(v for _, v in points) > 0:
            axis.set_yscale("log")
        if kind == "valid" and math.isfinite(noisy.get(name, math.nan)):
            axis.axhline(noisy[name], color="tab:red", linestyle=":", linewidth=1,
                         label="noisy input")
            axis.legend(fontsize="small")
        axis.set_title(f"{kind} {name}", fontsize="medium")
        if stage_boundary:
            axis.axvline(stage_boundary, color="grey", linestyle="--", linewidth=1)
        axis.grid(alpha=0.3)
    for axis in axes.flat[len(panels):]:
        axis.set_visible(False)
    figure.supxlabel("step (dashed: start of stage 2, Model as Loss)")
    figure.tight_layout()
    figure.savefig(image_path, dpi=100)
    plt.close(figure)
    return None
