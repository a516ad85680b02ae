"""Batches of files parsed by worker processes, in order, for a load large enough to pay for them.

The first batch is parsed in this process while the workers start (it would only wait for
them), so the first rows come sooner. If the pool cannot start or a worker dies, the
batches it has not delivered are parsed here too. A worker hands its result back through a
file whose name alone goes through the pool's pipe (`hand_back`).
"""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import polars as pl

from core.atomic import Warn
from core.corpus import RowMemo
from core.parallel import made_in_order

FileTask = tuple[str, str, int, int]
"""A file to parse: its display name, absolute path, size and mtime (ns)."""

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
    """Every batch parsed, in order: the first by `parse_here` while the workers start, the
    rest by up to `workers` processes running `in_worker` (which parses a batch and calls
    `hand_back`); stops early when cancelled. Close the iterator when done with it early:
    that stops the pool.
    """
    memo: RowMemo = {}

    def failed(error: BaseException) -> None:
        warn(f"parsing pool failed ({type(error).__name__}: {error}); parsing in one process")

    try:
        folder = tempfile.mkdtemp(prefix="newsdesk-parse-")
    except OSError as error:  # nowhere for results to go back through: no pool
        failed(error)
        for batch in batches:
            if cancel is not None and cancel.is_set():
                return
            yield parse_here(batch, memo)
        return
    try:
        yield from made_in_order(
            [(batch, folder) for batch in batches[1:]],
            in_worker,
            _collect,
            lambda job: parse_here(job[0], memo),
            min(workers, len(batches) - 1),
            failed,
            cancel,
            meanwhile=lambda: parse_here(batches[0], memo),
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
