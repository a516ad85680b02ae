"""Filter-language terms built from values the insight screens show, so choosing a section, a
period or a keyword there filters the list by it: `field_term` (`section:"New Social Compact"`,
`kw:"natural gas"`) and `period_filter` (a month or an ISO week of the trends timeline as date
terms: `date:2021-06`, `date>=2021-11-01 date<=2021-11-07`).

A quoted value cannot hold a double quote (the filter language has no escape for it), so one in
the value is dropped, as the palette's section and source commands do."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def field_term(field: str, value: str) -> str:
    """`field:"value"`: the value on one line, spaces collapsed, double quotes dropped."""
    return f'{field}:"{" ".join(value.replace(chr(34), "").split())}"'


def period_filter(period: str, granularity: Literal["week", "month"]) -> str:
    """The date terms that keep the articles of one timeline `period`: a month (`2021-06`)
    is `date:2021-06`; an ISO week (`2021-W44`, Monday to Sunday) is the range of its days,
    `date>=2021-11-01 date<=2021-11-07`. ValueError for a label that is not such a period."""
    if granularity == "month":
        match = _MONTH.match(period)
        if match is None or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"not a month: {period!r} (expected YYYY-MM)")
        return f"date:{period}"
    if granularity == "week":
        match = _WEEK.match(period)
        if match is None:
            raise ValueError(f"not an ISO week: {period!r} (expected YYYY-Www)")
        try:
            monday = dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        except ValueError:
            raise ValueError(f"not an ISO week: {period!r} (that year has no such week)") from None
        sunday = monday + dt.timedelta(days=6)
        return f"date>={monday.isoformat()} date<={sunday.isoformat()}"
    raise ValueError(f"unknown granularity {granularity!r}: week or month")
