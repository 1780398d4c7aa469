"""Figures for ``malenhance score --plots``: spectrograms per file, one summary per run.

matplotlib is an optional extra (``pip install 'malenhance[plots]'``). Figures are drawn
with the object-oriented API and the Agg canvas, never pyplot, so worker processes need
no display and keep no global figure state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from malenhance.audio import to_mono
from malenhance.errors import MalenhanceError

DYNAMIC_RANGE_DB = 80.0  # colour scale: the loudest bin of all panels down to this much below
FRAME_SECONDS = 0.032


def require_matplotlib() -> None:
    """Raise :class:`MalenhanceError` with the install command if matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise MalenhanceError(
            "--plots needs matplotlib: pip install 'malenhance[plots]' (or matplotlib)"
        ) from None


def spectrogram_db(audio: np.ndarray, sample_rate: int) -> tuple[np.ndarray, float]:
    """``(bins, frames)`` magnitude spectrogram in dB (Hann, 32 ms frames, 75 % overlap).

    Returns:
        The spectrogram and the hop in seconds.
    """
    mono = to_mono(audio)
    n_fft = 1 << max(int(math.ceil(math.log2(FRAME_SECONDS * sample_rate))), 4)
    hop = n_fft // 4
    if len(mono) < n_fft:
        mono = np.pad(mono, (0, n_fft - len(mono)))
    frames = np.lib.stride_tricks.sliding_window_view(mono, n_fft)[::hop] * np.hanning(n_fft)
    magnitude = np.abs(np.fft.rfft(frames, axis=1)).T
    return 20 * np.log10(magnitude + 1e-10), hop / sample_rate


def save_spectrograms(
    path: Path, panels: Sequence[tuple[str, np.ndarray, int]], *, title: str = ""
) -> None:
    """Stacked spectrograms (e.g. noisy / enhanced / clean) with one shared colour scale.

    Args:
        path: PNG to write (folders are created).
        panels: ``(label, audio, sample_rate)`` per panel, top to bottom.
        title: figure title.
    """
    from matplotlib.figure import Figure

    spectra = [(label, *spectrogram_db(audio, rate), rate) for label, audio, rate in panels]
    top = max(float(spec.max()) for _, spec, _, _ in spectra)
    fig = Figure(figsize=(10, 2.2 * len(spectra) + 0.6), layout="constrained")
    axes = fig.subplots(len(spectra), 1, sharex=True, squeeze=False)[:, 0]
    image = None
    for ax, (label, spec, hop_s, rate) in zip(axes, spectra, strict=True):
        extent = (0.0, spec.shape[1] * hop_s, 0.0, rate / 2000)
        image = ax.imshow(spec, origin="lower", aspect="auto", extent=extent, cmap="magma",
                          vmin=top - DYNAMIC_RANGE_DB, vmax=top, interpolation="nearest")
        ax.set_ylabel("kHz")
        ax.set_title(label, loc="left", fontsize=10)
    axes[-1].set_xlabel("time (s)")
    if image is not None:
        fig.colorbar(image, ax=list(axes), label="dB", shrink=0.9)
    if title:
        fig.suptitle(title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)


def save_summary_figure(
    path: Path, rows: Sequence[dict[str, Any]], systems: Sequence[str], metrics: Sequence[str]
) -> None:
    """One box plot per metric, one box per system (means marked), for the whole run.

    Args:
        path: PNG to write.
        rows: per-file rows of the run.
        systems: systems in display order.
        metrics: metric columns to draw; columns without any value are skipped.
    """
    from matplotlib.figure import Figure

    values = {
        metric: [[r[metric] for r in rows if r["system"] == s and not r["error"]
                  and math.isfinite(r[metric])] for s in systems]
        for metric in metrics
    }
    shown = [m for m in metrics if any(values[m])]
    if not shown:
        return
    # A box per system that has values: the noisy input has no improvement over itself.
    boxes = {m: [(s, v) for s, v in zip(systems, values[m], strict=True)
                 if v or not m.endswith("_improvement")] for m in shown}
    columns = min(4, len(shown))
    lines = math.ceil(len(shown) / columns)
    fig = Figure(figsize=(3.2 * columns + 0.8, 3.0 * lines + 0.5), layout="constrained")
    axes = fig.subplots(lines, columns, squeeze=False).ravel()
    for ax, metric in zip(axes, shown, strict=False):
        data = [v if v else [math.nan] for _, v in boxes[metric]]
        ax.boxplot(data, showmeans=True)
        ax.set_xticks(range(1, len(data) + 1), [_short(s) for s, _ in boxes[metric]],
                      rotation=30, ha="right", fontsize=8)
        ax.set_title(metric_label(metric), fontsize=10)
        ax.grid(axis="y", alpha=0.3)
    for ax in axes[len(shown):]:
        ax.set_visible(False)
    fig.suptitle("per-file scores (box: quartiles, triangle: mean)")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)


_LABELS = {
    "pesq_wb": "PESQ (wide band)", "pesq_nb": "PESQ (narrow band)", "stoi": "STOI",
    "estoi": "ESTOI", "si_sdr": "SI-SDR (dB)", "csig": "CSIG", "cbak": "CBAK", "covl": "COVL",
    "dnsmos_sig": "DNSMOS SIG", "dnsmos_bak": "DNSMOS BAK", "dnsmos_ovrl": "DNSMOS OVRL",
    "dnsmos_p808": "DNSMOS P.808",
}


def metric_label(metric: str) -> str:
    """A readable name for a metric column: `pesq_wb_improvement` -> `Δ PESQ (wide band)
    over the input`."""
    if metric.endswith("_improvement"):
        return f"Δ {metric_label(metric.removesuffix('_improvement'))} over the input"
    if metric.startswith("pass2_"):
        return f"{metric_label(metric.removeprefix('pass2_'))}, 2nd pass"
    return _LABELS.get(metric, metric)


def _short(name: str, width: int = 18) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]
