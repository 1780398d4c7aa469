"""Validation metrics during training: PESQ (wide band), ESTOI and SI-SDR.

The set is sharded over processes (item ``i`` goes to rank ``i % world_size``) and the
sums are reduced, so every rank gets the same means at the cost of its own share.
"""

from __future__ import annotations

import contextlib
import math
from functools import lru_cache

import numpy as np
import torch
from torch.utils.data import Dataset

from malenhance.errors import MetricError
from malenhance.model import MalNet
from malenhance.scoring import metrics
from malenhance.training.config import BestMetric
from malenhance.training.distributed import DistContext

METRICS = tuple(m.value for m in BestMetric)  # pesq, estoi, si_sdr; all: higher is better


@lru_cache(maxsize=1)
def missing_metrics() -> tuple[str, ...]:
    """Metrics whose package is not installed (they are reported as NaN)."""
    missing: list[str] = []
    for metric, module in (("pesq", "pesq"), ("estoi", "pystoi")):
        try:
            __import__(module)
        except ImportError:
            missing.append(metric)
    return tuple(missing)


def utterance_metrics(enhanced: np.ndarray, clean: np.ndarray, sample_rate: int) -> dict:
    """PESQ-wb, ESTOI and SI-SDR of one utterance; a metric that fails is NaN."""
    scores = {}
    missing = missing_metrics()
    for name, compute in (
        ("si_sdr", lambda: metrics.si_sdr(enhanced, clean)),
        ("estoi", lambda: metrics.stoi_score(clean, enhanced, sample_rate, extended=True)),
        ("pesq", lambda: metrics.pesq_score(clean, enhanced, sample_rate, mode="wb")),
    ):
        try:
            scores[name] = math.nan if name in missing else compute()
        except MetricError:  # e.g. a silent or too-short clip
            scores[name] = math.nan
    return scores


@torch.no_grad()
def evaluate(
    model: MalNet, dataset: Dataset, ctx: DistContext, *, amp: bool = False,
    score_input: bool = False,
) -> dict[str, float]:
    """Mean metrics of the model's output on ``dataset`` (of its noisy input if
    ``score_input``), identical on every rank."""
    was_training = model.training
    model.eval()
    sums = torch.zeros(2 * len(METRICS), dtype=torch.float64)
    autocast = (torch.autocast(ctx.device.type, dtype=torch.bfloat16) if amp
                else contextlib.nullcontext())
    for index in range(ctx.rank, len(dataset), ctx.world_size):
        example = dataset[index]
        noisy = example.noisy.to(ctx.device)[None]
        if score_input:
            output = noisy
        else:
            with autocast:
                output = model(noisy)
        scores = utterance_metrics(output[0].float().cpu().numpy().astype(np.float64),
                                   example.clean.numpy().astype(np.float64), model.sample_rate)
        for i, name in enumerate(METRICS):
            if math.isfinite(scores[name]):
                sums[2 * i] += scores[name]
                sums[2 * i + 1] += 1
    model.train(was_training)
    sums = ctx.all_reduce_sum(sums.to(ctx.device)).cpu()
    return {name: float(sums[2 * i] / sums[2 * i + 1]) if sums[2 * i + 1] else math.nan
            for i, name in enumerate(METRICS)}
