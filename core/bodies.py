"""Article bodies read on demand from the corpus snapshot, so a large corpus's text is not
held in memory twice.

The snapshot's articles file (core/snapshot.py) stores the de-duplicated articles in the
order the corpus has them, in row groups of ROWS_PER_GROUP rows. A `BodyStore` opened on it
(after checking that its id column is the corpus's, row for row) reads one body by reading
its row group and keeps that group, so the next rows in corpus
order (the reader going down the list) cost nothing; many bodies are read a row group at
a time.

The file can be replaced while a store is open (another newsdesk re-parsed changed files):
each read checks the ids it got, looks an article up by id when its row moved, and answers
None when the article is gone, which callers show as such instead of failing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from pathlib import Path
from threading import Lock
from typing import Final

import polars as pl

ROWS_PER_GROUP: Final[int] = 4096
"""Rows per Parquet row group in the snapshot: one body read decodes one group's bodies, so
a group is small enough to decode at a keystroke, and large enough that reading the whole
file stays as fast as with one group."""

RECENT_BODIES: Final[int] = 256
"""Bodies kept after a read, so moving back and forth in the list reads nothing again
(beside the last row group read, which the list's other orders jump out of)."""

BODIES_IN_MEMORY_MAX_BYTES: Final[int] = 64 * 1024 * 1024
"""The dashboard's default: a corpus with more body text than this reads bodies from its
snapshot when shown, instead of holding them next to their lower-cased copy (the search
column)."""

_READ_ERRORS = (OSError, pl.exceptions.PolarsError)


class BodyStore:
    """Bodies of the articles of one snapshot file, by row position (thread-safe)."""

    def __init__(self, path: Path, ids: pl.Series, extra: dict[str, str] | None = None) -> None:
        self.path = path
        self._ids = ids
        self._extra: dict[str, str] = extra or {}
        """Bodies of articles not in the file (added to the corpus since it was written)."""
        self._recent: OrderedDict[str, str] = OrderedDict()
        self._group: tuple[int, pl.DataFrame] | None = None
        self._lock = Lock()

    @classmethod
    def open(cls, path: Path, ids: pl.Series) -> BodyStore | None:
        """A store on `path` when its articles are `ids` in this order; None otherwise."""
        try:
            stored = pl.scan_parquet(path).select("id").collect().get_column("id")
        except _READ_ERRORS:
            return None
        if stored.len() != ids.len() or not stored.equals(ids, check_names=False):
            return None
        return cls(path, ids)

    def with_rows(self, ids: pl.Series, extra: dict[str, str]) -> BodyStore:
        """A store on the same file for a corpus whose rows are now `ids`, with the bodies
        of `extra` (articles the file does not hold) beside those it kept."""
        held = pl.Series("id", list(self._extra), dtype=pl.String)
        kept = {article_id: self._extra[article_id] for article_id in held.filter(held.is_in(ids.implode())).to_list()}
        return BodyStore(self.path, ids, {**kept, **extra})

    def body(self, position: int) -> str | None:
        """The body of the article at `position`, or None when the snapshot lost it."""
        article_id = str(self._ids[position])
        if article_id in self._extra:
            return self._extra[article_id]
        with self._lock:
            if article_id in self._recent:
                self._recent.move_to_end(article_id)
                return self._recent[article_id]
        found = self._from_group(position, article_id)
        if found is None:
            found = self._read_by_id(article_id)
        if found is not None:
            self._remember(article_id, found)
        return found

    def recent(self, article_id: str) -> str | None:
        """The body of `article_id` when it was read recently (no I/O), else None."""
        with self._lock:
            return self._recent.get(article_id)

    def bodies(self, positions: Iterable[int]) -> pl.Series:
        """Bodies of the articles at `positions`, in that order (null where lost).

        Reads each row group holding a wanted row once, whatever the order asked."""
        wanted = [int(position) for position in positions]
        by_id: dict[str, str] = {}
        extra = [position for position in wanted if str(self._ids[position]) in self._extra]
        if extra:
            by_id.update((str(self._ids[p]), self._extra[str(self._ids[p])]) for p in extra)
            wanted_in_file = sorted(set(wanted) - set(extra))
        else:
            wanted_in_file = sorted(set(wanted))
        for start, end in _group_spans(wanted_in_file):
            by_id.update(self._read_rows(start, end - start))
        ids = [str(self._ids[position]) for position in wanted]
        missing = [article_id for article_id in set(ids) if article_id not in by_id]
        if missing:
            by_id.update(self._read_ids(missing))
        return pl.Series("body", [by_id.get(article_id) for article_id in ids], dtype=pl.String)

    def lowered(self) -> pl.Series:
        """Every body lower-cased, in row order (for text search), read a group at a time so
        the original text is never whole in memory. Raises OSError, PolarsError or
        ValueError when the file cannot be read or no longer holds these articles."""
        groups = [
            pl.scan_parquet(self.path)
            .slice(start, ROWS_PER_GROUP)
            .select("id", pl.col("body").str.to_lowercase())
            .collect()
            for start in range(0, self._ids.len(), ROWS_PER_GROUP)
        ]
        read = pl.concat(groups, how="vertical", rechunk=False)  # no second copy
        if not read.get_column("id").equals(self._ids, check_names=False):
            raise ValueError(f"{self.path} changed while it was read")
        return read.get_column("body")

    def _from_group(self, position: int, article_id: str) -> str | None:
        """The body at `position` from its row group, read unless it is the one kept."""
        number = position // ROWS_PER_GROUP
        with self._lock:
            group = self._group
        if group is None or group[0] != number:
            try:
                scan = pl.scan_parquet(self.path).slice(number * ROWS_PER_GROUP, ROWS_PER_GROUP)
                group = (number, scan.select("id", "body").collect())
            except _READ_ERRORS:
                return None
            with self._lock:
                self._group = group
        at, rows = position - number * ROWS_PER_GROUP, group[1]
        if at >= rows.height or rows.get_column("id")[at] != article_id:
            return None  # the file changed: the caller looks the article up by id
        body = rows.get_column("body")[at]
        return None if body is None else str(body)

    def _read_rows(self, start: int, length: int) -> dict[str, str]:
        try:
            rows = pl.scan_parquet(self.path).slice(start, length).select("id", "body").collect()
        except _READ_ERRORS:
            return {}
        return dict(zip(rows.get_column("id").to_list(), rows.get_column("body").to_list(), strict=True))

    def _read_by_id(self, article_id: str) -> str | None:
        return self._read_ids([article_id]).get(article_id)

    def _read_ids(self, ids: list[str]) -> dict[str, str]:
        try:
            rows = pl.scan_parquet(self.path).filter(pl.col("id").is_in(ids)).select("id", "body").collect()
        except _READ_ERRORS:
            return {}
        return dict(zip(rows.get_column("id").to_list(), rows.get_column("body").to_list(), strict=True))

    def _remember(self, article_id: str, body: str) -> None:
        with self._lock:
            self._recent[article_id] = body
            self._recent.move_to_end(article_id)
            while len(self._recent) > RECENT_BODIES:
                self._recent.popitem(last=False)


def _group_spans(positions: list[int]) -> Iterator[tuple[int, int]]:
    """[start, end) spans covering sorted `positions`, one per row group that holds any,
    trimmed to the wanted rows."""
    index = 0
    while index < len(positions):
        group_end = (positions[index] // ROWS_PER_GROUP + 1) * ROWS_PER_GROUP
        last = index
        while last + 1 < len(positions) and positions[last + 1] < group_end:
            last += 1
        yield positions[index], positions[last] + 1
        index = last + 1
