"""Where training examples come from: data folders, their layout, and their audio.

Two layouts are recognised under ``--data DIR``:

- paired: ``DIR/noisy`` + ``DIR/clean`` with the same relative file names (also
  VoiceBank-DEMAND's ``noisy_trainset_wav`` / ``clean_trainset_wav`` and any other
  ``noisy<suffix>`` / ``clean<suffix>`` pair of folders);
- dynamic mixing (DNS-Challenge style): ``DIR/clean`` + ``DIR/noise`` [+ ``DIR/rir``]
  [+ ``DIR/original``: for a clean file made from a flawed recording (e.g. a teacher
  enhancer's output), the recording itself under the same relative name; the mixture then
  holds the recording, the target stays the clean file].

:class:`AudioStore` serves their audio, mono at the model rate, whatever the files' rates.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
import torch

from malenhance._torchaudio import functional as AF
from malenhance.audio import find_audio, to_mono
from malenhance.errors import DataError, DataWarning
from malenhance.resample import manageable_rates


def list_audio(folder: Path) -> list[Path]:
    """Audio files under ``folder`` (recursively, :func:`~malenhance.audio.find_audio`), sorted.

    A symbolic link that leads outside ``folder`` is skipped with a warning: a data folder
    from elsewhere must not make training read arbitrary files (link the folder instead).
    """
    inside = Path(folder).resolve()
    files, escaping = [], []
    for p in find_audio(folder):
        (files if inside in p.resolve().parents else escaping).append(p)
    warn_skipped("files linked from outside their data folder", escaping)
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
    original: Path | None = None


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
        rir, original = root / "rir", root / "original"
        return Layout("mixing", clean=root / "clean", noise=root / "noise",
                      rir=rir if rir.is_dir() else None,
                      original=original if original.is_dir() else None)
    raise DataError(
        f"{root} has neither noisy/ + clean/ (paired) nor clean/ + noise/ (dynamic mixing)"
    )


def warn_skipped(what: str, files: Sequence[Path]) -> None:
    """One :class:`~malenhance.errors.DataWarning` listing skipped files (the first 50)."""
    if files:
        listing = ", ".join(str(f) for f in files[:50])
        more = f" and {len(files) - 50} more" if len(files) > 50 else ""
        warnings.warn(DataWarning(f"skipped {len(files)} {what}: {listing}{more}"), stacklevel=3)


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

    def subset(self, indices: Sequence[int]) -> AudioStore:
        """A store of the files at ``indices`` (sharing the cache, no file read again)."""
        subset = object.__new__(AudioStore)
        subset.__dict__.update(self.__dict__)
        subset.files = [self.files[i] for i in indices]
        subset.native_rates = [self.native_rates[i] for i in indices]
        subset.lengths = [self.lengths[i] for i in indices]
        subset.cache = None if self.cache is None else [self.cache[i] for i in indices]
        return subset

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


class OriginalStore(AudioStore):
    """The flawed recordings that clean files were made from: :attr:`twin_of` maps a clean
    file's path to the index of its recording here."""

    def __init__(self, files: Sequence[Path], twins: Sequence[Path], sample_rate: int,
                 cache_limit_mb: float) -> None:
        super().__init__(files, sample_rate, cache_limit_mb)
        twin = dict(zip(files, twins, strict=True))
        self.twin_of = {twin[path]: i for i, path in enumerate(self.files)}
