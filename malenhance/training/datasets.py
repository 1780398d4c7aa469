"""Training and validation datasets: paired files, or speech mixed with noise on the fly.

Every item is keyed by ``(epoch, index)`` and drawn from a random generator seeded with
``(seed, epoch, index)``, so a mixture differs from epoch to epoch yet any batch can be
rebuilt from its position alone: resuming needs no data-loader state. Audio at any rate is
resampled to the model rate; files sampled below it carry ``band_limit_hz`` (half their
native rate) so that the losses can ignore the empty upper band.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset

from malenhance.errors import DataError
from malenhance.training.config import DataConfig, PauseFill
from malenhance.training.sources import AudioStore, OriginalStore

EARLY_REFLECTIONS_S = 0.05  # reverberant targets keep the direct path plus 50 ms
EXTRA_NOISE_DB = (-10.0, 5.0)  # level of a second noise relative to the first
# Level steps: 2-4 stretches, the quietest down to LEVEL_STEP_MAX_DB, never below
# LEVEL_STEP_FLOOR_SNR_DB of local SNR (speech under the noise cannot be asked back).
LEVEL_STEP_PIECES = (2, 4)
LEVEL_STEP_MAX_DB = 35.0
LEVEL_STEP_FLOOR_SNR_DB = -5.0
LEVEL_STEP_RAMP_S = 0.02
# Pauses: one silent stretch of PAUSE_SECONDS, starting at least PAUSE_MARGIN_S into the
# segment and ending at least PAUSE_MARGIN_S before its end, so speech comes before and after.
PAUSE_SECONDS = (0.8, 2.0)
PAUSE_MARGIN_S = 0.25
ROOM_TONE_S = 0.2
Key = tuple[int, int]  # (epoch, index)


class Example(NamedTuple):
    """One training pair. ``noisy``, ``clean``: ``(L,)`` float32 at the model rate."""

    noisy: Tensor
    clean: Tensor
    band_limit_hz: float


def item_rng(seed: int, epoch: int, index: int) -> np.random.Generator:
    """The generator behind item ``index`` of ``epoch``: same inputs, same example."""
    return np.random.default_rng([seed, 2, epoch, index])


def level_steps(rng: np.random.Generator, length: int, rate: int, max_db: float) -> np.ndarray:
    """A gain envelope of 2-4 stretches at random levels within ``max_db`` under the loudest
    (one stretch stays at 0 dB), joined by short raised-cosine ramps: one recording whose
    talker, or whose talkers, are at very different levels."""
    pieces = int(rng.integers(LEVEL_STEP_PIECES[0], LEVEL_STEP_PIECES[1] + 1))
    cuts = np.sort(rng.integers(1, max(length, 2), size=pieces - 1))
    gains_db = -rng.uniform(0.0, max_db, size=pieces)
    gains_db[int(rng.integers(pieces))] = 0.0
    steps = np.repeat(10 ** (gains_db / 20), np.diff(np.concatenate([[0], cuts, [length]])))
    ramp = max(1, int(LEVEL_STEP_RAMP_S * rate))
    window = np.hanning(2 * ramp + 1)
    smooth = np.convolve(np.pad(steps, ramp, mode="edge"), window / window.sum(), "valid")
    return smooth[:length].astype(np.float32)


def pause_envelope(rng: np.random.Generator, length: int, rate: int,
                   fade_out_s: float = LEVEL_STEP_RAMP_S) -> np.ndarray:
    """A gain envelope that is 0 over one stretch of 0.8-2 s and 1 elsewhere, faded out
    over ``fade_out_s`` before it (at most the 0.25 s margin) and back in over 20 ms, by
    raised cosines; all ones when the segment is too short to hold it."""
    gap = int(rng.uniform(*PAUSE_SECONDS) * rate)
    margin = int(PAUSE_MARGIN_S * rate)
    envelope = np.ones(length, np.float32)
    if length < gap + 2 * margin:
        return envelope
    start = int(rng.integers(margin, length - margin - gap + 1))
    envelope[start:start + gap] = 0.0
    fade_out = max(1, int(min(fade_out_s, PAUSE_MARGIN_S) * rate))
    envelope[start - fade_out:start] = _raised_cosine(fade_out)  # inside the margin
    fade_in = max(1, int(LEVEL_STEP_RAMP_S * rate))
    envelope[start + gap:start + gap + fade_in] = _raised_cosine(fade_in)[::-1]
    return envelope


def _raised_cosine(size: int) -> np.ndarray:
    """From 1 down to 0 over ``size`` samples."""
    return (0.5 + 0.5 * np.cos(np.linspace(0.0, np.pi, size))).astype(np.float32)


def room_tone(signal: np.ndarray, length: int, rate: int) -> np.ndarray:
    """``length`` samples of ``signal``'s quietest 200 ms, looped with 50 % overlapping
    Hann windows (which sum to one): the recording's own floor, to fill a pause with."""
    size = int(ROOM_TONE_S * rate)
    if len(signal) < size:
        return np.zeros(length, np.float32)
    # energy of every 200 ms window from a running sum: O(length), not O(length x window)
    running = np.concatenate([[0.0], np.cumsum(signal.astype(np.float64) ** 2)])
    start = int(np.argmin(running[size:] - running[:-size]))
    window = np.hanning(size + 1)[:size]  # periodic: shifted by size / 2, sums to one
    hop = size // 2
    out = np.zeros(length + 2 * size)
    for at in range(0, length + size, hop):
        out[at:at + size] += signal[start:start + size] * window
    return out[hop:hop + length].astype(np.float32)


