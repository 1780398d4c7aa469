"""Speech quality metrics, computed by the reference libraries.

PESQ comes from ``pesq`` (ITU-T P.862.2 wide band at 16 kHz, P.862 narrow band at 8 kHz),
STOI and ESTOI from ``pystoi``, DNSMOS P.835 and P.808 from ``speechmos``; SI-SDR is a few
lines of numpy and the composite CSIG/CBAK/COVL live in :mod:`malenhance.scoring.composite`.

Every function takes mono float arrays at their own sample rate and resamples to what the
metric needs. When an input cannot be scored (silent or too-short reference, PESQ finding
no utterance, too little speech for STOI) the function raises :class:`MetricError`, whose
message is the reason; :func:`intrusive_scores` and :func:`dnsmos_scores` turn that into
NaN plus a note, so one bad file never stops a run.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass, field
from importlib import metadata
from typing import Literal

import numpy as np
import torch

from malenhance._torchaudio import functional as AF
from malenhance.audio import to_mono
from malenhance.errors import MetricError
from malenhance.resample import manageable_rates
from malenhance.scoring.composite import SCALE, clamped, composite_unclamped

PesqMode = Literal["wb", "nb"]

PESQ_RATES: dict[str, int] = {"wb": 16000, "nb": 8000}
DNSMOS_RATE = 16000
# PESQ refuses anything shorter than a quarter of a second; use the same floor everywhere.
MIN_SECONDS = 0.25
# A reference quieter than this RMS (-100 dBFS) is treated as silent.
SILENCE_RMS = 1e-5

INTRUSIVE_METRICS = ("pesq_wb", "pesq_nb", "stoi", "estoi", "si_sdr", "csig", "cbak", "covl")
DNSMOS_METRICS = ("dnsmos_sig", "dnsmos_bak", "dnsmos_ovrl", "dnsmos_p808")
METRIC_PACKAGES = ("pesq", "pystoi", "speechmos", "onnxruntime", "librosa", "numpy", "scipy",
                   "torch", "torchaudio")


@dataclass
class Scores:
    """Metric values (NaN where a metric could not be computed) and the notes explaining why."""

    values: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def update(self, other: Scores) -> None:
        self.values.update(other.values)
        self.notes.extend(other.notes)


def metric_versions() -> dict[str, str]:
    """Installed versions of the packages that compute the metrics (for the output files)."""
    versions = {}
    for name in METRIC_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def resample(audio: np.ndarray, orig_rate: int, new_rate: int) -> np.ndarray:
    """Resample a mono float array with torchaudio's band-limited sinc interpolation."""
    if orig_rate == new_rate:
        return np.asarray(audio, dtype=np.float64)
    wav = torch.from_numpy(np.ascontiguousarray(audio, dtype=np.float64))
    # Odd rates (44101 Hz) would need a gigabyte kernel; a rate 0.5 % off is inaudible here.
    orig_rate, new_rate = manageable_rates(orig_rate, new_rate)
    return AF.resample(wav, orig_rate, new_rate).numpy()


def align(
    reference: np.ndarray, reference_rate: int, estimate: np.ndarray, estimate_rate: int
) -> tuple[np.ndarray, np.ndarray, int, list[str]]:
    """Bring an estimate onto its reference: mono, the reference's rate, the same length.

    Args:
        reference: ``(frames,)`` or ``(frames, channels)`` clean signal.
        reference_rate: its sample rate.
        estimate: ``(frames,)`` or ``(frames, channels)`` signal to score.
        estimate_rate: its sample rate.

    Returns:
        ``(reference, estimate, rate, notes)``: mono float64 arrays of equal length at
        ``reference_rate``, and one note per adjustment made (channels, rate, length).
    """
    notes = []
    ref_channels = reference.shape[1] if reference.ndim == 2 else 1
    est_channels = estimate.shape[1] if estimate.ndim == 2 else 1
    if ref_channels != est_channels:
        notes.append(f"channel counts differ ({est_channels} vs reference {ref_channels}): "
                     "both averaged to mono")
    elif ref_channels > 1:
        notes.append(f"{ref_channels} channels averaged to mono")
    reference, estimate = to_mono(reference), to_mono(estimate)
    if estimate_rate != reference_rate:
        notes.append(f"resampled from {estimate_rate} Hz to the reference's {reference_rate} Hz")
        estimate = resample(estimate, estimate_rate, reference_rate)
    if len(estimate) != len(reference):
        shorter = min(len(estimate), len(reference))
        notes.append(f"length differs ({len(estimate)} vs reference {len(reference)} samples): "
                     f"both trimmed to {shorter}")
        reference, estimate = reference[:shorter], estimate[:shorter]
    return reference, estimate, reference_rate, notes


