"""Validation metrics during training: PESQ (wide band), ESTOI and SI-SDR.

The set is sharded over processes (item ``i`` goes to rank ``i % world_size``) and the
sums are reduced, so every rank gets the same means at the cost of its own share.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from functools import lru_cache

import numpy as np
import torch
import torchaudio.functional as AF
from torch.utils.data import Dataset

from malenhance.distributed import DistContext
from malenhance.model import MalNet

METRICS = ("pesq", "estoi", "si_sdr")  # all: higher is better
PESQ_RATE = 16000


def si_sdr_db(estimate: np.ndarray, reference: np.ndarray) -> float:
    """Scale-invariant SDR in dB of one utterance."""
    reference = reference - reference.mean()
    estimate = estimate - estimate.mean()
    alpha = np.dot(estimate, reference) / (np.dot(reference, reference) + 1e-12)
    target = alpha * reference
    return float(10 * np.log10((np.sum(target**2) + 1e-12) / (np.sum((estimate - target) ** 2)
                                                              + 1e-12)))


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
    scores = {"si_sdr": si_sdr_db(enhanced, clean), "estoi": math.nan, "pesq": math.nan}
    missing = missing_metrics()
    if "estoi" not in missing:
        from pystoi import stoi

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pystoi warns about short or silent clips
            try:
                scores["estoi"] = float(stoi(clean, enhanced, sample_rate, extended=True))
            except Exception:
                scores["estoi"] = math.nan
    if "pesq" in missing:
        return scores
    from pesq import pesq
    ref, deg = clean, enhanced
    if sample_rate != PESQ_RATE:  # PESQ-wb is defined at 16 kHz only
        ref, deg = (AF.resample(torch.from_numpy(x), sample_rate, PESQ_RATE).numpy()
                    for x in (clean, enhanced))
    try:
        scores["pesq"] = float(pesq(PESQ_RATE, ref, deg, "wb"))
    except Exception:  # e.g. no utterance detected in a silent clip
        pass
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
