"""Frame-by-frame transcription of Loizou's composite measures (``composite.m``, ``llr.m``,
``wss.m``, ``comp_snr.m``) in the form of the CMGAN ``compute_metrics.py`` port.

Slow on purpose: one Python loop per frame, written as close to the published loops as
possible, so the vectorised :mod:`malenhance.scoring.composite` can be checked against it.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import toeplitz

from malenhance.scoring.composite import BAND_CENTRES, BAND_WIDTHS


def _hann(winlength: int) -> np.ndarray:
    return 0.5 * (1 - np.cos(2 * math.pi * np.arange(1, winlength + 1) / (winlength + 1)))


def wss_loop(clean: np.ndarray, processed: np.ndarray, fs: int) -> np.ndarray:
    clean, processed = clean / 32768, processed / 32768
    winlength = round(30 * fs / 1000)
    skiprate = winlength // 4
    max_freq = fs // 2
    num_crit = 25
    n_fft = int(2 ** np.ceil(np.log2(2 * winlength)))
    n_fftby2 = n_fft // 2
    kmax, klocmax = 20.0, 1.0
    bw_min = BAND_WIDTHS[0]
    min_factor = math.exp(-30.0 / (2.0 * 2.303))
    crit_filter = np.empty((num_crit, n_fftby2))
    j = np.arange(n_fftby2)
    for i in range(num_crit):
        f0 = BAND_CENTRES[i] / max_freq * n_fftby2
        bw = BAND_WIDTHS[i] / max_freq * n_fftby2
        norm_factor = np.log(bw_min) - np.log(BAND_WIDTHS[i])
        crit_filter[i] = np.exp(-11 * ((j - np.floor(f0)) / bw) ** 2 + norm_factor)
        crit_filter[i] = np.where(crit_filter[i] > min_factor, crit_filter[i], 0)
    num_frames = int(len(clean) / skiprate - winlength / skiprate)
    window = _hann(winlength)
    distortion = np.empty(num_frames)
    start = 0
    for frame in range(num_frames):
        c = clean[start : start + winlength] * window
        p = processed[start : start + winlength] * window
        c_spec = np.abs(np.fft.fft(c, n_fft)) ** 2
        p_spec = np.abs(np.fft.fft(p, n_fft)) ** 2
        c_energy = 10 * np.log10(np.maximum(crit_filter @ c_spec[:n_fftby2], 1e-10))
        p_energy = 10 * np.log10(np.maximum(crit_filter @ p_spec[:n_fftby2], 1e-10))
        c_slope = c_energy[1:] - c_energy[:-1]
        p_slope = p_energy[1:] - p_energy[:-1]
        c_peak = np.empty(num_crit - 1)
        p_peak = np.empty(num_crit - 1)
        for i in range(num_crit - 1):
            for slope, energy, peak in ((c_slope, c_energy, c_peak), (p_slope, p_energy, p_peak)):
                n = i
                if slope[i] > 0:
                    while n < num_crit - 1 and slope[n] > 0:
                        n += 1
                    peak[i] = energy[n - 1]
                else:
                    while n >= 0 and slope[n] <= 0:
                        n -= 1
                    peak[i] = energy[n + 1]
        w_c = (kmax / (kmax + c_energy.max() - c_energy[:-1])) * (
            klocmax / (klocmax + c_peak - c_energy[:-1]))
        w_p = (kmax / (kmax + p_energy.max() - p_energy[:-1])) * (
            klocmax / (klocmax + p_peak - p_energy[:-1]))
        w = (w_c + w_p) / 2
        distortion[frame] = np.dot(w, (c_slope - p_slope) ** 2) / np.sum(w)
        start += skiprate
    return distortion


def _lpcoeff(frame: np.ndarray, order: int) -> tuple[np.ndarray, np.ndarray]:
    winlength = len(frame)
    r = np.array([np.dot(frame[: winlength - k], frame[k:]) for k in range(order + 1)])
    a = np.ones(order)
    a_past = np.empty(order)
    e = np.empty(order + 1)
    e[0] = r[0]
    for i in range(order):
        a_past[:i] = a[:i]
        sum_term = np.dot(a_past[:i], r[i:0:-1])
        rcoeff = (r[i + 1] - sum_term) / e[i]
        a[i] = rcoeff
        if i > 0:
            a[:i] = a_past[:i] - rcoeff * a_past[i - 1 :: -1]
        e[i + 1] = (1 - rcoeff * rcoeff) * e[i]
    return r, np.concatenate(([1.0], -a))


def llr_loop(clean: np.ndarray, processed: np.ndarray, fs: int) -> np.ndarray:
    winlength = round(30 * fs / 1000)
    skiprate = winlength // 4
    order = 10 if fs < 10000 else 16
    num_frames = int((len(clean) - winlength) / skiprate)
    window = _hann(winlength)
    distortion = np.empty(num_frames)
    start = 0
    for frame in range(num_frames):
        r_c, a_c = _lpcoeff(clean[start : start + winlength] * window, order)
        _, a_p = _lpcoeff(processed[start : start + winlength] * window, order)
        numerator = a_p @ toeplitz(r_c) @ a_p
        denominator = a_c @ toeplitz(r_c) @ a_c
        distortion[frame] = math.log(numerator / denominator)
        start += skiprate
    return distortion


def segsnr_loop(clean: np.ndarray, processed: np.ndarray, fs: int) -> np.ndarray:
    winlength = round(30 * fs / 1000)
    skiprate = winlength // 4
    num_frames = int(len(clean) / skiprate - winlength / skiprate)
    window = _hann(winlength)
    eps = np.spacing(1)
    out = np.empty(num_frames)
    start = 0
    for frame in range(num_frames):
        c = clean[start : start + winlength] * window
        p = processed[start : start + winlength] * window
        snr = 10 * math.log10(np.sum(c**2) / (np.sum((c - p) ** 2) + eps) + eps)
        out[frame] = min(max(snr, -10), 35)
        start += skiprate
    return out


def composite_loop(clean: np.ndarray, processed: np.ndarray, fs: int, pesq: float) -> dict:
    clean = clean.astype(np.float64) + np.spacing(1)
    processed = processed.astype(np.float64) + np.spacing(1)
    alpha = 0.95
    wss_v = np.sort(wss_loop(clean, processed, fs))
    wss_dist = np.mean(wss_v[: round(len(wss_v) * alpha)])
    llr_v = np.sort(llr_loop(clean, processed, fs))
    llr_mean = np.mean(llr_v[: round(len(llr_v) * alpha)])
    seg = np.mean(segsnr_loop(clean, processed, fs))
    csig = 3.093 - 1.029 * llr_mean + 0.603 * pesq - 0.009 * wss_dist
    cbak = 1.634 + 0.478 * pesq - 0.007 * wss_dist + 0.063 * seg
    covl = 1.594 + 0.805 * pesq - 0.512 * llr_mean - 0.007 * wss_dist
    return {
        "csig": min(max(csig, 1), 5), "cbak": min(max(cbak, 1), 5), "covl": min(max(covl, 1), 5),
        "llr": llr_mean, "wss": wss_dist, "segsnr": seg,
    }
