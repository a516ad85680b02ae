"""The list's sort orders, the cycle `s` steps through and the reversal `S` makes, without Polars.

`core.view.CorpusView` sorts by these names; the app needs them before the view exists (the
reading state's sort, the first screen shown before the corpus is loaded).

A sort is one of SORTS in its natural direction (title and section A to Z, length longest
first, date newest first, relevance the order the corpus or the filter gives), or that name with
a leading `-`, the same order reversed: `-date` is oldest first. Rows without a value (no date,
no section) stay last either way.
"""

from __future__ import annotations

from typing import Final

SORTS: Final[tuple[str, ...]] = ("relevance", "title", "section", "length", "date")
"""Sort orders `s` cycles through, in order."""

DESCENDING: Final[frozenset[str]] = frozenset({"relevance", "length", "date"})
"""Sorts whose natural direction is descending (most relevant, longest, newest first)."""

REVERSED: Final[str] = "-"
"""Prefix of a sort reversed."""


def sort_name(sort: str) -> str:
    """The sort's name without its direction (`-date` -> `date`)."""
    return sort.removeprefix(REVERSED)


def is_reversed(sort: str) -> bool:
    """The sort runs against its natural direction."""
    return sort.startswith(REVERSED)


def is_sort(sort: str) -> bool:
    """`sort` names a sort, in either direction (a stored one may be from another version)."""
    return sort_name(sort) in SORTS


def next_sort(sort: str) -> str:
    """The sort after `sort` in the cycle, in its natural direction."""
    name = sort_name(sort)
    index = SORTS.index(name) if name in SORTS else -1
    return SORTS[(index + 1) % len(SORTS)]


def reverse_sort(sort: str) -> str:
    """`sort` in the other direction."""
    return sort_name(sort) if is_reversed(sort) else REVERSED + sort


def sort_label(sort: str) -> str:
    """The sort as the status bar shows it: its name and direction, `date ↓` (descending) or `date ↑`."""
    descending = (sort_name(sort) in DESCENDING) != is_reversed(sort)
    return f"{sort_name(sort)} {'↓' if descending else '↑'}"
