"""The order of training items: an endless, seeded, resumable stream sharded over ranks."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from torch.utils.data import Sampler

from malenhance.errors import DataError
from malenhance.training.datasets import Key


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
