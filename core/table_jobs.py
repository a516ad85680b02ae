"""What a worker process makes of one batch of a large table (a `core.table_spans.TableJob`),
and how those sightings come back: written as an Arrow IPC file whose name alone goes
through the pool's pipe (as `core.parse_pool.hand_back` does, for the same reason).

The pool of `core.table_pool`, and the one begun at launch (`core.table_head_start`), run
`in_worker`; `job_rows` makes the same sightings here when a pool could not.
"""

from __future__ import annotations

import os
import tempfile

import polars as pl

from core import table_rows
from core.corpus import RowMemo
from core.decode import decode
from core.errors import UnreadableFile
from core.table_spans import TableJob
from core.table_stream import ChunkRows, first_rows, later_rows

_worker_memo: RowMemo = {}
"""Rows remembered across the batches one worker makes (it lives for one table)."""


Made = tuple[pl.DataFrame, ChunkRows, int]
"""A batch's sightings, how its rows were read (their frame left out), and where it ends."""


def job_rows(job: TableJob, memo: RowMemo) -> Made:
    """What a job's batch makes, here or in a worker."""
    with open(job.path, "rb") as handle:
        handle.seek(job.offset)
        data = handle.read(job.length)
    # The first batch is read as the load reads it (core.table_stream.split_text_table).
    rows = first_rows(data, job.suffix, decode) if job.offset == 0 else later_rows(job.header + data, job.suffix, decode, job.codec)
    sightings = table_rows.sightings(rows.frame, job.shown, memo)
    return sightings, rows._replace(frame=_NO_ROWS), job.offset + job.length


_NO_ROWS = pl.DataFrame()

JobResult = tuple[str, bool, UnreadableFile | None, int]
"""What goes back through the pool's pipe: the file the sightings are in, how the rows were
read, and where the batch ends."""


def in_worker(job: TableJob) -> JobResult:
    """A job's sightings made in a worker, written to a file as Arrow IPC (uncompressed: a
    fifth of pickling's time to write, half to read back); only its name goes back."""
    sightings, rows, end = job_rows(job, _worker_memo)
    handle, name = tempfile.mkstemp(suffix=".arrow", dir=job.folder)
    with os.fdopen(handle, "wb") as out:
        sightings.write_ipc(out, compression="uncompressed")
    return name, rows.parsed, rows.failure, end


def receive(result: JobResult) -> Made:
    """Sightings a worker wrote, read back from their file, which goes."""
    name, parsed, failure, end = result
    try:
        return pl.read_ipc(name), ChunkRows(_NO_ROWS, parsed, failure), end
    finally:
        os.unlink(name)
