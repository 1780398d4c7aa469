"""One model call for the blocks of many signals at once: the batched engine of corpus runs.

Every signal (a file's channels) keeps its own pipeline, run by its own worker thread through
the usual code (:func:`malenhance.enhance.enhance_file`: reading, resampling, upper band,
mixing, atomic writing). Only the model's transform goes elsewhere: the signal's core
(:class:`BatchCore`) hands its block to a :class:`BatchServer`, whose thread stacks the
blocks that are waiting into one batch, runs the model once (on a GPU, where a batch of 64
costs little more than one) and hands each signal its output and its state back. The state
(conv histories, GRU state) stays with the signal, so each output is the one the signal
would get alone, up to float rounding.

Stacking needs blocks of one length: the engine asks the framing (:class:`FrameStream`) for
exactly ``frames`` frames per call (``frames_per_call``). The last call of a signal may be
shorter; it is padded with zero frames whose spectra are zeroed before the overlap-add, so
its output is exact too, and its state is thrown away with the signal.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import torch

from malenhance.errors import BatchAborted, BatchError
from malenhance.fast_gru import runner_for

if TYPE_CHECKING:
    from malenhance.model import MalNet, State


@dataclass(eq=False)
class _Request:
    span: np.ndarray  # (rows, span) float32, padded to the server's span
    state: State | None  # None: the model's zero state
    frames: int  # valid frames (the rest is padding)
    queued: float = field(default_factory=time.monotonic)
    done: threading.Event = field(default_factory=threading.Event)
    out: np.ndarray | None = None
    new_state: State | None = None
    error: BaseException | None = None  # why it did not run (the client raises BatchAborted)


def _batch_dims(model: MalNet) -> list[int]:
    """The batch dimension of each state tensor (the GRU state has it second)."""
    one, two = model.initial_state(1), model.initial_state(2)
    return [next(d for d, (a, b) in enumerate(zip(s1.shape, s2.shape, strict=True)) if a != b)
            for s1, s2 in zip(one, two, strict=True)]


class BatchServer:
    """Runs ``model`` on the stacked blocks of the signals that wait, in its own thread.

    Args:
        model: the model, on the device it is to run on (eval mode).
        frames: frames per call; every block but a signal's last has exactly this many.
        max_batch: the most blocks (signals) stacked into one call.
        max_wait: seconds a block waits for others before its batch runs anyway (when
            not every open signal is waiting: some are reading or writing).
    """

    def __init__(self, model: MalNet, frames: int, max_batch: int,
                 max_wait: float = 0.02) -> None:
        if frames < 1 or max_batch < 1:
            raise ValueError(f"frames and max_batch must be >= 1, got {frames}, {max_batch}")
        self.model = model.eval()
        self.device = next(model.parameters()).device
        self.frames = frames
        self.span = (frames - 1) * model.hop + model.n_fft
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._rnn = runner_for(model.rnn)  # on the CPU, the per-file path's GRU; else None
        self._dims = _batch_dims(model)
        self._cond = threading.Condition()
        self._queue: list[_Request] = []
        self._clients = 0
        self._stopped = False
        self._failure: BatchError | None = None
        self.calls = 0  # model calls so far
        self.rows = 0  # signals' blocks in them
        self.largest = 0  # the most blocks in one call
        self.model_seconds = 0.0
        self._thread = threading.Thread(target=self._serve, name="malenhance-batch",
                                        daemon=True)
        self._thread.start()

    # ------------------------------------------------------------------ clients
    @contextmanager
    def client(self) -> Iterator[None]:
        """Count the calling thread as one that will send blocks while inside: the server
        runs a part batch at once when every such thread is waiting for it."""
        with self._cond:
            self._clients += 1
        try:
            yield
        finally:
            with self._cond:
                self._clients -= 1
                self._cond.notify_all()

    def run(self, span: np.ndarray, state: State | None, frames: int) -> tuple[np.ndarray, State]:
        """The model's output for ``span`` (``frames`` valid frames) and the state after it;
        blocks until the batch holding it has run."""
        request = _Request(span, state, frames)
        with self._cond:
            if self._stopped:
                raise BatchAborted("the run is stopping")
            self._queue.append(request)
            self._cond.notify_all()
        request.done.wait()
        if request.error is not None:
            raise BatchAborted("the run is stopping") from request.error
        assert request.out is not None and request.new_state is not None
        return request.out, request.new_state

    def stop(self) -> None:
        """End the server: blocks waiting now or sent later raise :class:`BatchAborted`."""
        with self._cond:
            self._stopped = True
            waiting, self._queue = self._queue, []
            self._cond.notify_all()
        for request in waiting:
            request.error = self._failure or BatchAborted("stopped")
            request.done.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=60)

    @property
    def failure(self) -> BatchError | None:
        """The model's error if a batch failed (the server then stopped)."""
        return self._failure

    # ------------------------------------------------------------------ server
    def _take(self) -> list[_Request] | None:
        """The next batch: when full, when every client waits, or when the oldest block has
        waited ``max_wait``; None once stopped."""
        with self._cond:
            while True:
                if self._stopped:
                    return None
                waiting = len(self._queue)
                if waiting and (waiting >= self.max_batch or waiting >= self._clients):
                    break
                if waiting:
                    late = self._queue[0].queued + self.max_wait - time.monotonic()
                    if late <= 0:
                        break
                    self._cond.wait(late)
                else:
                    self._cond.wait()
            batch, self._queue = self._queue[: self.max_batch], self._queue[self.max_batch :]
            return batch

    def _serve(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.set_device(self.device)  # the current GPU is per thread
        while True:
            batch = self._take()
            if batch is None:
                return
            try:
                start = time.perf_counter()
                self._run(batch)
                self.model_seconds += time.perf_counter() - start
            except Exception as err:  # noqa: BLE001  (the run stops with it)
                self._failure = BatchError(f"the model failed on {self.device}: "
                                           f"{type(err).__name__}: {err}")
                self.stop()
                for request in batch:
                    request.error = self._failure
                    request.done.set()
                return
            for request in batch:
                request.done.set()

    @torch.inference_mode()
    def _run(self, batch: list[_Request]) -> None:
        model, device = self.model, self.device
        rows = [r.span.shape[0] for r in batch]
        samples = torch.from_numpy(np.concatenate([r.span for r in batch])).to(device)
        parts = [model.initial_state(n, device) if r.state is None else r.state
                 for r, n in zip(batch, rows, strict=True)]
        # (a state split off a batch is a view; the GRU wants its state contiguous)
        state = [torch.cat([p[i] for p in parts], dim=d) if len(parts) > 1
                 else parts[0][i].contiguous() for i, d in enumerate(self._dims)]
        spec, new_state = model.forward_frames(model.analyze(samples), state, self._rnn)
        valid = [r.frames for r in batch]
        if min(valid) < self.frames:  # a signal's last block: no padded frame may overlap-add
            keep = torch.cat([(torch.arange(self.frames, device=device) < v).expand(n, -1)
                              for v, n in zip(valid, rows, strict=True)])
            spec = spec * keep[:, :, None].to(spec.real.dtype)
        out = model.synthesize(spec).cpu().numpy()
        self.calls += 1
        self.rows += len(batch)
        self.largest = max(self.largest, len(batch))
        split = [torch.split(s, rows, dim=d) for s, d in zip(new_state, self._dims, strict=True)]
        start = 0
        for j, (request, n) in enumerate(zip(batch, rows, strict=True)):
            request.out = out[start : start + n]
            request.new_state = [pieces[j] for pieces in split]
            start += n


class BatchCore:
    """:class:`~malenhance.frames.FrameCore` of one signal whose blocks run in a
    :class:`BatchServer`'s batches; its state stays here between blocks."""

    def __init__(self, server: BatchServer) -> None:
        self.server = server
        self._state: State | None = None
        self._ended = False

    def reset(self, batch: int) -> None:
        self._state = None
        self._ended = False

    def __call__(self, span: np.ndarray) -> np.ndarray:
        server = self.server
        model = server.model
        frames = (span.shape[1] - model.n_fft) // model.hop + 1
        if frames > server.frames or self._ended:
            raise RuntimeError("a batched signal takes whole blocks, a short one last "
                               f"(got {frames} frames for blocks of {server.frames})")
        padded = span
        if frames < server.frames:
            self._ended = True  # the state after padding is not the signal's: reset first
            padded = np.zeros((span.shape[0], server.span), np.float32)
            padded[:, : span.shape[1]] = span
        out, self._state = server.run(padded, self._state, frames)
        return out[:, : span.shape[1]]


class BatchedEngine:
    """An :class:`~malenhance.frames.Engine` whose signals share a :class:`BatchServer`."""

    name = "torch-batched"

    def __init__(self, server: BatchServer) -> None:
        self.server = server
        self.sample_rate = server.model.sample_rate
        self.hop = server.model.hop
        self.n_fft = server.model.n_fft
        self.frames_per_call = server.frames

    def frame_core(self) -> BatchCore:
        return BatchCore(self.server)
