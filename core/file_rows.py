"""One file read into rows: whole, or a text table batch by batch (its later batches by
worker processes when it is large enough, core.table_pool); `FileRows` gathers the
sightings of files read one after another, with their file columns.

Reading one file is bounded (core.read): a page over MAX_FILE_BYTES is refused unread,
compressed files inflate within the load's budget, Parquet is read in a child process; a
text table has no size limit, and its rows are reported batch by batch as they come.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from core import table_rows, tables
from core.corpus import RawArticle, RowMemo, SightingColumns
from core.decode import decode
from core.errors import READER_FAILURES, UnreadableFile, reader_failure, short_reason
from core.parse_pool import FileTask
from core.paths import display_path
from core.read import MAX_FILE_BYTES, STREAMED_SUFFIXES, DecompressionBudget, gunzip, read_bytes
from core.table_pool import LanguageFill, LanguagesDue, TableItem, TablePool, pooled_table_sightings
from core.table_stream import TableBatch, stream_text_table


def is_table(path: str) -> bool:
    """Whether the file is a text table read in batches, with no size limit (not a compressed
    one, and not Parquet, which only a child process reads: see core.isolated)."""
    return os.path.splitext(path.lower())[1] in STREAMED_SUFFIXES


def read_file(path: Path, shown: str | None = None, budget: DecompressionBudget | None = None) -> list[RawArticle]:
    """Read one file with the reader its name and content call for; articles name it
    `shown` (default: its display path). What it inflates is taken from `budget` (none:
    only the per-file cap applies)."""
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile("not a regular file (a pipe, device or socket)")
    size = status.st_size
    if is_table(path.name):
        shown = display_path(path) if shown is None else shown
        return [article for raw, _ in read_table_batches(path, shown) for article in tables.raw_articles(raw, shown)]
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"too large ({size / 2**20:.0f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)")
    if size == 0:
        raise UnreadableFile("empty file")
    name = path.name.lower()
    if name.endswith(".gz"):
        with open(path, "rb") as compressed:
            data = gunzip(compressed, budget, size)
        name = name[: -len(".gz")]
    else:
        data = path.read_bytes()
    return read_bytes(data, name, display_path(path) if shown is None else shown, budget)


def read_table_batches(path: Path, shown: str) -> Iterator[TableBatch]:
    """A table file's articles in batches, each with the bytes read so far; no size limit
    but memory (a JSON array or UTF-16/32 text, which cannot be split, has MAX_FILE_BYTES)."""
    return stream_text_table(path, _table_suffix(path), shown, decode, MAX_FILE_BYTES)


def _table_suffix(path: Path) -> str:
    """The suffix of a table file that can be read; raises UnreadableFile for one that cannot."""
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile("not a regular file (a pipe, device or socket)")
    if status.st_size == 0:
        raise UnreadableFile("empty file")
    return os.path.splitext(path.name.lower())[1]


def read_collecting(
    path: Path, shown: str, reasons: list[str], budget: DecompressionBudget | None = None
) -> list[RawArticle]:
    """The file's articles (their `path` is `shown`), or [] after noting why it contributes none."""
    try:
        articles = read_file(path, shown, budget)
    except UnreadableFile as error:
        reasons.append(short_reason(str(error)))
        return []
    except OSError as error:
        reasons.append(error.strerror or type(error).__name__)
        return []
    except READER_FAILURES as error:
        # A reader's failure on hostile content costs this file, never the whole load.
        reasons.append(reader_failure(error))
        return []
    if not articles:
        reasons.append("no articles found")
    return articles


def _table_sightings_collecting(
    path: Path, shown: str, memo: RowMemo, reasons: list[str], pool: TablePool | None
) -> Iterator[TableItem]:
    """A table's batches as sightings, read here or with `pool`'s workers, noting why it
    stopped (if it failed) instead of raising."""
    try:
        if pool is None:
            for raw, at in read_table_batches(path, shown):
                yield table_rows.sightings(raw, shown, memo), at
        else:
            yield from pooled_table_sightings(path, shown, _table_suffix(path), MAX_FILE_BYTES, memo, pool)
    except UnreadableFile as error:
        reasons.append(short_reason(str(error)))
    except OSError as error:
        reasons.append(error.strerror or type(error).__name__)
    except READER_FAILURES as error:
        reasons.append(reader_failure(error))