def check_reference(reference: np.ndarray, sample_rate: int) -> None:
    """Raise :class:`MetricError` if ``reference`` is too short or silent to score against."""
    seconds = len(reference) / sample_rate
    if seconds < MIN_SECONDS:
        raise MetricError(f"reference too short ({seconds:.3f} s < {MIN_SECONDS} s)")
    rms = math.sqrt(float(np.mean(np.square(reference))))
    if rms < SILENCE_RMS:
        raise MetricError("reference is silent")


def pesq_mode(sample_rate: int) -> PesqMode:
    """Wide band for 16 kHz and above, narrow band below (8 kHz telephone speech)."""
    return "wb" if sample_rate >= PESQ_RATES["wb"] else "nb"


def pesq_score(
    reference: np.ndarray, estimate: np.ndarray, sample_rate: int, mode: PesqMode | None = None
) -> float:
    """PESQ MOS-LQO from the ``pesq`` package.

    Args:
        reference: mono clean signal.
        estimate: mono signal to score, same length and rate.
        sample_rate: their rate; resampled to 16 kHz (``wb``) or 8 kHz (``nb``).
        mode: ``wb`` or ``nb``; default :func:`pesq_mode` of ``sample_rate``.

    Returns:
        The score (``wb`` range about 1.04..4.64, ``nb`` 1.02..4.55).
    """
    from pesq import PesqError, pesq

    mode = mode or pesq_mode(sample_rate)
    rate = PESQ_RATES[mode]
    ref = resample(reference, sample_rate, rate)
    est = resample(estimate, sample_rate, rate)
    try:
        return float(pesq(rate, ref, est, mode))
    except PesqError as err:
        raise MetricError(f"PESQ: {_pesq_reason(err)}") from None


def _pesq_reason(err: Exception) -> str:
    text = err.args[0] if err.args else type(err).__name__
    return text.decode() if isinstance(text, bytes) else str(text)


def stoi_score(
    reference: np.ndarray, estimate: np.ndarray, sample_rate: int, *, extended: bool = False
) -> float:
    """STOI (or ESTOI with ``extended=True``) from ``pystoi``, which resamples to 10 kHz itself.

    Raises:
        MetricError: fewer than 30 frames (384 ms) of speech remain after pystoi drops the
            silent frames; pystoi would return a meaningless 1e-5.
    """
    from pystoi import stoi

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = float(stoi(reference, estimate, sample_rate, extended=extended))
    if any("Not enough STFT frames" in str(w.message) for w in caught):
        name = "ESTOI" if extended else "STOI"
        raise MetricError(f"{name}: less than 384 ms of speech in the reference")
    return value


def si_sdr(estimate: np.ndarray, reference: np.ndarray) -> float:
    """Scale-invariant signal-to-distortion ratio in dB (Le Roux et al., ICASSP 2019).

    Estimate first, reference second, as everywhere in malenhance (the training loss
    :func:`malenhance.training.losses.si_sdr` too). Both signals are made zero-mean; the estimate
    is projected on the reference.
    """
    reference = np.asarray(reference, dtype=np.float64)
    estimate = np.asarray(estimate, dtype=np.float64)
    reference = reference - reference.mean()
    estimate = estimate - estimate.mean()
    eps = np.finfo(np.float64).eps
    energy = float(np.dot(reference, reference))
    if energy <= eps:
        raise MetricError("SI-SDR: reference has no energy")
    target = (np.dot(estimate, reference) / energy) * reference
    distortion = estimate - target
    ratio = (np.dot(target, target) + eps) / (np.dot(distortion, distortion) + eps)
    return float(10 * np.log10(ratio))


