"""The list's sort orders and the cycle `s` steps through, without Polars.

`core.view.CorpusView` sorts by these names; the app needs them before the view exists (the
reading state's sort, the first screen shown before the corpus is loaded).
"""

from __future__ import annotations

from typing import Final

SORTS: Final[tuple[str, ...]] = ("relevance", "title", "section", "length", "date")
"""Sort orders `s` cycles through, in order."""


def next_sort(sort: str) -> str:
    """The sort after `sort` in the cycle."""
    index = SORTS.index(sort) if sort in SORTS else -1
    return SORTS[(index + 1) % len(SORTS)]
