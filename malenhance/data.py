"""Training data: paired folders or on-the-fly mixing, reproducible from a seed.

Two layouts are recognised under ``--data DIR``:

- paired: ``DIR/noisy`` + ``DIR/clean`` with the same relative file names (also
  VoiceBank-DEMAND's ``noisy_trainset_wav`` / ``clean_trainset_wav`` and any other
  ``noisy<suffix>`` / ``clean<suffix>`` pair of folders);
- dynamic mixing (DNS-Challenge style): ``DIR/clean`` + ``DIR/noise`` [+ ``DIR/rir``].

Every item is keyed by ``(epoch, index)`` and drawn from a random generator seeded with
``(seed, epoch, index)``, so a mixture differs from epoch to epoch yet any batch can be
rebuilt from its position alone: resuming needs no data-loader state. Audio at any rate is
resampled to the model rate; files sampled below it carry ``band_limit_hz`` (half their
native rate) so that the losses can ignore the empty upper band.
"""

from __future__ import annotations

import math
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import soundfile as sf
import torch
import torchaudio.functional as AF
from torch import Tensor
from torch.utils.data import Dataset, Sampler

from malenhance.audio import find_audio, to_mono
from malenhance.errors import DataError, DataWarning
from malenhance.resample import manageable_rates

EARLY_REFLECTIONS_S = 0.05  # reverberant targets keep the direct path plus 50 ms
EXTRA_NOISE_DB = (-10.0, 5.0)  # level of a second noise relative to the first
Key = tuple[int, int]  # (epoch, index)


@dataclass
class DataConfig:
    """How examples are cut and mixed.

    Attributes:
        segment_seconds: length of each training example.
        snr_range: (low, high) SNR in dB of dynamic mixtures, drawn uniformly.
        level_range_db: (low, high) RMS level of the mixture in dBFS, drawn uniformly.
        reverb_prob: share of dynamic mixtures convolved with a room impulse response
            (only when ``DIR/rir`` exists).
        extra_noise_prob: share of dynamic mixtures whose noise is the sum of two noise
            files (the second at -10..+5 dB relative to the first), for denser, more varied
            backgrounds; 0 keeps the single-noise mixtures (and their random streams) as
            they were.
        noise_balance: draw a noise *folder* uniformly (the first level under the noise
            root, e.g. ``real``, ``extra``, ``synth``), then a file in it, so that adding
            many files to one folder does not crowd out the others; off keeps drawing a file
            uniformly (and the random streams as they were).
        clean_prob: share of dynamic mixtures with no noise at all (the input is the target):
            the model must learn to leave clean speech alone; 0 keeps every mixture noisy (and
            the random streams as they were).
        valid_share: held-out share of the files when no validation folder is given.
        valid_max_items: at most this many validation examples.
        valid_seconds: validation clips are cut (or, for mixtures, padded) to this length.
        cache_limit_mb: resampled audio is kept in memory when it fits in this budget.
        seed: the seed every random choice derives from.
    """

    segment_seconds: float = 4.0
    snr_range: tuple[float, float] = (-5.0, 20.0)
    level_range_db: tuple[float, float] = (-35.0, -15.0)
    reverb_prob: float = 0.5
    extra_noise_prob: float = 0.0
    noise_balance: bool = False
    clean_prob: float = 0.0
    valid_share: float = 0.05
    valid_max_items: int = 100
    valid_seconds: float = 8.0
    cache_limit_mb: float = 2048.0
    seed: int = 0


class Example(NamedTuple):
    """One training pair. ``noisy``, ``clean``: ``(L,)`` float32 at the model rate."""

    noisy: Tensor
    clean: Tensor
    band_limit_hz: float


class Batch(NamedTuple):
    """A batch. ``noisy``, ``clean``: ``(B, L)``; ``band_limit_hz``: ``(B,)`` (Nyquist
    for full-band examples)."""

    noisy: Tensor
    clean: Tensor
    band_limit_hz: Tensor

    def to(self, device: torch.device | str, non_blocking: bool = False) -> Batch:
        return Batch(*(t.to(device, non_blocking=non_blocking) for t in self))