def intrusive_scores(reference: np.ndarray, estimate: np.ndarray, sample_rate: int) -> Scores:
    """All reference-based metrics for one aligned pair (see :func:`align`).

    PESQ is wide band (``pesq_wb``) at 16 kHz and above, narrow band (``pesq_nb``) below;
    the other one is NaN. The composite measures run at PESQ's rate with its value.

    Args:
        reference: mono float clean signal.
        estimate: mono float signal to score, same length and rate as ``reference``.
        sample_rate: their rate.

    Returns:
        A value for every name in :data:`INTRUSIVE_METRICS`; NaN with a note where a metric
        could not be computed.
    """
    scores = Scores(dict.fromkeys(INTRUSIVE_METRICS, math.nan))
    try:
        check_reference(reference, sample_rate)
    except MetricError as err:
        scores.notes.append(f"intrusive metrics not computed: {err}")
        return scores
    mode = pesq_mode(sample_rate)
    rate = PESQ_RATES[mode]
    # Resample once for PESQ and the composite measures, which run at the same rate.
    ref_at_rate = resample(reference, sample_rate, rate)
    est_at_rate = resample(estimate, sample_rate, rate)
    steps = {
        f"pesq_{mode}": lambda: pesq_score(ref_at_rate, est_at_rate, rate, mode),
        "stoi": lambda: stoi_score(reference, estimate, sample_rate),
        "estoi": lambda: stoi_score(reference, estimate, sample_rate, extended=True),
        "si_sdr": lambda: si_sdr(estimate, reference),
    }
    for name, compute in steps.items():
        try:
            scores.values[name] = compute()
        except MetricError as err:
            scores.notes.append(str(err))
    pesq_value = scores.values[f"pesq_{mode}"]
    if math.isnan(pesq_value):
        scores.notes.append("CSIG/CBAK/COVL: not computed without PESQ")
        return scores
    try:
        raw = composite_unclamped(ref_at_rate, est_at_rate, rate, pesq_value)
        scores.values.update(clamped(raw))
        for name, value in raw.items():
            if not SCALE[0] <= value <= SCALE[1]:
                bound = min(max(value, SCALE[0]), SCALE[1])
                scores.notes.append(f"{name.upper()} clamped to {bound:g} (the regression "
                                    f"gave {value:.2f})")
    except MetricError as err:
        scores.notes.append(str(err))
    return scores


_dnsmos_model = None


def _dnsmos(threads: int | None):
    """One DNSMOS model per process, its ONNX sessions limited to ``threads`` threads."""
    global _dnsmos_model
    if _dnsmos_model is None:
        import onnxruntime as ort
        from speechmos import dnsmos

        root = os.path.dirname(dnsmos.__file__)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1

        class _DNSMOS(dnsmos.DNSMOS):
            # speechmos builds its sessions with default options (one thread per core);
            # with several worker processes that oversubscribes the CPU.
            def __init__(self, primary_model_path: str, p808_model_path: str) -> None:
                self.primary_model_path = primary_model_path
                cpu = ["CPUExecutionProvider"]
                self.onnx_sess = ort.InferenceSession(primary_model_path, options, providers=cpu)
                self.p808_onnx_sess = ort.InferenceSession(p808_model_path, options, providers=cpu)

        _dnsmos_model = _DNSMOS(
            os.path.join(root, "dnsmos_models", "sig_bak_ovr.onnx"),
            os.path.join(root, "dnsmos_models", "model_v8.onnx"),
        )
    return _dnsmos_model


def dnsmos_scores(audio: np.ndarray, sample_rate: int, *, threads: int | None = None) -> Scores:
    """DNSMOS P.835 (SIG, BAK, OVRL) and P.808 from ``speechmos``: no reference needed.

    Args:
        audio: ``(frames,)`` or ``(frames, channels)`` float signal (averaged to mono).
        sample_rate: its rate; resampled to 16 kHz.
        threads: ONNX Runtime threads (default: one per core).

    Returns:
        A value for every name in :data:`DNSMOS_METRICS`, NaN with a note if the audio is
        shorter than :data:`MIN_SECONDS`.
    """
    scores = Scores(dict.fromkeys(DNSMOS_METRICS, math.nan))
    mono = to_mono(audio)
    seconds = len(mono) / sample_rate
    if seconds < MIN_SECONDS:
        scores.notes.append(f"DNSMOS: audio too short ({seconds:.3f} s < {MIN_SECONDS} s)")
        return scores
    wav = resample(mono, sample_rate, DNSMOS_RATE)
    if np.abs(wav).max() > 1.0:
        # speechmos refuses samples outside [-1, 1]; clipping is what playback would do.
        scores.notes.append("DNSMOS: samples beyond full scale clipped to [-1, 1]")
        wav = np.clip(wav, -1.0, 1.0)
    result = _dnsmos(threads)(wav.astype(np.float32), DNSMOS_RATE, False)
    scores.values.update({
        "dnsmos_sig": float(result["sig_mos"]),
        "dnsmos_bak": float(result["bak_mos"]),
        "dnsmos_ovrl": float(result["ovrl_mos"]),
        "dnsmos_p808": float(result["p808_mos"]),
    })
    return scores
