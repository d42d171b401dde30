"""CPU-bound work (feed parsing, article extraction) in worker processes, in batches.

Extraction is pure Python and holds the GIL, so a big ingest run needs processes.
Handing each page to a ``ProcessPoolExecutor`` on its own costs the event loop a few
milliseconds of thread hand-offs per page; gathering pages into small batches makes
that cost per batch instead.

Worker processes never outlive brief, however it ends: each worker asks Linux to kill
it when its parent goes (``PR_SET_PDEATHSIG``; the forkserver parent exits as soon as
brief does) and also polls for brief itself, and ``brief`` turns SIGTERM into a normal
exit so pools are shut down on the way out. ``process_pool`` is the one way to start
them.
"""

from __future__ import annotations

import asyncio
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from types import FrameType
from typing import Any

Task = Callable[[Any], Any]


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_INTERVAL = 0.5  # seconds between a worker's checks that brief is still running


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process (SIGKILL and SIGTERM included)."""
    # forkserver: clean children, not forks of a process with running threads.
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("forkserver"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def die_with_parent(brief_pid: int) -> None:
    """In a worker: arrange to exit when brief exits, whatever the way it ended."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watcher thread below still ends the worker, a moment later
    # The parent may have gone before prctl took effect; the watcher also covers
    # systems without prctl and a parent that is not brief itself (the forkserver).
    threading.Thread(
        target=_watch, args=(brief_pid, parent), name="brief-watch", daemon=True
    ).start()


def _watch(brief_pid: int, parent: int) -> None:
    while True:
        if os.getppid() != parent or not _alive(brief_pid):
            os._exit(1)
        time.sleep(WATCH_INTERVAL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit(143) so cleanup (pools, locks, stores) runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends it at once
        raise SystemExit(128 + signum)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handler)


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
        self._pool = process_pool(workers)
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