def collate(examples: Sequence[Example]) -> Batch:
    """Stack equally long examples into a :class:`Batch`."""
    return Batch(
        torch.stack([e.noisy for e in examples]),
        torch.stack([e.clean for e in examples]),
        torch.tensor([e.band_limit_hz for e in examples], dtype=torch.float32),
    )


# ---------------------------------------------------------------------------- files


def list_audio(folder: Path) -> list[Path]:
    """Audio files under ``folder`` (recursively, :func:`~malenhance.audio.find_audio`), sorted.

    A symbolic link that leads outside ``folder`` is skipped with a warning: a data folder
    from elsewhere must not make training read arbitrary files (link the folder instead).
    """
    inside = Path(folder).resolve()
    files, escaping = [], []
    for p in find_audio(folder):
        (files if inside in p.resolve().parents else escaping).append(p)
    _warn_skipped("files linked from outside their data folder", escaping)
    return files


def pair_files(noisy_dir: Path, clean_dir: Path) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """Match noisy and clean files by relative path.

    Returns:
        the ``(noisy, clean)`` pairs, and the files of either side that have no partner.
    """
    noisy = {p.relative_to(noisy_dir): p for p in list_audio(noisy_dir)}
    clean = {p.relative_to(clean_dir): p for p in list_audio(clean_dir)}
    pairs = [(noisy[name], clean[name]) for name in sorted(noisy.keys() & clean.keys())]
    unpaired = sorted([noisy[n] for n in noisy.keys() - clean.keys()]
                      + [clean[n] for n in clean.keys() - noisy.keys()])
    return pairs, unpaired


@dataclass(frozen=True)
class Layout:
    """What a data folder holds: ``kind`` is ``"paired"`` or ``"mixing"``."""

    kind: str
    noisy: Path | None = None
    clean: Path | None = None
    noise: Path | None = None
    rir: Path | None = None


