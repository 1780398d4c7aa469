"""Signal helpers: resampling, silence trimming, levels, speaker augmentation, mixing."""

from __future__ import annotations

import io
import subprocess

import numpy as np
import soundfile as sf
import torch
import torchaudio
from scipy.signal import fftconvolve


def resample(x: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Band-limited resampling (torchaudio, windowed sinc) of a mono float signal."""
    if rate_in == rate_out:
        return x.astype(np.float32)
    y = torchaudio.functional.resample(
        torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)), rate_in, rate_out,
        lowpass_filter_width=16, rolloff=0.96,
    )
    return y.numpy().astype(np.float32)


def rms_db(x: np.ndarray) -> float:
    """RMS level in dBFS."""
    return float(10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-12))


def frame_db(x: np.ndarray, rate: int, frame_s: float = 0.02) -> np.ndarray:
    """Per-frame energy in dB (non-overlapping frames)."""
    n = max(1, int(rate * frame_s))
    m = len(x) // n
    if m == 0:
        return np.array([rms_db(x)])
    frames = x[: m * n].reshape(m, n).astype(np.float64)
    return 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)


def active_rms_db(x: np.ndarray, rate: int, floor_db: float = -40.0) -> float:
    """RMS over frames within ``floor_db`` of the loudest frame (active speech level)."""
    db = frame_db(x, rate)
    active = db[db > db.max() + floor_db]
    return float(10 * np.log10(np.mean(10 ** (active / 10)) + 1e-12))


def trim_silence(x: np.ndarray, rate: int, floor_db: float = -40.0, max_pause: float = 0.25,
                 edge: float = 0.08) -> np.ndarray:
    """Shorten pauses longer than ``max_pause`` s and leading/trailing silence to ``edge`` s.

    A frame is silent when it is ``floor_db`` below the loudest 20 ms frame.
    """
    n = int(rate * 0.02)
    if len(x) < n:  # shorter than one frame: nothing to trim
        return x.astype(np.float32)
    db = frame_db(x, rate)
    loud = db > db.max() + floor_db
    if not loud.any():
        return x[:0]
    first, last = int(np.argmax(loud)), len(loud) - int(np.argmax(loud[::-1]))
    keep = np.zeros(len(loud), dtype=bool)
    keep[first:last] = True
    max_frames = int(max_pause / 0.02)
    i = first
    while i < last:
        if loud[i]:
            i += 1
            continue
        j = i
        while j < last and not loud[j]:
            j += 1
        if j - i > max_frames:
            half = max_frames // 2
            keep[i + half : j - half] = False
        i = j
    pad = int(edge / 0.02)
    keep[max(0, first - pad) : first] = True
    keep[last : last + pad] = True
    idx = np.repeat(keep, n)
    body = x[: len(idx)][idx]
    return body.astype(np.float32)


def fade(x: np.ndarray, rate: int, ms: float = 10.0) -> np.ndarray:
    """Raised-cosine fade in and out."""
    n = min(len(x) // 2, int(rate * ms / 1000))
    if n <= 1:
        return x
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n, dtype=np.float32))
    y = x.astype(np.float32).copy()
    y[:n] *= ramp
    y[-n:] *= ramp[::-1]
    return y


def set_level(x: np.ndarray, target_db: float, peak: float = 0.97) -> np.ndarray:
    """Scale to ``target_db`` RMS, then down if needed so that the peak stays below ``peak``."""
    y = x * 10 ** ((target_db - rms_db(x)) / 20)
    top = float(np.abs(y).max()) if len(y) else 0.0
    if top > peak:
        y = y * (peak / top)
    return y.astype(np.float32)


def sox_effects(x: np.ndarray, rate: int, effects: list[str]) -> np.ndarray:
    """Run ``sox`` effects (e.g. ``["pitch", "200", "tempo", "1.1"]``) on a mono signal."""
    buf = io.BytesIO()
    sf.write(buf, x.astype(np.float32), rate, format="WAV", subtype="FLOAT")
    proc = subprocess.run(
        ["sox", "-V1", "-t", "wav", "-", "-t", "wav", "-e", "floating-point", "-", *effects],
        input=buf.getvalue(), capture_output=True, check=True, timeout=300,
    )
    y, _ = sf.read(io.BytesIO(proc.stdout), dtype="float32", always_2d=True)
    return y[:, 0]


def formant_warp(x: np.ndarray, rate: int, factor: float, n_fft: int = 1024) -> np.ndarray:
    """Scale the spectral envelope (formants) by ``factor``, keeping pitch and timing.

    The envelope is the cepstrally smoothed log-magnitude of each STFT frame; the excitation
    (fine structure) is kept and multiplied by the envelope read at ``f / factor``.
    ``factor > 1`` mimics a shorter vocal tract.
    """
    if abs(factor - 1.0) < 1e-3 or len(x) < n_fft:
        return x.astype(np.float32)
    hop = n_fft // 4
    win = torch.hann_window(n_fft)
    spec = torch.stft(torch.from_numpy(x.astype(np.float32)), n_fft, hop, window=win,
                      return_complex=True)
    logmag = torch.log(spec.abs() + 1e-7)
    cep = torch.fft.irfft(logmag, n=n_fft, dim=0)
    n_lift = max(8, int(rate / 700))
    lifter = torch.zeros(n_fft)
    lifter[:n_lift] = 1.0
    lifter[-n_lift + 1 :] = 1.0
    env = torch.fft.rfft(cep * lifter[:, None], dim=0).real
    top = env.shape[0] - 1
    bins = torch.arange(env.shape[0], dtype=torch.float32) / factor
    lo = bins.floor().long().clamp(max=top)
    hi = (lo + 1).clamp(max=top)
    w = (bins - lo.float()).clamp(0, 1)[:, None]
    warped = env[lo] * (1 - w) + env[hi] * w
    # Where the source frequency lies in the engine's anti-alias roll-off (or beyond
    # Nyquist), leave the band alone instead of copying the roll-off down into it.
    trust = ((0.9 * top - bins) / (0.1 * top)).clamp(0, 1)[:, None]
    gain = torch.exp((trust * (warped - env)).clamp(-2.3, 2.3))
    y = torch.istft(spec * gain, n_fft, hop, window=win, length=len(x))
    return y.numpy().astype(np.float32)


def speaker_augment(x: np.ndarray, rate: int, semitones: float, formant: float,
                    tempo: float) -> np.ndarray:
    """New "speaker": pitch shift, formant (vocal-tract length) factor and tempo.

    sox ``pitch`` moves formants with the pitch, so the envelope is then warped by
    ``formant / 2**(semitones/12)`` to leave a net formant factor of ``formant``.
    """
    effects: list[str] = []
    if abs(semitones) > 0.05:
        effects += ["pitch", f"{100 * semitones:.0f}"]
    if abs(tempo - 1.0) > 0.005:
        effects += ["tempo", "-s", f"{tempo:.3f}"]
    y = sox_effects(x, rate, effects) if effects else x
    return formant_warp(y, rate, formant / 2 ** (semitones / 12))


def fit_length(noise: np.ndarray, n: int, rng: np.random.Generator, rate: int) -> np.ndarray:
    """A random ``n``-sample stretch of ``noise``, tiled with short cross-fades if too short."""
    if len(noise) >= n:
        start = int(rng.integers(0, len(noise) - n + 1))
        return noise[start : start + n].astype(np.float32)
    xf = min(int(0.02 * rate), len(noise) // 4)
    out = np.zeros(n + len(noise), dtype=np.float32)
    pos = int(rng.integers(0, len(noise)))
    pos = -pos
    ramp = np.linspace(0, 1, xf, dtype=np.float32) if xf > 1 else None
    piece = noise.astype(np.float32).copy()
    if ramp is not None:
        piece[:xf] *= ramp
        piece[-xf:] *= ramp[::-1]
    while pos < n:
        a, b = max(pos, 0), min(pos + len(piece), len(out))
        out[a:b] += piece[a - pos : b - pos]
        pos += len(piece) - max(xf, 0)
    return out[:n]


def reverberate(x: np.ndarray, rir: np.ndarray) -> np.ndarray:
    """Convolve with a room impulse response, keeping the length and the direct-path delay."""
    direct = int(np.argmax(np.abs(rir)))
    y = fftconvolve(x, rir)[direct : direct + len(x)]
    return y.astype(np.float32)


def mix_at_snr(clean: np.ndarray, noise: np.ndarray, snr_db: float, rate: int) -> np.ndarray:
    """Scale ``noise`` so that active-speech-level / noise RMS equals ``snr_db``; return noisy."""
    speech_db = active_rms_db(clean, rate)
    gain = 10 ** ((speech_db - snr_db - rms_db(noise)) / 20)
    return (clean + gain * noise).astype(np.float32)


def band_share_db(x: np.ndarray, rate: int, lo: float, hi: float) -> float:
    """Share of the signal's energy between ``lo`` and ``hi`` Hz, in dB."""
    power = np.abs(np.fft.rfft(x.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(x), 1 / rate)
    band = power[(freqs >= lo) & (freqs < hi)].sum()
    return float(10 * np.log10(band / (power.sum() + 1e-20) + 1e-20))


def cut_at_pause(x: np.ndarray, rate: int, seconds: float, search_s: float = 1.5,
                 floor_db: float = -35.0) -> np.ndarray:
    """Cut to about ``seconds``: at the last quiet 20 ms frame within ``search_s`` before it
    (a pause), else exactly there; a 30 ms fade-out either way."""
    end = min(len(x), int(seconds * rate))
    if end < len(x):
        db = frame_db(x[:end], rate)
        n = int(rate * 0.02)
        first = max(0, len(db) - int(search_s / 0.02))
        quiet = np.flatnonzero(db[first:] < db.max() + floor_db)
        if len(quiet):
            end = (first + int(quiet[-1]) + 1) * n
    return fade(x[:end], rate, 30.0)
