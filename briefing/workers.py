"""CPU-bound work (feed parsing, article extraction) in worker processes, in batches.

Extraction is pure Python and holds the GIL, so a big ingest run needs processes.
Handing each page to a ``ProcessPoolExecutor`` on its own costs the event loop a few
milliseconds of thread hand-offs per page; gathering pages into small batches makes
that cost per batch instead.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

Task = Callable[[Any], Any]


class PoolError(RuntimeError):
    """The pool itself failed (could not start, a worker died); the task did not run."""


def _run_batch(func: Task, args: list[Any]) -> list[tuple[bool, Any]]:
    """In the worker: run ``func`` on each argument, keeping results and errors apart."""
    results: list[tuple[bool, Any]] = []
    for arg in args:
        try:
            results.append((True, func(arg)))
        except Exception as exc:  # returned to the caller's await, which raises it
            results.append((False, exc))
    return results


class BatchPool:
    """A process pool fed in batches from an event loop; ``await pool.run(func, arg)``."""

    def __init__(self, workers: int, batch: int = 16, linger: float = 0.05) -> None:
        # forkserver: clean children, not forks of a process with running threads.
        self._pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("forkserver")
        )
        self._batch = batch
        self._linger = linger
        self._pending: dict[Task, list[tuple[Any, asyncio.Future[Any]]]] = {}
        self._timer: asyncio.TimerHandle | None = None

    async def run(self, func: Task, arg: Any) -> Any:
        """Run ``func(arg)`` in a worker; raises what it raised."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        bucket = self._pending.setdefault(func, [])
        bucket.append((arg, future))
        if len(bucket) >= self._batch:
            self._flush(func)
        elif self._timer is None:
            self._timer = loop.call_later(self._linger, self._flush_all)
        return await future

    def _flush_all(self) -> None:
        self._timer = None
        for func in list(self._pending):
            self._flush(func)

    def _flush(self, func: Task) -> None:
        bucket = self._pending.pop(func, [])
        if not bucket:
            return
        waiting = [future for _, future in bucket]
        try:
            submitted = self._pool.submit(_run_batch, func, [arg for arg, _ in bucket])
        except Exception as exc:  # a broken pool: let every waiter see it
            for future in waiting:
                future.set_exception(PoolError(f"worker pool unusable: {exc}"))
            return
        done = asyncio.wrap_future(submitted)
        done.add_done_callback(lambda outcome: _deliver(outcome, waiting))

    def shutdown(self) -> None:
        """Stop the workers once their current work is done."""
        if self._timer is not None:
            self._timer.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)


def _deliver(
    outcome: asyncio.Future[Any] | Future[Any], waiting: list[asyncio.Future[Any]]
) -> None:
    if outcome.cancelled():
        for future in waiting:
            future.cancel()
        return
    error = outcome.exception()
    if error is not None:  # the batch never ran to the end: the pool's fault, not a task's
        for future in waiting:
            if not future.done():
                future.set_exception(PoolError(f"worker pool failed: {error}"))
        return
    for future, (ok, value) in zip(waiting, outcome.result(), strict=True):
        if future.done():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