def detect_layout(root: Path) -> Layout:
    """Recognise the paired or the dynamic-mixing layout of ``root`` (paired wins)."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"data folder {root} does not exist")
    for noisy in sorted(root.glob("noisy*")):
        clean = root / ("clean" + noisy.name[len("noisy"):])
        if noisy.is_dir() and clean.is_dir():
            return Layout("paired", noisy=noisy, clean=clean)
    if (root / "clean").is_dir() and (root / "noise").is_dir():
        rir = root / "rir"
        return Layout("mixing", clean=root / "clean", noise=root / "noise",
                      rir=rir if rir.is_dir() else None)
    raise DataError(
        f"{root} has neither noisy/ + clean/ (paired) nor clean/ + noise/ (dynamic mixing)"
    )


def _warn_skipped(what: str, files: Sequence[Path]) -> None:
    if files:
        listing = ", ".join(str(f) for f in files[:50])
        more = f" and {len(files) - 50} more" if len(files) > 50 else ""
        warnings.warn(DataWarning(f"skipped {len(files)} {what}: {listing}{more}"), stacklevel=3)


# ---------------------------------------------------------------------------- audio access


def _resampler_margin(native: int, target: int) -> int:
    # Native samples of context covering torchaudio's windowed-sinc kernel (6 zero
    # crossings at the lower rate) with room to spare.
    return math.ceil(8 * native / min(native, target)) + 32


class AudioStore:
    """Mono audio at the model rate, read by file index and sample range.

    Files are probed on construction; those that cannot be opened are left out and
    listed in :attr:`bad`. When the resampled audio fits in ``cache_limit_mb`` it is read
    once into memory (and files that fail to decode are left out too); otherwise each
    read decodes only the span it needs.
    """

    def __init__(self, files: Sequence[Path], sample_rate: int, cache_limit_mb: float) -> None:
        self.sample_rate = sample_rate
        self.bad: list[Path] = []
        self.files: list[Path] = []
        self.native_rates: list[int] = []
        self.lengths: list[int] = []
        for path in files:
            try:
                info = sf.info(str(path))
            except Exception:  # soundfile raises several types for broken headers
                self.bad.append(path)
                continue
            if info.frames <= 0:
                self.bad.append(path)
                continue
            # An odd rate (44101 Hz) is read as a close one: exact kernels need gigabytes.
            native, target = manageable_rates(int(info.samplerate), sample_rate)
            native = native if target == sample_rate else int(info.samplerate)
            self.files.append(path)
            self.native_rates.append(native)
            self.lengths.append(math.ceil(info.frames * sample_rate / native))
        self.cache: list[np.ndarray] | None = None
        if sum(self.lengths) * 4 <= cache_limit_mb * 2**20:
            self._fill_cache()

    def _fill_cache(self) -> None:
        keep: list[int] = []
        cache: list[np.ndarray] = []
        for i, path in enumerate(self.files):
            try:
                cache.append(self._decode(i, 0, None))
                keep.append(i)
            except DataError:
                self.bad.append(path)
        self.files = [self.files[i] for i in keep]
        self.native_rates = [self.native_rates[i] for i in keep]
        self.lengths = [len(c) for c in cache]
        self.cache = cache

    def _decode(self, i: int, start: int, length: int | None) -> np.ndarray:
        path, native = self.files[i], self.native_rates[i]
        try:
            if native == self.sample_rate:
                stop = None if length is None else start + length
                audio, _ = sf.read(str(path), start=start, stop=stop, dtype="float32",
                                   always_2d=False)
                return to_mono(audio, np.float32)
            ratio = native / self.sample_rate
            margin = _resampler_margin(native, self.sample_rate)
            # Start on a whole resampling unit so the output grid lands on whole samples.
            unit = native // math.gcd(native, self.sample_rate)
            src_start = max((int(start * ratio) - margin) // unit * unit, 0)
            src_stop = None if length is None else int((start + length) * ratio) + margin + 1
            audio, _ = sf.read(str(path), start=src_start, stop=src_stop, dtype="float32",
                               always_2d=False)
        except Exception as err:
            raise DataError(f"cannot read {path}: {err}") from err
        resampled = AF.resample(torch.from_numpy(to_mono(audio, np.float32).copy()), native,
                                self.sample_rate).numpy()
        offset = start - round(src_start / ratio)
        end = None if length is None else offset + length
        return resampled[offset:end]

    def __len__(self) -> int:
        return len(self.files)

    def band_limit_hz(self, i: int) -> float:
        """Half the file's native rate, capped at the model's Nyquist frequency."""
        return min(self.native_rates[i], self.sample_rate) / 2

    def read(self, i: int, start: int = 0, length: int | None = None) -> np.ndarray:
        """Samples ``[start, start + length)`` of file ``i``, zero-padded past the end."""
        if self.cache is not None:
            audio = self.cache[i][start: None if length is None else start + length]
        else:
            audio = self._decode(i, start, length)
        if length is not None and len(audio) < length:
            audio = np.pad(audio, (0, length - len(audio)))
        return np.ascontiguousarray(audio, dtype=np.float32)


# ---------------------------------------------------------------------------- datasets


def item_rng(seed: int, epoch: int, index: int) -> np.random.Generator:
    """The generator behind item ``index`` of ``epoch``: same inputs, same example."""
    return np.random.default_rng([seed, 2, epoch, index])


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
    with the direct path and early reflections only.
    """

    def __init__(
        self, clean: AudioStore, noise: AudioStore, rir: AudioStore | None, segment: int | None,
        config: DataConfig, seed: int, max_length: int | None = None,
    ) -> None:
        if len(noise) == 0:
            raise DataError("no readable noise files")
        self.clean, self.noise, self.rir = clean, noise, rir
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
        self, rng: np.random.Generator, clean: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        if self.rir is None or len(self.rir) == 0 or rng.random() >= self.config.reverb_prob:
            return clean, clean
        rir = self.rir.read(int(rng.integers(len(self.rir))))
        peak = int(np.argmax(np.abs(rir)))
        rir = rir[peak:] / (np.abs(rir[peak]) + 1e-9)
        early = rir[: int(EARLY_REFLECTIONS_S * self.clean.sample_rate)]
        return _convolve(clean, rir), _convolve(clean, early)

    def __getitem__(self, key: Key | int) -> Example:
        epoch, index = key if isinstance(key, tuple) else (0, key)
        rng = item_rng(self.seed, epoch, index)
        total = self.clean.lengths[index]
        # Validation (no segment) mixes the whole file, up to max_length.
        length = self.segment or min(total, self.max_length or total)
        if total >= length:
            clean = self.clean.read(index, _random_span(rng, total, length), length)
        else:
            clean = np.roll(self.clean.read(index, 0, length),
                            int(rng.integers(length - total + 1)))
        speech, target = self._reverberate(rng, clean)
        noise = self._background(rng, length)
        snr = rng.uniform(*self.config.snr_range)
        speech_power, noise_power = _power(speech), _power(noise) + 1e-12
        gain = math.sqrt(speech_power / (noise_power * 10 ** (snr / 10))) if speech_power > 1e-10 \
            else 1.0
        if self.config.clean_prob and rng.random() < self.config.clean_prob:
            gain = 0.0
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