def _random_span(rng: np.random.Generator, total: int, length: int) -> int:
    return int(rng.integers(0, total - length + 1)) if total > length else 0


class PairedDataset(Dataset):
    """Noisy/clean file pairs; training items are random crops (a new one every epoch).

    Items are keyed by ``(epoch, index)`` or by a plain index (epoch 0). With
    ``segment=None`` whole files are returned (validation), cut at ``max_length``.
    """

    def __init__(
        self, noisy: AudioStore, clean: AudioStore, segment: int | None, seed: int,
        max_length: int | None = None,
    ) -> None:
        self.noisy, self.clean = noisy, clean
        self.segment, self.seed, self.max_length = segment, seed, max_length

    def __len__(self) -> int:
        return len(self.clean)

    def __getitem__(self, key: Key | int) -> Example:
        epoch, index = key if isinstance(key, tuple) else (0, key)
        total = min(self.noisy.lengths[index], self.clean.lengths[index])
        if self.segment is None:
            start, length = 0, min(total, self.max_length or total)
        else:
            start = _random_span(item_rng(self.seed, epoch, index), total, self.segment)
            length = self.segment
        noisy = self.noisy.read(index, start, length)
        clean = self.clean.read(index, start, length)
        if self.segment is not None and total < self.segment:
            # Both files are padded with zeros past the shorter one's end.
            noisy[total:], clean[total:] = 0.0, 0.0
        band = min(self.noisy.band_limit_hz(index), self.clean.band_limit_hz(index))
        return Example(torch.from_numpy(noisy), torch.from_numpy(clean), band)