BatchHandler = Callable[[int, int], bool]
"""Told, after each batch of a table read in batches, its rows and the bytes read so far;
answers whether to read on."""
LanguageHandler = Callable[[LanguagesDue | LanguageFill], None]
"""Told, of a table whose rows came without some of their languages, when every row is in
(`LanguagesDue`) and then each batch's languages (`LanguageFill`, its first row counted
among the file's rows)."""


class FileRows:
    """Sightings of files read one by one, with their file columns, until taken as a frame."""

    def __init__(self, memo: RowMemo, pool: TablePool | None = None) -> None:
        self._memo = memo
        self._pool = pool
        """Where a large table's later batches may go (None: every batch is read here)."""
        self._columns = SightingColumns(memo)
        self._frames: list[pl.DataFrame] = []
        """Rows made column-wide (tables), and the rows of `_columns` before them."""
        self._framed = 0
        self._names: list[str] = []
        self._sizes: list[int] = []
        self._mtimes: list[int] = []

    def __len__(self) -> int:
        return self._framed + len(self._columns)

    def read(
        self,
        task: FileTask,
        budget: DecompressionBudget | None = None,
        between: BatchHandler | None = None,
        languages: LanguageHandler | None = None,
    ) -> tuple[tuple[str, ...], int]:
        """Read one file's rows; why it gave none (if so) and how many it gave. What it
        inflates comes out of `budget`. With `between`, a table is read batch by batch and
        `between` hears after each batch; its workers may then make rows without languages,
        and `languages` hears of those (without it, every row comes with its language)."""
        file, path, size, mtime_ns = task
        reasons: list[str] = []
        if between is not None and is_table(path):
            rows = 0
            pays = languages is not None and self._pool is not None and self._pool.pays_for(size)
            for item in _table_sightings_collecting(Path(path), file, self._memo, reasons, self._pool if pays else None):
                if isinstance(item, (LanguagesDue, LanguageFill)):
                    if languages is not None:  # always: only a pool's table gives these
                        languages(item)
                    continue
                sightings, at = item
                made = self._add_frame(sightings, task)
                rows += made
                if not between(made, at):  # cancelled: the rest of a large table goes unread
                    break
            if not rows and not reasons:
                reasons.append("no articles found")
        else:
            rows = self._add(read_collecting(Path(path), file, reasons, budget), task)
        return tuple(reasons), rows

    def _add_frame(self, frame: pl.DataFrame, task: FileTask) -> int:
        if len(self._columns):
            self._framed += len(self._columns)
            self._frames.append(self._columns.take_frame())
        self._frames.append(frame)
        self._framed += frame.height
        return self._count(frame.height, task)

    def _add(self, articles: list[RawArticle], task: FileTask) -> int:
        return self._count(self._columns.add(articles), task)

    def _count(self, rows: int, task: FileTask) -> int:
        file, _, size, mtime_ns = task
        self._names.extend([file] * rows)
        self._sizes.extend([size] * rows)
        self._mtimes.extend([mtime_ns] * rows)
        return rows

    def take_frame(self) -> pl.DataFrame:
        """The rows read so far (SNAPSHOT_SCHEMA); this starts over empty."""
        frames, self._frames, self._framed = [*self._frames, self._columns.take_frame()], [], 0
        frame = (frames[0] if len(frames) == 1 else pl.concat(frames, how="vertical")).with_columns(
            pl.Series("file", self._names, dtype=pl.String()),
            pl.Series("file_size", self._sizes, dtype=pl.Int64()),
            pl.Series("file_mtime_ns", self._mtimes, dtype=pl.Int64()),
        )
        self._names, self._sizes, self._mtimes = [], [], []
        return frame
