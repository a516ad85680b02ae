"""What a worker process makes of one batch of a large table (a `core.table_spans.TableJob`),
and how those sightings come back: written as an Arrow IPC file whose name alone goes
through the pool's pipe (as `core.parse_pool.hand_back` does, for the same reason).

A worker makes a batch's rows without their languages, so that every row of the table is
on screen sooner, and writes down beside them what deciding those languages needs
(`core.table_languages`); once all the rows are in, each such batch's languages are
decided in a second job (`LanguageJob`) that reads that back.

The pool of `core.table_pool`, and the one begun at launch (`core.table_head_start`), run
`in_worker`; `job_rows` and `job_languages` make the same here when a pool could not.
"""

from __future__ import annotations

import os
import tempfile
from typing import NamedTuple

import polars as pl

from core import table_languages, table_rows
from core.corpus import SIGHTING_SCHEMA, RowMemo
from core.decode import decode
from core.errors import UnreadableFile
from core.table_spans import TableJob
from core.table_stream import ChunkRows, first_rows, later_rows

_worker_memo: RowMemo = {}
"""Rows remembered across the batches one worker makes (it lives for one table)."""


class LanguageJob(NamedTuple):
    """A batch whose rows came without some of their languages."""

    inputs_file: str
    """Where what deciding them needs is (`core.table_languages.pending`)."""
    shown: str
    """The file as its rows show it (their `path`)."""
    rows: int
    """The batch's rows."""


class Made(NamedTuple):
    """A batch's sightings, how its rows were read (their frame left out), and where it ends."""

    sightings: pl.DataFrame
    rows: ChunkRows
    end: int
    languages_from: str | None = None
    """The file a `LanguageJob` decides the batch's languages from, when some are to come."""


def job_rows(job: TableJob, memo: RowMemo, languages_later: bool = False) -> Made:
    """What a job's batch makes, here or in a worker; with `languages_later`, sightings as
    `core.table_rows.sightings` makes them so."""
    with open(job.path, "rb") as handle:
        handle.seek(job.offset)
        data = handle.read(job.length)
    # The first batch is read as the load reads it (core.table_stream.split_text_table).
    rows = first_rows(data, job.suffix, decode) if job.offset == 0 else later_rows(job.header + data, job.suffix, decode, job.codec)
    sightings = table_rows.sightings(rows.frame, job.shown, memo, languages_later)
    return Made(sightings, rows._replace(frame=_NO_ROWS), job.offset + job.length)


def job_languages(job: LanguageJob) -> list[str | None]:
    """The languages of a batch made without some of them (None for the others), here or in a worker."""
    return table_languages.decide_pending(pl.read_ipc(job.inputs_file), job.shown, job.rows)


_NO_ROWS = pl.DataFrame()

JobResult = tuple[str, bool, UnreadableFile | None, int, str | None]
"""What a batch's job sends back through the pool's pipe: the file the sightings are in,
how the rows were read, where the batch ends, and the file what deciding their languages
needs is in (None: they all have theirs)."""


def in_worker(job: TableJob | LanguageJob) -> JobResult | list[str | None]:
    """A job done in a worker. A batch's sightings are written to a file as Arrow IPC
    (uncompressed: a fifth of pickling's time to write, half to read back), and only its
    name goes back, with that of the file of what its languages need; a batch's languages
    go back as they are."""
    if isinstance(job, LanguageJob):
        return job_languages(job)
    made = job_rows(job, _worker_memo, languages_later=True)
    rows_file = _written(made.sightings.select(list(SIGHTING_SCHEMA)), job.folder)
    inputs = table_languages.pending(made.sightings)
    inputs_file = None if inputs.is_empty() else _written(inputs, job.folder)
    return rows_file, made.rows.parsed, made.rows.failure, made.end, inputs_file


def _written(frame: pl.DataFrame, folder: str) -> str:
    handle, name = tempfile.mkstemp(suffix=".arrow", dir=folder)
    with os.fdopen(handle, "wb") as out:
        frame.write_ipc(out, compression="uncompressed")
    return name


def receive(result: JobResult | list[str | None]) -> Made | pl.Series:
    """What a worker sent back: a batch's sightings, read back from their file, which goes
    (the file of what their languages need stays for their `LanguageJob`); or a batch's languages."""
    if isinstance(result, list):
        return pl.Series("language", result, dtype=pl.String())
    name, parsed, failure, end, inputs = result
    try:
        return Made(pl.read_ipc(name), ChunkRows(_NO_ROWS, parsed, failure), end, inputs)
    finally:
        os.unlink(name)