def _convolve(signal: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Linear convolution, truncated to ``len(signal)``."""
    n = len(signal) + len(kernel) - 1
    size = 1 << (n - 1).bit_length()
    out = np.fft.irfft(np.fft.rfft(signal, size) * np.fft.rfft(kernel, size), size)
    return out[: len(signal)].astype(np.float32)


def _power(x: np.ndarray) -> float:
    return float(np.mean(np.square(x, dtype=np.float64)))


def _folder_groups(files: Sequence[Path]) -> list[list[int]]:
    """File indices grouped by their first folder below the files' common root."""
    if not files:
        return []
    root = Path(os.path.commonpath([str(p.parent) for p in files]))
    groups: dict[str, list[int]] = {}
    for i, path in enumerate(files):
        parts = path.relative_to(root).parts
        groups.setdefault(parts[0] if len(parts) > 1 else ".", []).append(i)
    return [groups[k] for k in sorted(groups)]


class MixingDataset(Dataset):
    """Clean speech mixed with noise on the fly: a different mixture every epoch.

    Item ``(epoch, index)`` takes clean file ``index`` (a random segment of it), a random
    noise file (a random segment, looped if short), an SNR drawn from ``snr_range`` and a
    level from ``level_range_db``; with probability ``reverb_prob`` the speech is
    convolved with a random room impulse response, and the target is then the speech
    with the direct path and early reflections only. A clean file with a twin in
    ``original`` (the flawed recording it was made from, :mod:`~malenhance.training.sources`)
    puts that recording into the mixture, the same span, and stays the target.
    """

    def __init__(
        self, clean: AudioStore, noise: AudioStore, rir: AudioStore | None, segment: int | None,
        config: DataConfig, seed: int, max_length: int | None = None,
        original: OriginalStore | None = None,
    ) -> None:
        if len(noise) == 0:
            raise DataError("no readable noise files")
        self.clean, self.noise, self.rir, self.original = clean, noise, rir, original
        self.segment, self.config, self.seed = segment, config, seed
        self.max_length = max_length
        self._noise_folders = _folder_groups(noise.files) if config.noise_balance else None

    def __len__(self) -> int:
        return len(self.clean)

    def _noise(self, rng: np.random.Generator, length: int) -> np.ndarray:
        if self._noise_folders:
            folder = self._noise_folders[int(rng.integers(len(self._noise_folders)))]
            i = folder[int(rng.integers(len(folder)))]
        else:
            i = int(rng.integers(len(self.noise)))
        total = self.noise.lengths[i]
        if total >= length:
            return self.noise.read(i, _random_span(rng, total, length), length)
        whole = self.noise.read(i)
        return np.roll(np.resize(whole, length), int(rng.integers(total)))

    def _background(self, rng: np.random.Generator, length: int) -> np.ndarray:
        noise = self._noise(rng, length)
        if not self.config.extra_noise_prob or rng.random() >= self.config.extra_noise_prob:
            return noise
        second = self._noise(rng, length)
        relative_db = rng.uniform(*EXTRA_NOISE_DB)
        first_rms = math.sqrt(_power(noise) + 1e-12)
        second_rms = math.sqrt(_power(second) + 1e-12)
        return noise + second * (first_rms / second_rms * 10 ** (relative_db / 20))

    def _reverberate(
        self, rng: np.random.Generator, source: np.ndarray, clean: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        if self.rir is None or len(self.rir) == 0 or rng.random() >= self.config.reverb_prob:
            return source, clean
        rir = self.rir.read(int(rng.integers(len(self.rir))))
        peak = int(np.argmax(np.abs(rir)))
        rir = rir[peak:] / (np.abs(rir[peak]) + 1e-9)
        early = rir[: int(EARLY_REFLECTIONS_S * self.clean.sample_rate)]
        return _convolve(source, rir), _convolve(clean, early)

    def _twin(self, index: int) -> int | None:
        if self.original is None:
            return None
        return self.original.twin_of.get(self.clean.files[index])

    def __getitem__(self, key: Key | int) -> Example:
        epoch, index = key if isinstance(key, tuple) else (0, key)
        rng = item_rng(self.seed, epoch, index)
        total = self.clean.lengths[index]
        # Validation (no segment) mixes the whole file, up to max_length.
        length = self.segment or min(total, self.max_length or total)
        if total >= length:
            start, shift = _random_span(rng, total, length), 0
        else:  # a short file, zero-padded, at a random place
            start, shift = 0, int(rng.integers(length - total + 1))

        def cut(store: AudioStore, i: int) -> np.ndarray:
            return np.roll(store.read(i, start, length), shift)

        clean = cut(self.clean, index)
        twin = self._twin(index)
        source = clean if twin is None else cut(self.original, twin)
        speech, target = self._reverberate(rng, source, clean)
        noise = self._background(rng, length)
        snr = rng.uniform(*self.config.snr_range)
        speech_power, noise_power = _power(speech), _power(noise) + 1e-12
        gain = math.sqrt(speech_power / (noise_power * 10 ** (snr / 10))) if speech_power > 1e-10 \
            else 1.0
        if self.config.clean_prob and rng.random() < self.config.clean_prob:
            gain = 0.0
        if self.config.level_steps_prob:
            # Its own stream, so the other draws stay as they were; the SNR keeps its
            # meaning for the loudest stretch.
            steps_rng = np.random.default_rng([self.seed, 3, epoch, index])
            if steps_rng.random() < self.config.level_steps_prob:
                max_db = LEVEL_STEP_MAX_DB if gain == 0.0 else min(
                    LEVEL_STEP_MAX_DB, max(0.0, snr - LEVEL_STEP_FLOOR_SNR_DB))
                envelope = level_steps(steps_rng, length, self.clean.sample_rate, max_db)
                speech, target = speech * envelope, target * envelope
        if self.config.pause_prob:
            pause_rng = np.random.default_rng([self.seed, 4, epoch, index])  # its own stream
            if pause_rng.random() < self.config.pause_prob:
                envelope = pause_envelope(pause_rng, length, self.clean.sample_rate,
                                          self.config.pause_fade_ms / 1000)
                fill = 0.0
                if self.config.pause_fill == PauseFill.ROOM_TONE:
                    fill = (1.0 - envelope) * room_tone(target, length, self.clean.sample_rate)
                speech, target = speech * envelope + fill, target * envelope + fill
        noisy = speech + gain * noise
        level = 10 ** (rng.uniform(*self.config.level_range_db) / 20)
        scale = level / math.sqrt(_power(noisy) + 1e-12)
        peak = max(np.abs(noisy).max(), np.abs(target).max()) * scale
        if peak > 0.99:  # never train on clipped mixtures
            scale *= 0.99 / peak
        noisy, target = (noisy * scale).astype(np.float32), (target * scale).astype(np.float32)
        band = self.clean.band_limit_hz(index)
        return Example(torch.from_numpy(noisy), torch.from_numpy(target), band)


class Subset(Dataset):
    """The items of ``dataset`` at ``indices``, re-indexed from 0 (keys keep their epoch)."""

    def __init__(self, dataset: Dataset, indices: Sequence[int]) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, key: Key | int) -> Example:
        epoch, index = key if isinstance(key, tuple) else (0, key)
        return self.dataset[(epoch, self.indices[index])]
