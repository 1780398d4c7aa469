"""Composite quality measures CSIG, CBAK and COVL (Hu & Loizou, 2008).

Hu and Loizou fitted linear regressions of objective measures to listeners' ITU-T P.835
ratings of enhanced noisy speech::

    CSIG = 3.093 - 1.029 LLR + 0.603 PESQ - 0.009 WSS       (signal distortion)
    CBAK = 1.634 + 0.478 PESQ - 0.007 WSS + 0.063 segSNR    (background intrusiveness)
    COVL = 1.594 + 0.805 PESQ - 0.512 LLR - 0.007 WSS       (overall quality)

each limited to [1, 5]. The measures are computed on 30 ms frames, Hann windowed
(``w[n] = 0.5 (1 - cos(2 pi n / (N + 1)))``, ``n = 1..N``) with a hop of a quarter frame:

- LLR, the log-likelihood ratio ``log(a_e R_c a_e' / a_c R_c a_c')`` of the LPC vectors
  ``a`` (order 16, or 10 below 10 kHz) of the clean (c) and enhanced (e) frames, with
  ``R_c`` the clean frame's autocorrelation (Toeplitz) matrix; mean of the 95 % lowest.
- WSS, Klatt's weighted spectral slope distance over 25 critical bands: squared
  differences of the band-energy slopes, weighted towards spectral peaks
  (``Kmax = 20``, ``Klocmax = 1``); mean of the 95 % lowest.
- segSNR, the frame SNR limited to [-10, 35] dB; plain mean.

The code follows Loizou's MATLAB ``composite.m`` as ported in the CMGAN evaluation script
that most enhancement papers use, including its conventions: PESQ is the wide-band
MOS-LQO at 16 kHz (narrow band at 8 kHz), ``eps`` is added to both signals, WSS frames are
divided by 32768 before the -100 dB energy floor, there are ``floor((L - N) / hop)``
frames, and the 95 % cut uses Python's ``round``. Frames are processed in blocks with
numpy instead of one Python loop per frame, so an hour of audio takes seconds and memory
stays bounded; ``tests/test_metrics.py`` checks the result against a frame-by-frame
transcription of the reference loops.

References:
    Y. Hu and P. C. Loizou, "Evaluation of objective quality measures for speech
    enhancement", IEEE Trans. Audio, Speech, Lang. Process. 16(1):229-238, 2008.
    P. C. Loizou, "Speech Enhancement: Theory and Practice", 2nd ed., CRC Press, 2013.
    D. H. Klatt, "Prediction of perceived phonetic distance from critical-band spectra:
    a first step", ICASSP 1982, pp. 1278-1281.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from malenhance.errors import MetricError

FRAME_SECONDS = 0.030
TRIM_ALPHA = 0.95  # keep the best 95 % of frames for LLR and WSS
SEGSNR_RANGE = (-10.0, 35.0)
WSS_KMAX = 20.0  # Klatt's global-peak weight constant
WSS_KLOCMAX = 1.0  # Klatt's local-peak weight constant
WSS_FLOOR = 1e-10  # band energy floor (-100 dB)
WSS_SCALE = 32768.0  # the reference divides frames by the int16 full scale
BLOCK_FRAMES = 2048  # frames per vectorised block: bounds memory on long files
EPS = float(np.finfo(np.float64).eps)

# Klatt's 25 critical bands: centre frequencies and bandwidths in Hz.
BAND_CENTRES = np.array([
    50.0000, 120.000, 190.000, 260.000, 330.000, 400.000, 470.000, 540.000, 617.372,
    703.378, 798.717, 904.128, 1020.38, 1148.30, 1288.72, 1442.54, 1610.70, 1794.16,
    1993.93, 2211.08, 2446.71, 2701.97, 2978.04, 3276.17, 3597.63,
])
BAND_WIDTHS = np.array([
    70.0000, 70.0000, 70.0000, 70.0000, 70.0000, 70.0000, 70.0000, 77.3724, 86.0056,
    95.3398, 105.411, 116.256, 127.914, 140.423, 153.823, 168.154, 183.457, 199.776,
    217.153, 235.631, 255.255, 276.072, 298.126, 321.465, 346.136,
])


def frame_layout(length: int, sample_rate: int) -> tuple[int, int, int]:
    """``(window, hop, frames)`` in samples for a signal of ``length`` samples."""
    window = round(FRAME_SECONDS * sample_rate)
    hop = window // 4
    return window, hop, max((length - window) // hop, 0)


def hann_window(length: int) -> np.ndarray:
    """The reference's Hann window, which is zero at neither end."""
    return 0.5 * (1 - np.cos(2 * np.pi * np.arange(1, length + 1) / (length + 1)))