# ---------------------------------------------------------------------------- sampling


class ShardedBatchSampler(Sampler[list[Key]]):
    """An endless stream of batches of ``(epoch, index)`` keys, sharded over ranks.

    The global stream is the concatenation of one seeded permutation per epoch. Global
    batch ``k`` covers stream positions ``[k * B * W, (k + 1) * B * W)``; rank ``r`` takes
    the ``r``-th slice of ``B`` of them, so ranks never share an item within a batch.
    Starting at ``start_batch`` resumes the stream exactly where it stopped.
    """

    def __init__(
        self, num_items: int, batch_size: int, seed: int, rank: int = 0, world_size: int = 1,
        start_batch: int = 0,
    ) -> None:
        if num_items <= 0:
            raise DataError("no training examples")
        self.num_items, self.batch_size, self.seed = num_items, batch_size, seed
        self.rank, self.world_size, self.start_batch = rank, world_size, start_batch
        self._permutation: tuple[int, np.ndarray] | None = None

    def _order(self, epoch: int) -> np.ndarray:
        if self._permutation is None or self._permutation[0] != epoch:
            rng = np.random.default_rng([self.seed, 1, epoch])
            self._permutation = (epoch, rng.permutation(self.num_items))
        return self._permutation[1]

    def batch_keys(self, batch: int) -> list[Key]:
        """The keys this rank gets for global batch number ``batch``."""
        first = (batch * self.world_size + self.rank) * self.batch_size
        keys = []
        for position in range(first, first + self.batch_size):
            epoch, offset = divmod(position, self.num_items)
            keys.append((epoch, int(self._order(epoch)[offset])))
        return keys

    def __iter__(self) -> Iterator[list[Key]]:
        batch = self.start_batch
        while True:
            yield self.batch_keys(batch)
            batch += 1


# ---------------------------------------------------------------------------- building


def _split(count: int, share: float, seed: int) -> tuple[list[int], list[int]]:
    """Seeded (train, held-out) split of ``range(count)``; at least one item each side."""
    if count < 2:
        raise DataError("need at least 2 files to hold some out for validation "
                        "(or give a validation folder)")
    order = np.random.default_rng([seed, 3, count]).permutation(count)
    held = min(max(1, round(share * count)), count - 1)
    return sorted(order[held:].tolist()), sorted(order[:held].tolist())


