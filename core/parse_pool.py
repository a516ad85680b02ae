"""Batches of files parsed by worker processes, in order, for a load large enough to pay for them.

The first batch is parsed in this process while the workers start (it would only wait for
them), so the first rows come sooner. If the pool cannot start or a worker dies, the
batches it has not delivered are parsed here too. A worker hands its result back through a
file whose name alone goes through the pool's pipe (`hand_back`).
"""

from __future__ import annotations

import os
import pickle
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import polars as pl

from core.atomic import Warn
from core.corpus import RowMemo
from core.parallel import WorkerPool

FileTask = tuple[str, str, int, int]
"""A file to parse: its display name, absolute path, size and mtime (ns)."""

POOL_FAILURES = (BrokenProcessPool, OSError, pickle.UnpicklingError, EOFError)
"""How a pool fails as a whole (a worker died, a result file is unreadable): what it has
not delivered is then parsed in this process."""

WorkerJob = tuple[Sequence[FileTask], str]
"""A batch for a worker, and the folder its result goes to."""


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """The sightings (SNAPSHOT_SCHEMA) of a batch of files, in order, and for each file why
    it contributed nothing (if it did not) and how many rows."""

    frame: pl.DataFrame
    files: list[tuple[tuple[str, ...], int]]


ParseBatch = Callable[[Sequence[FileTask], RowMemo | None], ParsedBatch]


def hand_back(parsed: ParsedBatch, folder: str) -> str:
    """Put a batch a worker parsed into a file in `folder`; its name is what goes back
    through the pool's pipe.

    A worker killed while writing a large result into the pipe leaves a partial message
    there that the pool's reader waits on forever (the parent keeps the pipe's write end
    open); a file name is written whole, as pipe writes under PIPE_BUF are.
    """
    handle, name = tempfile.mkstemp(suffix=".batch", dir=folder)
    with os.fdopen(handle, "wb") as out:
        pickle.dump(parsed, out, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def _collect(name: str) -> ParsedBatch:
    """A batch a worker parsed, read back from its file, which goes."""
    try:
        with open(name, "rb") as handle:
            parsed: ParsedBatch = pickle.load(handle)
    finally:
        os.unlink(name)
    return parsed


def pooled(
    batches: list[list[FileTask]],
    parse_here: ParseBatch,
    in_worker: Callable[[WorkerJob], str],
    workers: int,
    warn: Warn,
    cancel: threading.Event | None,
) -> Iterator[ParsedBatch]:
    """Every batch parsed, in order: the first by `parse_here`, the rest by up to `workers`
    processes running `in_worker` (which parses a batch and calls `hand_back`); stops early
    when cancelled. Close the iterator when done with it early: that stops the pool.
    """
    delivered = 0
    memo: RowMemo = {}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="newsdesk-parse-") as folder,
            WorkerPool(in_worker, min(workers, len(batches) - 1)) as pool,
        ):
            later = pool.results([(batch, folder) for batch in batches[1:]], cancel)
            yield parse_here(batches[0], memo)
            delivered += 1
            for name in later:
                parsed = _collect(name)
                delivered += 1
                yield parsed
        return
    except POOL_FAILURES as error:
        warn(f"parsing pool failed ({type(error).__name__}: {error}); parsing in one process")
    for batch in batches[delivered:]:
        if cancel is not None and cancel.is_set():
            return
        yield parse_here(batch, memo)
