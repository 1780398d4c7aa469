"""Enhance many files in parallel worker processes (one model copy per worker).

Small files are dominated by per-call overheads that a single process cannot overlap;
on a CPU, N one-thread workers beat one N-thread process for a folder of short files.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

from malenhance.enhance import DEFAULT_BLOCK_SECONDS, EnhanceResult, enhance_file
from malenhance.errors import MalenhanceError
from malenhance.files import Job

_worker_model = None


def _init_worker(model_spec: str, device: str, threads: int) -> None:
    global _worker_model
    import torch

    from malenhance.hub import load_model
    from malenhance.workers import exit_with_parent

    exit_with_parent()
    torch.set_num_threads(threads)
    _worker_model = load_model(model_spec, device=device)


def _run(job: Job, strength: float, overwrite: bool, block_seconds: float) -> EnhanceResult | str:
    try:
        return enhance_file(
            _worker_model, job.source, job.destination, strength=strength,
            overwrite=overwrite, block_seconds=block_seconds,
        )
    except MalenhanceError as err:
        return str(err)
    except Exception as err:  # noqa: BLE001  (reported per file; the batch goes on)
        return f"{job.source}: unexpected {type(err).__name__}: {err} (please report this bug)"


def enhance_parallel(
    jobs: list[Job],
    model_spec: str,
    *,
    workers: int,
    device: str = "cpu",
    threads_per_worker: int = 1,
    strength: float = 1.0,
    overwrite: bool = False,
    block_seconds: float = DEFAULT_BLOCK_SECONDS,
) -> Iterator[tuple[Job, EnhanceResult | str]]:
    """Yield ``(job, result)`` as files finish; ``result`` is an error message on failure.

    The model is loaded once per worker from ``model_spec`` (load it once in the parent
    first, so that a bad spec fails before any worker starts).
    """
    context = get_context("spawn")  # fork would share torch's thread pools unsafely
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(model_spec, device, threads_per_worker),
    ) as pool:
        futures = {
            pool.submit(_run, job, strength, overwrite, block_seconds): job for job in jobs
        }
        for future in as_completed(futures):
            yield futures[future], future.result()
