"""The filter terms the insight screens build: a section or keyword quoted for the filter
language, and a timeline period as date terms that cover exactly the days `keyword_trend` puts
in that period."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from core.filter_terms import field_term, period_filter
from core.query import Query, parse_filter
from core.trends import keyword_trend


@pytest.mark.parametrize(
    ("field", "value", "term"),
    [
        ("section", "Energy", 'section:"Energy"'),
        ("section", "New Social Compact", 'section:"New Social Compact"'),
        ("section", " Politics\n and  Law ", 'section:"Politics and Law"'),
        ("section", 'The "Big" Picture', 'section:"The Big Picture"'),  # no escape for a quote
        ("kw", "natural gas", 'kw:"natural gas"'),
    ],
)
def test_field_term_quotes_the_value_so_the_filter_parses_it_whole(field: str, value: str, term: str) -> None:
    assert field_term(field, value) == term
    assert isinstance(parse_filter(term), Query)  # not a QueryError


@pytest.mark.parametrize(
    ("period", "granularity", "term"),
    [
        ("2021-06", "month", "date:2021-06"),
        ("2021-12", "month", "date:2021-12"),
        ("2021-W44", "week", "date>=2021-11-01 date<=2021-11-07"),
        # ISO weeks cross years: 2021-01-03 (a Sunday) is in 2020-W53, 2019-12-30 in 2020-W01.
        ("2020-W53", "week", "date>=2020-12-28 date<=2021-01-03"),
        ("2020-W01", "week", "date>=2019-12-30 date<=2020-01-05"),
    ],
)
def test_period_filter(period: str, granularity: str, term: str) -> None:
    assert period_filter(period, granularity) == term  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("period", "granularity"),
    [("2021-13", "month"), ("2021-W44", "month"), ("2021-06", "week"), ("2021-W54", "week"), ("2021", "day")],
)
def test_a_label_that_is_no_such_period_is_a_value_error(period: str, granularity: str) -> None:
    with pytest.raises(ValueError, match="not a|unknown granularity"):
        period_filter(period, granularity)  # type: ignore[arg-type]


@pytest.mark.parametrize("granularity", ["week", "month"])
def test_each_period_of_a_trend_covers_exactly_its_days(granularity: str) -> None:
    """The timeline labels its buckets; the terms built from a label cover that bucket's days."""
    first = dt.date(2020, 12, 20)
    days = [first + dt.timedelta(days=offset) for offset in range(60)]
    articles = pl.DataFrame({"id": [str(i) for i in range(len(days))], "section": ["x"] * len(days), "date": days})
    keywords = pl.DataFrame(schema={"id": pl.String(), "key": pl.String(), "keyword": pl.String()})
    trend = keyword_trend(articles, keywords, "k", by=granularity)  # type: ignore[arg-type]
    for bucket, start, total in trend.select("bucket", "start", "total").iter_rows():
        term = period_filter(bucket, granularity)  # type: ignore[arg-type]
        if granularity == "week":
            low, high = (dt.date.fromisoformat(part.split("=")[1]) for part in term.split())
        else:
            low = dt.date.fromisoformat(term.removeprefix("date:") + "-01")
            high = (low.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        assert low == start
        assert total == sum(low <= day <= high for day in days)
