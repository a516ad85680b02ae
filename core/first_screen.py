"""The first screen: the list's first rows as the last session left them, shown before Polars loads.

A warm open of a large corpus must import Polars and read its snapshot before it can show
a row of it; hello-world Textual pays neither. So whenever the
dashboard saves its reading state it also stores what the list would open on: its first
FIRST_SCREEN_ROWS rows in the saved filter and sort (id, kind, title, section, words, date), which
of them are read or bookmarked, and the counts the status bar shows. The file sits beside
the corpus snapshot it was computed from (same name, `.first-screen.json`), with that
snapshot's size and modification time.

The next open reads it before anything else (`read_first_screen`): when the snapshot is
unchanged, the list paints these rows at once and the corpus loads behind them, and the
loaded view's rows (the same ones, unless files changed since) replace them. A snapshot
rewritten since, a newer parser (another snapshot name) or a file that cannot be read or
understood means no first screen, and the open goes as it would without one. No Polars here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.atomic import write_atomic
from core.snapshot_names import snapshot_path

FIRST_SCREEN_ROWS = 150
"""Rows stored: more than the tallest terminal shows."""

COLUMNS: tuple[str, ...] = ("id", "kind", "title", "section", "words", "date")
"""The list's columns a stored row holds, in order (`words` an int or None, `date` ISO text or
None, the rest text)."""

_VERSION = 1


@dataclass(frozen=True)
class FirstScreen:
    """The list's first rows and what the status bar says of them."""

    rows: list[tuple[Any, ...]]
    """Rows of COLUMNS values."""
    read: frozenset[str]
    """Ids of the rows that were read."""
    bookmarked: frozenset[str]
    """Ids of the rows that were bookmarked."""
    shown: int
    """Rows in the view (all of them, not only those stored)."""
    total: int
    """Articles in the corpus."""
    filter: str
    """The filter the rows answer."""
    sort: str
    """Their sort order."""

    columns = COLUMNS


def first_screen_path(roots: Sequence[Path]) -> Path:
    """Where the first screen of the corpus made of `roots` is stored (beside its snapshot)."""
    return _beside(snapshot_path(roots))


def _beside(snapshot: Path) -> Path:
    return snapshot.with_name(snapshot.name.replace(".parquet", ".first-screen.json"))


def write_first_screen(roots: Sequence[Path], screen: FirstScreen) -> bool:
    """Store `screen` for the snapshot as it is now; False when there is no snapshot to tie
    it to (a corpus read without one) or the cache cannot be written (nothing is stored)."""
    snapshot = snapshot_path(roots)
    try:
        stat = snapshot.stat()
    except OSError:
        return False
    payload = json.dumps(
        {
            "version": _VERSION,
            "snapshot": {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns},
            "columns": list(COLUMNS),
            "rows": [list(row) for row in screen.rows[:FIRST_SCREEN_ROWS]],
            "read": sorted(screen.read),
            "bookmarked": sorted(screen.bookmarked),
            "shown": screen.shown,
            "total": screen.total,
            "filter": screen.filter,
            "sort": screen.sort,
        },
        ensure_ascii=False,
    )
    try:
        write_atomic(_beside(snapshot), lambda temp: temp.write_text(payload, encoding="utf-8"))
    except OSError:
        return False  # a read-only cache: the next open goes without a first screen
    return True


def read_first_screen(roots: Sequence[Path]) -> FirstScreen | None:
    """The stored first screen of the corpus made of `roots`, if its snapshot is unchanged
    since it was stored; None otherwise (none stored, unreadable, or out of date)."""
    snapshot = snapshot_path(roots)  # named after the parser's fingerprint: found once
    try:
        data = json.loads(_beside(snapshot).read_bytes())
        stat = snapshot.stat()
    except (OSError, ValueError):  # none, unreadable, not JSON: open without it
        return None
    try:
        return _checked(data, stat.st_size, stat.st_mtime_ns)
    except (KeyError, TypeError, ValueError):  # another version, or damaged: open without it
        return None


def _checked(data: dict[str, Any], size: int, mtime_ns: int) -> FirstScreen | None:
    if data["version"] != _VERSION or data["columns"] != list(COLUMNS):
        return None
    if data["snapshot"] != {"size": size, "mtime_ns": mtime_ns}:
        return None
    rows = []
    for row in data["rows"]:
        article_id, kind, title, section, words, date = row
        if words is not None and not isinstance(words, int):
            raise TypeError("words is not a count")
        rows.append((_text(article_id), _text(kind), _text(title), _text(section), words, None if date is None else _text(date)))
    if not rows:
        return None  # nothing to paint: the open goes as it would without one
    return FirstScreen(
        rows=rows,
        read=frozenset(_strings(data["read"])),
        bookmarked=frozenset(_strings(data["bookmarked"])),
        shown=int(data["shown"]),
        total=int(data["total"]),
        filter=str(data["filter"]),
        sort=str(data["sort"]),
    )


def _text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError("a text column holds something else")
    return value


def _strings(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise TypeError("not a list of ids")
    return values