def _stores(layout: Layout, sample_rate: int, config: DataConfig) -> dict[str, AudioStore]:
    stores: dict[str, AudioStore] = {}
    bad: list[Path] = []
    if layout.kind == "paired":
        pairs, unpaired = pair_files(layout.noisy, layout.clean)
        _warn_skipped("unpaired files", unpaired)
        # Probe both sides, then keep only pairs whose two files both read.
        noisy = AudioStore([n for n, _ in pairs], sample_rate, 0)
        clean = AudioStore([c for _, c in pairs], sample_rate, 0)
        broken = set(noisy.bad) | set(clean.bad)
        good = [(n, c) for n, c in pairs if n not in broken and c not in broken]
        limit = config.cache_limit_mb / 2
        stores["noisy"] = AudioStore([n for n, _ in good], sample_rate, limit)
        stores["clean"] = AudioStore([c for _, c in good], sample_rate, limit)
        bad += sorted(broken)
        late = set(stores["noisy"].bad) | set(stores["clean"].bad)
        if late:  # decoding failed while caching: rebuild both sides without those pairs
            good = [(n, c) for n, c in good if n not in late and c not in late]
            stores["noisy"] = AudioStore([n for n, _ in good], sample_rate, limit)
            stores["clean"] = AudioStore([c for _, c in good], sample_rate, limit)
            bad += sorted(late)
    else:
        for name in ("clean", "noise", "rir"):
            folder = getattr(layout, name)
            if folder is not None:
                stores[name] = AudioStore(list_audio(folder), sample_rate,
                                          config.cache_limit_mb / 2)
                bad += stores[name].bad
    _warn_skipped("unreadable files", bad)
    if len(stores["clean"]) == 0:
        raise DataError(f"no readable clean/noisy files under {layout.clean.parent}")
    return stores


def _dataset(
    layout: Layout, stores: dict[str, AudioStore], segment: int | None, config: DataConfig,
    seed: int, max_length: int | None = None,
) -> Dataset:
    if layout.kind == "paired":
        return PairedDataset(stores["noisy"], stores["clean"], segment, seed, max_length)
    return MixingDataset(stores["clean"], stores["noise"], stores.get("rir"), segment, config,
                         seed, max_length)


def _subset_store(store: AudioStore, indices: Sequence[int]) -> AudioStore:
    subset = object.__new__(AudioStore)
    subset.__dict__.update(store.__dict__)
    subset.files = [store.files[i] for i in indices]
    subset.native_rates = [store.native_rates[i] for i in indices]
    subset.lengths = [store.lengths[i] for i in indices]
    subset.cache = None if store.cache is None else [store.cache[i] for i in indices]
    return subset


def build_datasets(
    data_dir: Path, sample_rate: int, config: DataConfig, valid_dir: Path | None = None
) -> tuple[Dataset, Dataset]:
    """The training set and the validation set for ``data_dir``.

    Without ``valid_dir`` a seeded share (``config.valid_share``) of the files is held out;
    in the mixing layout the noise files are split too, so validation noise is unseen.
    Training items are ``config.segment_seconds`` long; validation items are whole files
    (or fixed mixtures of whole clean files) cut at ``config.valid_seconds``.
    """
    segment = round(config.segment_seconds * sample_rate)
    valid_length = round(config.valid_seconds * sample_rate)
    layout = detect_layout(Path(data_dir))
    stores = _stores(layout, sample_rate, config)
    # Validation mixtures get their own seed so they never equal a training mixture.
    valid_seed = config.seed + 1_000_003
    if valid_dir is not None:
        valid_layout = detect_layout(Path(valid_dir))
        valid_stores = _stores(valid_layout, sample_rate, config)
        train = _dataset(layout, stores, segment, config, config.seed)
        valid = _dataset(valid_layout, valid_stores, None, config, valid_seed, valid_length)
    else:
        train_idx, valid_idx = _split(len(stores["clean"]), config.valid_share, config.seed)
        split = {name: (_subset_store(s, train_idx), _subset_store(s, valid_idx))
                 for name, s in stores.items() if name in ("clean", "noisy")}
        if "noise" in stores:
            noise = stores["noise"]
            if len(noise) >= 2:
                n_train, n_valid = _split(len(noise), config.valid_share, config.seed + 1)
                split["noise"] = (_subset_store(noise, n_train), _subset_store(noise, n_valid))
            else:
                split["noise"] = (noise, noise)
        if "rir" in stores:
            split["rir"] = (stores["rir"], stores["rir"])
        train = _dataset(layout, {k: v[0] for k, v in split.items()}, segment, config,
                         config.seed)
        valid = _dataset(layout, {k: v[1] for k, v in split.items()}, None, config,
                         valid_seed, valid_length)
    if len(valid) > config.valid_max_items:
        valid = Subset(valid, range(config.valid_max_items))
    return train, valid
