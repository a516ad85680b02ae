"""The filter language's terms about the user's marks (`is:`) and about dates (`date`).

`core.query` parses the rest of the language and calls `mark_term` and `date_term` for these;
they return a node of the syntax tree, or the message of a `QueryError` (the caller knows the
term's span). The meaning of every term is in `core.query`'s docstring and docs/design.md.

`is:` values are the rows of MARK_VALUES: a value names the `Marks` field it reads and whether
the id must be in it (`is:read`) or not (`is:unread`). A new mark is a field of `Marks` and one
row of the table.

Dates: a date in a term is a whole period, a year (`2021`), a month (`2021-06`) or a day
(`2021-06-15`), and every comparison is with that period as a unit: `date:2021-06` is in June,
`date>2021-06` after it (from July 1), `date>=2021-06` from June 1, `date<2021-06` before June 1,
`date<=2021-06` up to June 30. Rows without a date (teasers that only have an `age`, `3 hours
ago`) never satisfy a date term, so `-date:2021` keeps them (it is the complement).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import polars as pl

if TYPE_CHECKING:
    from core.query import _Context


@dataclass(frozen=True, slots=True)
class Marks:
    """What the user marked, by article id: what `is:` terms (and `kind:bookmarked`) test."""

    read: frozenset[str] = frozenset()
    """Ids of the articles read."""
    bookmarked: frozenset[str] = frozenset()
    """Ids of the bookmarked articles."""
    new: frozenset[str] = frozenset()
    """Ids of the articles that arrived in the folder since the dashboard opened (`core.watch`)."""


MARK_VALUES: Final[dict[str, tuple[str, bool]]] = {
    "read": ("read", True),
    "unread": ("read", False),
    "bookmarked": ("bookmarked", True),
    "new": ("new", True),
}
"""`is:` value -> (the `Marks` field it reads, whether the id must be in it)."""


@dataclass(frozen=True, slots=True)
class HasMark:
    """The article's id is (or, with `present` False, is not) in one of the user's marks."""

    mark: str
    present: bool = True

    def expr(self, ctx: _Context) -> pl.Expr:
        inside = id_marked(getattr(ctx.marks, self.mark))
        return inside if self.present else ~inside


def id_marked(ids: frozenset[str]) -> pl.Expr:
    """True for the rows whose `id` is among `ids` (never null)."""
    return pl.col("id").is_in(_id_series(ids).implode()).fill_null(False)


@functools.lru_cache(maxsize=8)
def _id_series(ids: frozenset[str]) -> pl.Series:
    """`ids` as a Series, made once per set of marks rather than once per keystroke: with
    tens of thousands of read ids, making it costs more than the match."""
    return pl.Series("id", list(ids), dtype=pl.String)


@dataclass(frozen=True, slots=True)
class InPeriod:
    """The `date` column is within [start, end): None is unbounded; `empty` matches no row."""

    start: dt.date | None
    end: dt.date | None
    empty: bool = False

    def expr(self, ctx: _Context) -> pl.Expr:
        if self.empty:
            return pl.lit(False)
        date = pl.col("date")
        holds = date.is_not_null()
        if self.start is not None:
            holds = holds & (date >= self.start)
        if self.end is not None:
            holds = holds & (date < self.end)
        return holds.fill_null(False)


DATE_TOKEN: Final = re.compile(r"(?i)date(>=|<=|>|<|=|:)(.*)", re.DOTALL)
"""A date term: `date`, the comparison, the (perhaps empty or malformed) date."""
_PERIOD = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_DATE_HINT = "a year, month or day: YYYY, YYYY-MM or YYYY-MM-DD, e.g. date>2021-06"


def mark_term(value: str) -> HasMark | str:
    """The node of `is:value` (`value` lower-case), or why there is none."""
    if value not in MARK_VALUES:
        known = ", ".join(f"is:{name}" for name in MARK_VALUES)
        return f"unknown mark {_quoted('is:' + value)} (marks: {known})"
    mark, present = MARK_VALUES[value]
    return HasMark(mark, present)


def date_term(op: str, raw_value: str) -> InPeriod | str:
    """The node of `date<op><value>` (op `:` `=` `>` `<` `>=` `<=`), or why there is none."""
    value = raw_value[1:-1] if len(raw_value) > 1 and raw_value.startswith('"') and raw_value.endswith('"') else raw_value
    period = _period(value.strip())
    if isinstance(period, str):
        return period
    start, end = period
    if op in (":", "="):
        return InPeriod(start, end)
    if op == ">":
        return InPeriod(end, None, empty=end is None)
    if op == ">=":
        return InPeriod(start, None)
    if op == "<":
        return InPeriod(None, start)
    return InPeriod(None, end)  # <=


def _period(value: str) -> tuple[dt.date, dt.date | None] | str:
    """First day of the period `value` names, and the day after its last (None past year 9999)."""
    if not value:
        return f"date needs {_DATE_HINT}"
    match = _PERIOD.fullmatch(value) if value.isascii() else None
    if match is None:
        return f"{_quoted(value)} is not {_DATE_HINT}"
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if year < 1:
        return "there is no year 0000"
    if month is not None and not 1 <= month <= 12:
        return f"there is no month {month} ({_quoted(value)})"
    try:
        start = dt.date(year, month or 1, day or 1)
    except ValueError:
        return f"{_quoted(value)} is not a day of the calendar"
    try:
        if day is not None:
            end = start + dt.timedelta(days=1)
        elif month is not None:
            end = dt.date(year + month // 12, month % 12 + 1, 1)
        else:
            end = dt.date(year + 1, 1, 1)
    except (ValueError, OverflowError):  # the period ends with the calendar (9999-12-31)
        return start, None
    return start, end


def _quoted(value: str, limit: int = 40) -> str:
    """`value` in quotes for a one-line message, cut to `limit` characters (it may be pasted text)."""
    return repr(value if len(value) <= limit else value[: limit - 1] + "…")
