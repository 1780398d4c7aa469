"""Scoring enhanced speech (``malenhance score``): metrics, pairing, rows and statistics.

- :mod:`~malenhance.scoring.run`: :func:`score`, the whole run;
- :mod:`~malenhance.scoring.pairing`: which file is scored against which;
- :mod:`~malenhance.scoring.per_file`: one item's rows (runs in worker processes);
- :mod:`~malenhance.scoring.rows`: columns and the CSV / JSONL per-file output;
- :mod:`~malenhance.scoring.stats`: means, confidence intervals, paired differences;
- :mod:`~malenhance.scoring.metrics`, :mod:`~malenhance.scoring.composite`: the metrics;
- :mod:`~malenhance.scoring.plots`: spectrograms and the summary figure (``--plots``).
"""

from __future__ import annotations

from malenhance.scoring.pairing import audio_files, pair_files
from malenhance.scoring.run import ScoreReport, score, write_summary
from malenhance.scoring.stats import compare, describe, summarize

__all__ = ["ScoreReport", "audio_files", "compare", "describe", "pair_files", "score",
           "summarize", "write_summary"]
