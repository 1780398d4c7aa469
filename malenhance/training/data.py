"""Training data: the datasets of a run (:func:`build_datasets`) and their batches.

The data folder's layout and audio are :mod:`~malenhance.training.sources`'s, the datasets
:mod:`~malenhance.training.datasets`'s, the order of items
:mod:`~malenhance.training.sampler`'s; how examples are cut and mixed is the ``data``
section of the run's configuration (:class:`~malenhance.training.config.DataConfig`).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from multiprocessing import AuthenticationError
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch
from torch import Tensor
from torch.utils.data import Dataset

from malenhance.errors import DataError
from malenhance.training.config import DataConfig
from malenhance.training.datasets import Example, MixingDataset, PairedDataset, Subset
from malenhance.training.sources import (
    AudioStore,
    Layout,
    OriginalStore,
    detect_layout,
    list_audio,
    pair_files,
    warn_skipped,
)


class Batch(NamedTuple):
    """A batch. ``noisy``, ``clean``: ``(B, L)``; ``band_limit_hz``: ``(B,)`` (Nyquist
    for full-band examples)."""

    noisy: Tensor
    clean: Tensor
    band_limit_hz: Tensor

    def to(self, device: torch.device | str, non_blocking: bool = False) -> Batch:
        return Batch(*(t.to(device, non_blocking=non_blocking) for t in self))


def detach_loader_worker(worker_id: int) -> None:
    """A DataLoader worker's ``worker_init_fn``: leave the trainer's process group.

    ``timeout``, a closing terminal and a cluster's preemption signal the whole group. A
    worker that got SIGTERM died of it (torch's own handler), and the trainer stopped in a
    traceback about a killed worker instead of saying how to continue. Only the trainer has
    to hear those signals: it shuts its workers down, and a worker whose trainer has died
    exits on its own (torch's watchdog).
    """
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)
        # Out of the terminal's foreground group, a warning written under `stty tostop`
        # would stop the worker (SIGTTOU) and hang the run.
        signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    sys.excepthook = _quiet_about_hangups(sys.excepthook)


#: What a worker's batch-sending thread meets when the trainer hangs up halfway through
#: taking a batch (an interrupt arrived then).
_HANGUPS = (EOFError, ConnectionError, AuthenticationError)


def _quiet_about_hangups(default: Callable[..., object]) -> Callable[..., None]:
    """Wrap a worker's ``sys.excepthook`` so that a trainer hanging up prints nothing.

    A worker hands each batch's shared memory to the trainer through a thread of
    :mod:`multiprocessing.resource_sharer`, which reports any error of its own through
    ``sys.excepthook``. When Ctrl-C or SIGTERM reaches the trainer while it is taking a
    batch, that thread printed a traceback under the trainer's "interrupted: continue with
    ... --resume" line, as if the run had crashed.
    """

    def hook(kind: type[BaseException], value: BaseException, tb: object) -> None:
        if not issubclass(kind, _HANGUPS):
            default(kind, value, tb)

    return hook


def collate(examples: Sequence[Example]) -> Batch:
    """Stack equally long examples into a :class:`Batch`."""
    return Batch(
        torch.stack([e.noisy for e in examples]),
        torch.stack([e.clean for e in examples]),
        torch.tensor([e.band_limit_hz for e in examples], dtype=torch.float32),
    )


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
        warn_skipped("unpaired files", unpaired)
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
        if layout.original is not None:
            stores["original"] = _originals(layout, stores["clean"], sample_rate, config)
            bad += stores["original"].bad
    warn_skipped("unreadable files", bad)
    if len(stores["clean"]) == 0:
        raise DataError(f"no readable clean/noisy files under {layout.clean.parent}")
    return stores


def _originals(layout: Layout, clean: AudioStore, sample_rate: int,
               config: DataConfig) -> OriginalStore:
    """The recordings under ``original/`` whose clean twin (same relative name) was read;
    originals without a twin are skipped with a warning, a twin of another length refused."""
    twins = {p.relative_to(layout.clean): p for p in clean.files}
    found = {p.relative_to(layout.original): p for p in list_audio(layout.original)}
    warn_skipped("originals without a clean file of the same name",
                 [found[n] for n in sorted(found.keys() - twins.keys())])
    names = sorted(found.keys() & twins.keys())
    store = OriginalStore([found[n] for n in names], [twins[n] for n in names], sample_rate,
                          config.cache_limit_mb / 4)
    length = dict(zip(clean.files, clean.lengths, strict=True))
    for path, i in store.twin_of.items():
        if store.lengths[i] != length[path]:
            raise DataError(f"{store.files[i]} and its clean file {path} differ in length")
    return store


def _dataset(
    layout: Layout, stores: dict[str, AudioStore], segment: int | None, config: DataConfig,
    seed: int, max_length: int | None = None,
) -> Dataset:
    if layout.kind == "paired":
        return PairedDataset(stores["noisy"], stores["clean"], segment, seed, max_length)
    return MixingDataset(stores["clean"], stores["noise"], stores.get("rir"), segment, config,
                         seed, max_length, stores.get("original"))


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
        split = {name: (s.subset(train_idx), s.subset(valid_idx))
                 for name, s in stores.items() if name in ("clean", "noisy")}
        if "noise" in stores:
            noise = stores["noise"]
            if len(noise) >= 2:
                n_train, n_valid = _split(len(noise), config.valid_share, config.seed + 1)
                split["noise"] = (noise.subset(n_train), noise.subset(n_valid))
            else:
                split["noise"] = (noise, noise)
        for name in ("rir", "original"):  # looked up, not indexed: the same for both sides
            if name in stores:
                split[name] = (stores[name], stores[name])
        train = _dataset(layout, {k: v[0] for k, v in split.items()}, segment, config,
                         config.seed)
        valid = _dataset(layout, {k: v[1] for k, v in split.items()}, None, config,
                         valid_seed, valid_length)
    if len(valid) > config.valid_max_items:
        valid = Subset(valid, range(config.valid_max_items))
    return train, valid