def _windowed_blocks(signal: np.ndarray, sample_rate: int) -> Iterator[np.ndarray]:
    """Yield ``(frames, window)`` blocks of windowed frames of ``signal``."""
    window, hop, count = frame_layout(len(signal), sample_rate)
    frames = np.lib.stride_tricks.sliding_window_view(signal, window)[::hop][:count]
    taper = hann_window(window)
    for start in range(0, count, BLOCK_FRAMES):
        yield frames[start : start + BLOCK_FRAMES] * taper


def _paired_blocks(
    reference: np.ndarray, estimate: np.ndarray, sample_rate: int
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    if reference.shape != estimate.shape or reference.ndim != 1:
        raise ValueError(
            f"expected two mono signals of equal length, got {reference.shape} and {estimate.shape}"
        )
    if frame_layout(len(reference), sample_rate)[2] == 0:
        raise MetricError("CSIG/CBAK/COVL: signal shorter than two 30 ms frames")
    yield from zip(
        _windowed_blocks(reference, sample_rate),
        _windowed_blocks(estimate, sample_rate),
        strict=True,
    )


def segmental_snr(reference: np.ndarray, estimate: np.ndarray, sample_rate: int) -> np.ndarray:
    """Per-frame SNR in dB, limited to [-10, 35].

    Args:
        reference: mono float64 clean signal.
        estimate: mono float64 signal, same length.
        sample_rate: their rate.

    Returns:
        ``(frames,)`` segmental SNR values.
    """
    values = []
    for clean, other in _paired_blocks(reference, estimate, sample_rate):
        signal_energy = np.sum(clean**2, axis=1)
        noise_energy = np.sum((clean - other) ** 2, axis=1)
        snr = 10 * np.log10(signal_energy / (noise_energy + EPS) + EPS)
        values.append(np.clip(snr, *SEGSNR_RANGE))
    return np.concatenate(values)


def _autocorrelation(frames: np.ndarray, lags: int) -> np.ndarray:
    """``(frames, lags + 1)`` autocorrelation ``R[k] = sum_n x[n] x[n + k]``."""
    length = frames.shape[1]
    return np.stack(
        [np.einsum("ij,ij->i", frames[:, : length - k], frames[:, k:]) for k in range(lags + 1)],
        axis=1,
    )


def _levinson(autocorr: np.ndarray) -> np.ndarray:
    """LPC polynomials ``[1, -a_1, ..., -a_P]`` by Levinson-Durbin, one per row of ``autocorr``."""
    frames, order = autocorr.shape[0], autocorr.shape[1] - 1
    a = np.zeros((frames, order))
    error = autocorr[:, 0].copy()
    for i in range(order):
        # sum_j a[j] R[i - j] for j < i
        past = a[:, :i].copy()
        acc = np.einsum("ij,ij->i", past, autocorr[:, i:0:-1]) if i else 0.0
        reflection = (autocorr[:, i + 1] - acc) / error
        a[:, i] = reflection
        a[:, :i] = past - reflection[:, None] * past[:, ::-1]
        error = (1 - reflection**2) * error
    return np.concatenate([np.ones((frames, 1)), -a], axis=1)


def llr(reference: np.ndarray, estimate: np.ndarray, sample_rate: int) -> np.ndarray:
    """Per-frame log-likelihood ratio between the LPC models of the two signals.

    Args:
        reference: mono float64 clean signal.
        estimate: mono float64 signal, same length.
        sample_rate: their rate; LPC order 16 at 10 kHz and above, else 10.

    Returns:
        ``(frames,)`` LLR values (0 where the frames' LPC models agree).
    """
    order = 10 if sample_rate < 10000 else 16
    lags = np.abs(np.arange(order + 1)[:, None] - np.arange(order + 1)[None, :])
    values = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for clean, other in _paired_blocks(reference, estimate, sample_rate):
            clean_r = _autocorrelation(clean, order)
            clean_a = _levinson(clean_r)
            other_a = _levinson(_autocorrelation(other, order))
            toeplitz = clean_r[:, lags]
            numerator = np.einsum("ni,nij,nj->n", other_a, toeplitz, other_a)
            denominator = np.einsum("ni,nij,nj->n", clean_a, toeplitz, clean_a)
            values.append(np.log(numerator / denominator))
    return np.concatenate(values)


def wss_fft_size(sample_rate: int) -> int:
    """The reference's FFT size: the power of two at or above two frames."""
    return int(2 ** np.ceil(np.log2(2 * round(FRAME_SECONDS * sample_rate))))


@lru_cache(maxsize=8)
def critical_band_filters(sample_rate: int) -> np.ndarray:
    """``(25, n_fft / 2)`` Gaussian critical-band weights, cut below -30 dB."""
    half_fft = wss_fft_size(sample_rate) // 2
    max_freq = sample_rate // 2
    bins = np.arange(half_fft)
    centres = np.floor(BAND_CENTRES / max_freq * half_fft)[:, None]
    widths = (BAND_WIDTHS / max_freq * half_fft)[:, None]
    norm = (np.log(BAND_WIDTHS[0]) - np.log(BAND_WIDTHS))[:, None]
    filters = np.exp(-11 * ((bins[None, :] - centres) / widths) ** 2 + norm)
    min_factor = np.exp(-30.0 / (2.0 * 2.303))  # -30 dB point of a filter
    return np.where(filters > min_factor, filters, 0.0)


@lru_cache(maxsize=8)
def _used_filters(sample_rate: int) -> np.ndarray:
    """``(bins, 25)`` filters up to their last non-zero bin (about 4 kHz): the bins above
    add exact zeros, and skipping them makes WSS several times faster."""
    filters = critical_band_filters(sample_rate)
    used = int(np.nonzero(filters.any(axis=0))[0].max()) + 1
    return np.ascontiguousarray(filters[:, :used].T)


def _band_energies_db(frames: np.ndarray, sample_rate: int) -> np.ndarray:
    filters = _used_filters(sample_rate)
    spectrum = np.fft.rfft(frames / WSS_SCALE, wss_fft_size(sample_rate), axis=1)
    spectrum = spectrum[:, : filters.shape[0]]
    power = spectrum.real**2 + spectrum.imag**2
    return 10 * np.log10(np.maximum(power @ filters, WSS_FLOOR))


def _nearest_peaks(slope: np.ndarray, energy: np.ndarray) -> np.ndarray:
    """Energy of the spectral peak nearest each band, as the reference's search finds it.

    Where the slope rises, the search walks right to the first non-rising slope ``n`` and
    takes band ``n - 1``; elsewhere it walks left to the last rising slope ``n`` and takes
    band ``n + 1`` (``n`` stops at the ends of the slope array).
    """
    count = slope.shape[1]
    index = np.arange(count)
    rising = slope > 0
    stop = np.where(rising, count, index)
    first_stop_right = np.minimum.accumulate(stop[:, ::-1], axis=1)[:, ::-1]
    last_rise_left = np.maximum.accumulate(np.where(rising, index, -1), axis=1)
    peak = np.where(rising, first_stop_right - 1, last_rise_left + 1)
    return np.take_along_axis(energy, peak, axis=1)


def _slope_weights(energy: np.ndarray, slope: np.ndarray) -> np.ndarray:
    bands = energy[:, :-1]
    global_peak = WSS_KMAX / (WSS_KMAX + energy.max(axis=1, keepdims=True) - bands)
    local_peak = WSS_KLOCMAX / (WSS_KLOCMAX + _nearest_peaks(slope, energy) - bands)
    return global_peak * local_peak


def wss(reference: np.ndarray, estimate: np.ndarray, sample_rate: int) -> np.ndarray:
    """Per-frame weighted spectral slope distance (Klatt, 1982).

    Args:
        reference: mono float64 clean signal.
        estimate: mono float64 signal, same length.
        sample_rate: their rate.

    Returns:
        ``(frames,)`` WSS values (0 for identical spectra).
    """
    values = []
    for clean, other in _paired_blocks(reference, estimate, sample_rate):
        clean_db = _band_energies_db(clean, sample_rate)
        other_db = _band_energies_db(other, sample_rate)
        clean_slope, other_slope = np.diff(clean_db, axis=1), np.diff(other_db, axis=1)
        weights = (
            _slope_weights(clean_db, clean_slope) + _slope_weights(other_db, other_slope)
        ) / 2
        distance = np.sum(weights * (clean_slope - other_slope) ** 2, axis=1)
        values.append(distance / np.sum(weights, axis=1))
    return np.concatenate(values)


def trimmed_mean(values: np.ndarray, alpha: float = TRIM_ALPHA) -> float:
    """Mean of the lowest ``round(alpha * n)`` values, ignoring non-finite frames."""
    values = np.sort(values[np.isfinite(values)])
    keep = round(len(values) * alpha)
    if keep == 0:
        raise MetricError("CSIG/CBAK/COVL: no frame gave a finite distance")
    return float(np.mean(values[:keep]))


#: The range of the composite measures: a regression value outside it is clamped to it.
SCALE = (1.0, 5.0)


def clamped(unclamped: dict[str, float]) -> dict[str, float]:
    """The composite measures clamped to :data:`SCALE`, as the reference implementation does."""
    return {name: float(np.clip(value, *SCALE)) for name, value in unclamped.items()}


def composite_scores(
    reference: np.ndarray, estimate: np.ndarray, sample_rate: int, pesq: float
) -> dict[str, float]:
    """:func:`composite_unclamped`, clamped to the scale 1..5 (:func:`clamped`)."""
    return clamped(composite_unclamped(reference, estimate, sample_rate, pesq))


def composite_unclamped(
    reference: np.ndarray, estimate: np.ndarray, sample_rate: int, pesq: float
) -> dict[str, float]:
    """CSIG, CBAK and COVL for one pair of signals.

    Args:
        reference: mono clean signal at 16 kHz (or 8 kHz).
        estimate: mono signal to score, same length and rate.
        sample_rate: their rate; the regressions were fitted at 8 kHz and are commonly
            used at 16 kHz.
        pesq: the pair's PESQ, wide band at 16 kHz and narrow band at 8 kHz.

    Returns:
        ``{"csig": ..., "cbak": ..., "covl": ...}``: the regressions' values, which may
        fall outside the scale 1..5.

    Raises:
        MetricError: the signals are too short to frame.
    """
    reference = np.asarray(reference, dtype=np.float64) + EPS
    estimate = np.asarray(estimate, dtype=np.float64) + EPS
    llr_mean = trimmed_mean(llr(reference, estimate, sample_rate))
    wss_mean = trimmed_mean(wss(reference, estimate, sample_rate))
    seg_snr = float(np.mean(segmental_snr(reference, estimate, sample_rate)))
    csig = 3.093 - 1.029 * llr_mean + 0.603 * pesq - 0.009 * wss_mean
    cbak = 1.634 + 0.478 * pesq - 0.007 * wss_mean + 0.063 * seg_snr
    covl = 1.594 + 0.805 * pesq - 0.512 * llr_mean - 0.007 * wss_mean
    return {"csig": float(csig), "cbak": float(cbak), "covl": float(covl)}
