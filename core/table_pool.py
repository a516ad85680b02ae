"""A large text table's batches made into sightings by worker processes, in order.

One table is one file, so a pool over files leaves it to one process, where reading,
cleaning, identifying and language detection of its batches (most of them Python holding
the interpreter's lock) run one after another. Here the first batch is read and made into
sightings in this process, so its rows show at once; then worker processes start and take
the later batches: each worker reads its batch's span of the file itself (only the span's
place goes through the pool's pipe), makes its sightings as `core.table_rows` does here,
and hands them back through a file whose name alone goes through the pipe (as
`core.parse_pool.hand_back` does, for the same reason).

The batches and their codec are the ones `core.table_stream` finds reading the file alone,
so the rows are the same, in the same order. If the pool cannot start or a worker dies,
the batches it has not delivered are read here.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import polars as pl

from core import table_rows
from core.atomic import Warn
from core.corpus import RowMemo
from core.decode import decode
from core.errors import UnreadableFile
from core.parallel import WorkerPool
from core.parse_pool import POOL_FAILURES
from core.table_stream import ChunkRows, TableOutcome, later_rows, split_text_table

SightingsBatch = tuple[pl.DataFrame, int]
"""A batch of a table's sightings and how many bytes of the file are read so far."""


@dataclass(frozen=True, slots=True)
class TablePool:
    """When and how a large table's batches go to worker processes."""

    workers: int
    """Worker processes for one table (1: none, the table is read here)."""
    min_bytes: int
    """A table smaller than this is read here: starting workers would cost more than they save."""
    warn: Warn
    cancel: threading.Event | None = None

    def pays_for(self, size: int) -> bool:
        return self.workers > 1 and size >= self.min_bytes


class _Job(NamedTuple):
    """A later batch for a worker: where it lies in the file, and how to read it."""

    path: str
    shown: str
    suffix: str
    offset: int
    length: int
    header: bytes
    codec: str | None
    folder: str


_worker_memo: RowMemo = {}
"""Rows remembered across the batches one worker makes (it lives for one table)."""


def _job_rows(job: _Job, memo: RowMemo) -> tuple[pl.DataFrame, ChunkRows]:
    """The sightings of a job's batch, and how its rows were read (their frame left out)."""
    with open(job.path, "rb") as handle:
        handle.seek(job.offset)
        data = handle.read(job.length)
    rows = later_rows(job.header + data, job.suffix, decode, job.codec)
    sightings = table_rows.sightings(rows.frame, job.shown, memo)
    return sightings, rows._replace(frame=_NO_ROWS)


_NO_ROWS = pl.DataFrame()

_Result = tuple[str, bool, UnreadableFile | None]
"""What goes back through the pool's pipe: the file the sightings are in, and how the rows were read."""


def _in_worker(job: _Job) -> _Result:
    """A job's sightings made in a worker, written to a file as Arrow IPC (uncompressed: a
    fifth of pickling's time to write, half to read back); only its name goes back."""
    sightings, rows = _job_rows(job, _worker_memo)
    handle, name = tempfile.mkstemp(suffix=".arrow", dir=job.folder)
    with os.fdopen(handle, "wb") as out:
        sightings.write_ipc(out, compression="uncompressed")
    return name, rows.parsed, rows.failure


def _take_back(name: str) -> pl.DataFrame:
    """Sightings a worker wrote, read back from their file, which goes."""
    try:
        return pl.read_ipc(name)
    finally:
        os.unlink(name)


def pooled_table_sightings(
    path: Path, shown: str, suffix: str, whole_limit: int, memo: RowMemo, pool: TablePool
) -> Iterator[SightingsBatch]:
    """Every batch of the text table at `path` as sightings (their `path` is `shown`), with
    the bytes read so far: the first made here, the later ones by `pool.workers` processes.
    Raises as `core.table_stream.stream_text_table` does. Stops early when the pool's
    cancel is set; close the iterator when done with it early: that stops the workers."""
    with open(path, "rb") as handle:
        first, read, spans = split_text_table(handle, suffix, decode, whole_limit, with_data=False)
        outcome = TableOutcome()
        outcome.add(first)
        with tempfile.TemporaryDirectory(prefix="newsdesk-table-") as folder:
            made: deque[_Job] = deque()
            absolute = str(path.resolve())  # a worker's working directory need not be ours

            def jobs() -> Iterator[_Job]:
                for span in spans:
                    job = _Job(absolute, shown, suffix, span.offset, span.length, span.header, span.codec, folder)
                    made.append(job)
                    yield job

            upcoming = jobs()
            # The first rows go out before the workers start: starting them and finding the
            # spans they are given would come before those rows on the screen.
            yield table_rows.sightings(first.frame, shown, memo), read
            try:
                with WorkerPool(_in_worker, pool.workers) as workers:
                    for name, parsed, failure in workers.results(upcoming, pool.cancel):
                        sightings = _take_back(name)
                        job = made.popleft()
                        outcome.add(ChunkRows(_NO_ROWS, parsed, failure))
                        yield sightings, job.offset + job.length
            except POOL_FAILURES as error:
                pool.warn(f"parsing pool failed ({type(error).__name__}: {error}); reading {shown} in one process")
                for job in [*made, *upcoming]:
                    if pool.cancel is not None and pool.cancel.is_set():
                        return
                    sightings, rows = _job_rows(job, memo)
                    outcome.add(rows)
                    yield sightings, job.offset + job.length
    if pool.cancel is not None and pool.cancel.is_set():
        return  # not read to its end: no verdict on the whole file
    outcome.finish()

