"""A process pool for work that pays for its start-up: results in order, cancellable, no leftovers.

`WorkerPool` runs a function over items in spawn-started worker processes and
yields the results in the items' order, keeping only a few items in flight so finished
results do not pile up in memory. Workers are started with spawn, never fork: the app
loads corpora from a worker thread, and fork would copy other threads' held locks (Polars
starts threads at import, so a forkserver that preloads it would fork a threaded process).

Leaving the pool (its `with` block) after a cancel or an error stops the workers at once,
without waiting for the items they are on; after a normal end they are joined. Either
way no worker outlives the block.

`made_in_order` is the pool as the load uses it: what it could not deliver (it did not
start, a worker died) is made in this process instead, so a failed pool costs time only.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")
Made = TypeVar("Made")

POOL_FAILURES = (BrokenProcessPool, OSError, pickle.UnpicklingError, EOFError)
"""How a pool fails as a whole (it cannot start, a worker died, a result cannot be read
back): what it has not delivered is then made in this process."""

CANCEL_POLL_SECONDS = 0.05
"""How often a wait for a result looks at the cancel flag."""
IN_FLIGHT_PER_WORKER = 3


def worker_count() -> int:
    """The CPUs this process may run on (its affinity, where the platform says)."""
    counter = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if counter is not None:
        return int(counter() or 1)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform
        return os.cpu_count() or 1


class _StreamWithoutDescriptor(io.TextIOBase):
    """Stands in for sys.stderr while the resource tracker starts: writes go on, no descriptor."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file descriptor")


_TRACKER_LOCK = threading.Lock()


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker even when sys.stderr has no real descriptor.

    While a Textual app runs, sys.stderr is its print capture, whose fileno() is -1; the
    tracker hands that to its child process and fails ("bad value(s) in fds_to_keep"), so
    every pool the app started would fail. A stream whose fileno() raises makes it start
    without one (multiprocessing skips such a stream); writes still reach the capture.
    Call it before starting any process pool.
    """
    from multiprocessing import resource_tracker

    stream = sys.stderr
    try:
        if stream is None or stream.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        return  # multiprocessing skips a stream without a descriptor by itself
    with _TRACKER_LOCK:
        sys.stderr = _StreamWithoutDescriptor(stream)  # type: ignore[arg-type]
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = stream


class WorkerPool(Generic[Item, Result]):
    """`workers` spawn-started processes running `function`; use it as a context manager."""

    def __init__(self, function: Callable[[Item], Result], workers: int) -> None:
        start_resource_tracker()
        self._function = function
        self._workers = workers
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self._stopped = False

    def __enter__(self) -> WorkerPool[Item, Result]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close(now=kind is not None or self._stopped)

    def results(self, items: Iterable[Item], cancel: threading.Event | None) -> Iterator[Result]:
        """`function(item)` for every item, in order; stops early (and marks the pool to be
        stopped at once) when `cancel` is set. The first items go to the workers (which
        start) at once, not when the first result is asked for."""
        pending: deque[Future[Result]] = deque()
        upcoming = iter(items)
        window = self._workers * IN_FLIGHT_PER_WORKER
        for item in upcoming:
            pending.append(self._executor.submit(self._function, item))
            if len(pending) >= window:
                break
        return self._in_order(pending, upcoming, cancel)

    def _in_order(
        self, pending: deque[Future[Result]], upcoming: Iterator[Item], cancel: threading.Event | None
    ) -> Iterator[Result]:
        """The results of `pending`, in order, handing the workers one of `upcoming` for each."""
        while pending:
            future = pending[0]
            while True:
                if cancel is not None and cancel.is_set():
                    self._stopped = True
                    return
                try:
                    result = future.result(timeout=CANCEL_POLL_SECONDS)
                    break
                except FutureTimeout:
                    continue
            pending.popleft()
            for item in upcoming:
                pending.append(self._executor.submit(self._function, item))
                break
            yield result

    def close(self, now: bool) -> None:
        """Shut the pool down: `now` stops the workers mid-item, else they finish theirs."""
        if now:
            self._terminate_workers()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _terminate_workers(self) -> None:
        terminate = getattr(self._executor, "terminate_workers", None)  # Python 3.14+
        if terminate is not None:
            terminate()
            return
        # Before 3.14 the executor offers no way to stop a busy worker; its process table
        # is the only handle on them.
        processes = getattr(self._executor, "_processes", None) or {}
        for process in list(processes.values()):
            if process.is_alive():
                process.terminate()


def made_in_order(
    items: Iterable[Item],
    in_worker: Callable[[Item], Result],
    receive: Callable[[Result], Made],
    here: Callable[[Item], Made],
    workers: int,
    on_failure: Callable[[BaseException], None],
    cancel: threading.Event | None,
    meanwhile: Callable[[], Made] | None = None,
) -> Iterator[Made]:
    """What `here(item)` makes of every item, in order, made by `workers` processes running
    `in_worker` (`receive` turns what one sends back into it). `meanwhile`, when given, is
    made in this process while the workers start, and comes first. If the pool cannot start
    or fails, `on_failure` hears why and what it did not deliver is made here. Stops early
    when `cancel` is set; close the iterator when done with it early: that stops the workers.
    """
    sent: deque[Item] = deque()

    def tracked() -> Iterator[Item]:
        for item in items:
            sent.append(item)
            yield item

    upcoming = tracked()
    first_made = meanwhile is None
    try:
        with WorkerPool(in_worker, workers) as pool:
            later = pool.results(upcoming, cancel)
            if meanwhile is not None:
                first = meanwhile()
                first_made = True
                yield first
            for result in later:
                made = receive(result)
                sent.popleft()  # delivered only once received: a failed read is made here again
                yield made
        return
    except POOL_FAILURES as error:
        on_failure(error)
    if not first_made and meanwhile is not None:
        yield meanwhile()
    for item in [*sent, *upcoming]:
        if cancel is not None and cancel.is_set():
            return
        yield here(item)

