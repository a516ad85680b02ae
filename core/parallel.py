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

import contextlib
import io
import itertools
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

_NO_ITEM = object()
CANCEL_POLL_SECONDS = 0.05
"""How often a wait for a result looks at the cancel flag."""
IN_FLIGHT_PER_WORKER = 3
POOL_MIN_BYTES = 64 * 1024 * 1024
"""Below this many bytes to parse, a load stays in this process: starting worker processes
costs more than they save on a smaller corpus (docs/decisions.md, "Parsing pool")."""


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


BACKGROUND_NICENESS = 10
"""How much lower a background pool's workers run than this process: the interface stays
first on the CPU while they work (10 gives a worker about a tenth of a busy core's time)."""


def _lower_priority(pid: int) -> None:
    """Run the process `pid` at BACKGROUND_NICENESS (where the platform can)."""
    setpriority = getattr(os, "setpriority", None)
    if setpriority is not None:
        with contextlib.suppress(OSError):
            setpriority(os.PRIO_PROCESS, pid, BACKGROUND_NICENESS)


class WorkerPool(Generic[Item, Result]):
    """`workers` spawn-started processes running `function`; use it as a context manager.

    Items are handed to it (`hand`) and their results taken in order (`results`), so a pool
    can be handed its first items well before anyone asks for their results. `window`
    items at most are in the workers' hands at once (default: IN_FLIGHT_PER_WORKER each).
    A `background` pool's workers run at a lower priority than this process."""

    def __init__(
        self, function: Callable[[Item], Result], workers: int, *, window: int | None = None, background: bool = False
    ) -> None:
        start_resource_tracker()
        self._function = function
        self._window = window or workers * IN_FLIGHT_PER_WORKER
        self._executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        self._background = background
        self._lowered: set[int] = set()
        self._stopped = False
        self._pending: deque[Future[Result]] = deque()
        self._upcoming: Iterator[Item] = iter(())
        self.sent: deque[Item] = deque()
        """Items handed to the workers whose results are not yet `delivered`, in order."""

    def __enter__(self) -> WorkerPool[Item, Result]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close(now=kind is not None or self._stopped)

    def hand(self, items: Iterable[Item]) -> None:
        """Give the workers `items`, after any handed before; the first go to them (and they
        start) at once."""
        self._upcoming = itertools.chain(self._upcoming, items)
        self._fill()

    def _fill(self) -> None:
        while len(self._pending) < self._window:
            item = next(self._upcoming, _NO_ITEM)
            if item is _NO_ITEM:
                return
            self.sent.append(item)  # type: ignore[arg-type]  # first: should the submit fail, it is still to do
            self._pending.append(self._executor.submit(self._function, item))
            if self._background:
                self._lower_new_workers()

    def _lower_new_workers(self) -> None:
        """Lower the priority of workers started since the last look, from here: a worker of
        its own would do so only after its interpreter has started and imported its modules,
        which is most of its start-up's time."""
        for pid in self._worker_pids():
            if pid not in self._lowered:
                self._lowered.add(pid)
                _lower_priority(pid)

    def _worker_pids(self) -> list[int]:
        return [pid for pid in self._worker_processes() if isinstance(pid, int)]

    def _worker_processes(self) -> dict[object, multiprocessing.process.BaseProcess]:
        # Before Python 3.14 the executor offers no list of its workers; its process table
        # is the only one.
        return dict(getattr(self._executor, "_processes", None) or {})

    def delivered(self) -> None:
        """The oldest result taken has been used: its item is done (until then a failed pool
        leaves it to be made elsewhere)."""
        self.sent.popleft()

    def undelivered(self) -> list[Item]:
        """Every item handed and not delivered, in order (what a failed pool leaves to do)."""
        return [*self.sent, *self._upcoming]

    def results(self, cancel: threading.Event | None) -> Iterator[Result]:
        """`function(item)` for every item handed, in order, handing the workers another item
        for each; stops early (and marks the pool to be stopped at once) when `cancel` is set."""
        while self._pending:
            future = self._pending[0]
            while True:
                if cancel is not None and cancel.is_set():
                    self._stopped = True
                    return
                try:
                    result = future.result(timeout=CANCEL_POLL_SECONDS)
                    break
                except FutureTimeout:
                    continue
            self._pending.popleft()
            self._fill()
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
        for process in self._worker_processes().values():  # no other way to stop a busy one
            if process.is_alive():
                process.terminate()


Then = Callable[[], tuple[Made, list[Item]]]
"""Called once every item's result is in: what to yield at that point, and the items of a
second round (made from what came back), for the same workers."""


def made_in_order(
    items: Iterable[Item],
    in_worker: Callable[[Item], Result],
    receive: Callable[[Result], Made],
    here: Callable[[Item], Made],
    workers: int,
    on_failure: Callable[[BaseException], None],
    cancel: threading.Event | None,
    meanwhile: Callable[[], Made] | None = None,
    pool: WorkerPool[Item, Result] | None = None,
    then: Then[Made, Item] | None = None,
) -> Iterator[Made]:
    """What `here(item)` makes of every item, in order, made by `workers` processes running
    `in_worker` (`receive` turns what one sends back into it). `meanwhile`, when given, is
    made in this process while the workers start, and comes first. `pool`, when given, is a
    pool of `in_worker` already started on items that come before `items`: their results
    come first, and the pool is this call's to close. `then`, when given, is called once
    all those results are in: what it answers comes next, then what its items make, in
    order. If the pool cannot start or fails, `on_failure` hears why and what it did not
    deliver is made here. Stops early when `cancel` is set; close the iterator when done
    with it early: that stops the workers.
    """
    first_made = meanwhile is None
    second: list[Item] | None = None
    """The second round's items, once `then` has given them."""
    active: WorkerPool[Item, Result] | None = pool
    try:
        with pool or WorkerPool(in_worker, workers) as active:
            active.hand(items)
            later = active.results(cancel)
            if meanwhile is not None:
                first = meanwhile()
                first_made = True
                yield first
            yield from _received(active, later, receive)
            if then is None or (cancel is not None and cancel.is_set()):
                return
            announced, second = then()
            active.hand(second)  # first: the workers start on them while `announced` is used
            yield announced
            yield from _received(active, active.results(cancel), receive)
        return
    except POOL_FAILURES as error:
        on_failure(error)
    if not first_made and meanwhile is not None:
        yield meanwhile()
    for item in active.undelivered() if active is not None else items:
        if cancel is not None and cancel.is_set():
            return
        yield here(item)
    if then is not None and second is None:
        announced, second = then()
        yield announced
        for item in second:
            if cancel is not None and cancel.is_set():
                return
            yield here(item)


def _received(
    active: WorkerPool[Item, Result], results: Iterator[Result], receive: Callable[[Result], Made]
) -> Iterator[Made]:
    for result in results:
        made = receive(result)
        active.delivered()  # only once received: a failed read is made here again
        yield made
