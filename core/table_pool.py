"""A large text table's batches made into sightings by worker processes, in order.

One table is one file, so a pool over files leaves it to one process, where reading,
cleaning, identifying and language detection of its batches (most of them Python holding
the interpreter's lock) run one after another. Here the first batch is read and made into
sightings in this process, so its rows show at once; then worker processes start and take
the later batches: each worker reads its batch's span of the file itself (only the span's
place goes through the pool's pipe), makes its sightings as `core.table_rows` does here,
and hands them back through a file whose name alone goes through the pipe
(`core.table_jobs`). A pool begun at launch on the table (`core.table_head_start`) is
taken over instead, when it was begun on these very batches.

The batches and their codec are the ones `core.table_stream` finds reading the file alone,
so the rows are the same, in the same order. If the pool cannot start or a worker dies,
the batches it has not delivered are read here.

The workers make their batches' rows without languages, so that all the rows come sooner;
once every row is in, `LanguagesDue` says so, and the languages of those batches follow,
each a `LanguageFill`, made by the same workers.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import polars as pl

from core import table_head_start, table_rows
from core.atomic import Warn
from core.corpus import RowMemo
from core.decode import decode
from core.parallel import WorkerPool, made_in_order
from core.table_jobs import JobResult, LanguageJob, Made, in_worker, job_languages, job_rows, receive
from core.table_spans import Span, TableJob
from core.table_stream import TableOutcome, split_text_table

SightingsBatch = tuple[pl.DataFrame, int]
"""A batch of a table's sightings and how many bytes of the file are read so far."""


class LanguagesDue(NamedTuple):
    """Every row of the table is in; the languages of some of them (null until then) follow."""

    batches: int
    """How many `LanguageFill`s follow."""


class LanguageFill(NamedTuple):
    """The languages of a batch whose rows came without them, in its rows' order."""

    first_row: int
    """The batch's first row, counted among all the rows the table gave."""
    languages: pl.Series


TableItem = SightingsBatch | LanguagesDue | LanguageFill


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


def pooled_table_sightings(
    path: Path, shown: str, suffix: str, whole_limit: int, memo: RowMemo, pool: TablePool
) -> Iterator[TableItem]:
    """Every batch of the text table at `path` as sightings (their `path` is `shown`), with
    the bytes read so far: the first made here, the later ones by `pool.workers` processes
    (or every one by the pool begun at launch, `core.table_head_start`, when it was begun on
    this table). The rows workers make come without their languages: after the last batch,
    `LanguagesDue` and then their `LanguageFill`s (none when every row has its language).
    Raises as `core.table_stream.stream_text_table` does. Stops early when the pool's
    cancel is set; close the iterator when done with it early: that stops the workers."""
    absolute = str(path.resolve())  # a worker's working directory need not be ours

    def job(span: Span, folder: str) -> TableJob:
        return TableJob(absolute, shown, suffix, span.offset, span.length, span.header, span.codec, folder)

    begun = _claim_begun(path, job)
    if begun is not None:  # its workers were handed every batch, the first too, at launch
        started, folder = begun
        yield from _made(iter(()), started, folder, TableOutcome(), memo, pool, shown, 0)
        return
    with open(path, "rb") as handle:
        first, read, spans = split_text_table(handle, suffix, decode, whole_limit, with_data=False)
        outcome = TableOutcome()
        outcome.add(first)
        # The first rows go out before the workers start: starting them and finding the
        # spans they are given would come before those rows on the screen.
        sightings = table_rows.sightings(first.frame, shown, memo)
        yield sightings, read
        try:
            folder: str | None = tempfile.mkdtemp(prefix="newsdesk-table-")
        except OSError as error:  # nowhere for sightings to go back through: no pool
            _failed(pool, shown, error)
            folder = None
        yield from _made((job(span, folder or "") for span in spans), None, folder, outcome, memo, pool, shown, sightings.height)


def _claim_begun(
    path: Path, job: Callable[[Span, str], TableJob]
) -> tuple[WorkerPool[TableJob | LanguageJob, JobResult | list[str | None]], str] | None:
    """The pool begun at launch on this table's batches, if one was (see `core.table_head_start`)."""
    if not table_head_start.begun():
        return None
    return table_head_start.claim([job(span, "") for span in table_head_start.begun_spans(path)])


def _made(
    jobs: Iterator[TableJob],
    started: WorkerPool[TableJob | LanguageJob, JobResult | list[str | None]] | None,
    folder: str | None,
    outcome: TableOutcome,
    memo: RowMemo,
    pool: TablePool,
    shown: str,
    rows_before: int,
) -> Iterator[TableItem]:
    """The sightings of `jobs` (after those `started` was handed), made by workers writing
    to `folder` (none: all made here); then the languages the workers left out; and the
    outcome's verdict once all are in. `rows_before`: the table's rows yielded before."""
    to_fill: deque[tuple[LanguageJob, int]] = deque()
    """Batches whose languages are to come, and their first row."""

    def then() -> tuple[LanguagesDue, list[TableJob | LanguageJob]]:
        return LanguagesDue(len(to_fill)), [job for job, _ in to_fill]

    def here(job: TableJob | LanguageJob) -> Made | pl.Series:
        return _languages_here(job) if isinstance(job, LanguageJob) else job_rows(job, memo)

    later: Generator[Made | pl.Series | LanguagesDue, None, None] = (
        made_in_order(
            jobs, in_worker, receive, here, pool.workers,
            lambda error: _failed(pool, shown, error), pool.cancel, pool=started, then=then,
        )
        if folder is not None
        else (job_rows(job, memo) for job in jobs)
    )
    try:
        for made in later:
            if pool.cancel is not None and pool.cancel.is_set():
                return
            if isinstance(made, LanguagesDue):
                if made.batches:
                    yield made
            elif isinstance(made, pl.Series):
                done, first_row = to_fill.popleft()
                with contextlib.suppress(OSError):
                    os.unlink(done.inputs_file)
                yield LanguageFill(first_row, made)
            else:
                outcome.add(made.rows)
                if made.languages_from is not None:
                    to_fill.append((LanguageJob(made.languages_from, shown, made.sightings.height), rows_before))
                rows_before += made.sightings.height
                yield made.sightings, made.end
    except Exception:
        # The table fails after some batches: those given keep their rows, with languages.
        later.close()
        while to_fill:
            left, first_row = to_fill.popleft()
            yield LanguageFill(first_row, _languages_here(left))
        raise
    finally:
        later.close()  # stops the workers now when the table is left early
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
    if pool.cancel is not None and pool.cancel.is_set():
        return  # not read to its end: no verdict on the whole file
    outcome.finish()


def _languages_here(job: LanguageJob) -> pl.Series:
    return pl.Series("language", job_languages(job), dtype=pl.String())


def _failed(pool: TablePool, shown: str, error: BaseException) -> None:
    pool.warn(f"parsing pool failed ({type(error).__name__}: {error}); reading {shown} in one process")
