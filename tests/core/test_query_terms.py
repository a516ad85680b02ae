"""`is:` and `date` filter terms on a real corpus read from disk (`tests.core.dated_corpus`:
real Wikinews articles dated by their datelines, and teasers that only have an age).
Expected rows are computed from the JSON with Python's `datetime`, not by the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from core.commands import main
from core.corpus import Corpus
from core.ingest import load_corpus
from core.query import Query, QueryError, filter_articles, parse_filter
from core.query_terms import MARK_VALUES, Marks
from core.state import CorpusState, StateStore
from tests.core.dated_corpus import DATES, EN, read_dated_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return read_dated_corpus(tmp_path_factory.mktemp("realtext") / "corpus")


def titles(corpus: Corpus, text: str, marks: Marks | None = None) -> set[str]:
    result = filter_articles(corpus.articles, None, text, marks)
    assert not isinstance(result, QueryError), result
    return set(result.get_column("title"))


def test_the_fixture_is_what_the_tests_assume(corpus: Corpus) -> None:
    articles = corpus.articles
    dated = articles.filter(pl.col("date").is_not_null())
    assert set(dated.get_column("title")) == {title for title, date in DATES.items() if date}
    assert len(set(dated.get_column("title"))) >= 35  # most of them have a dateline
    teasers = articles.filter(pl.col("kind") == "teaser")
    assert teasers.height >= 3 and teasers.get_column("age").is_not_null().all()
    assert teasers.get_column("date").is_null().all()  # an age is not a date
    assert articles.filter((pl.col("kind") == "article") & pl.col("date").is_null()).height > 3


def _in(start: dt.date | None, end: dt.date | None) -> set[str]:
    """Titles dated within [start, end) (None: unbounded)."""
    return {
        title
        for title, date in DATES.items()
        if date is not None and (start is None or date >= start) and (end is None or date < end)
    }


D = dt.date
PERIODS: list[tuple[str, Callable[[], set[str]]]] = [
    ("date:2015", lambda: _in(D(2015, 1, 1), D(2016, 1, 1))),
    ("date=2015", lambda: _in(D(2015, 1, 1), D(2016, 1, 1))),
    ("date:2015-09", lambda: _in(D(2015, 9, 1), D(2015, 10, 1))),
    ("date:2015-9", lambda: _in(D(2015, 9, 1), D(2015, 10, 1))),
    ("date:2015-09-01", lambda: _in(D(2015, 9, 1), D(2015, 9, 2))),
    # a partial date is its whole period: after September means from October 1
    ("date>2015-09", lambda: _in(D(2015, 10, 1), None)),
    ("date>=2015-09", lambda: _in(D(2015, 9, 1), None)),
    ("date<2015-09", lambda: _in(None, D(2015, 9, 1))),
    ("date<=2015-09", lambda: _in(None, D(2015, 10, 1))),
    ("date>2015-09-01", lambda: _in(D(2015, 9, 2), None)),
    ("date<2015-09-01", lambda: _in(None, D(2015, 9, 1))),
    ("date>2015", lambda: _in(D(2016, 1, 1), None)),
    ("date<=2006", lambda: _in(None, D(2007, 1, 1))),
    ("date>2015-12", lambda: _in(D(2016, 1, 1), None)),  # the month after December
    ("DATE>=2014-01-21 date<2014-01-29", lambda: _in(D(2014, 1, 21), D(2014, 1, 29))),
    ("date:2006 OR date:2023", lambda: _in(D(2006, 1, 1), D(2007, 1, 1)) | _in(D(2023, 1, 1), D(2024, 1, 1))),
    ('date:"2007"', lambda: _in(D(2007, 1, 1), D(2008, 1, 1))),
    ("date>9999", lambda: set()),
    ("date<=9999-12", lambda: _in(None, None)),
    ("date<0001-01-02", lambda: set()),
]


@pytest.mark.parametrize(("text", "expected"), PERIODS, ids=[text for text, _ in PERIODS])
def test_a_date_term_keeps_the_dated_rows_of_its_period(corpus: Corpus, text: str, expected: Callable[[], set[str]]) -> None:
    assert titles(corpus, text) == expected()


def test_the_boundaries_of_a_month_are_where_the_calendar_puts_them(corpus: Corpus) -> None:
    # September 1, 2015 is in September: not after August's end, and not before September.
    bos = "Biologist Nick Bos tells Wikinews about 'self-medicating' ants"
    assert DATES[bos] == D(2015, 9, 1)
    assert bos in titles(corpus, "date>2015-08") and bos in titles(corpus, "date>=2015-09-01")
    assert bos not in titles(corpus, "date>2015-09") and bos not in titles(corpus, "date<2015-09")
    assert bos in titles(corpus, "date<=2015-09-01") and bos not in titles(corpus, "date<2015-09-01")


def test_undated_rows_never_match_a_date_term_and_a_negated_one_keeps_them(corpus: Corpus) -> None:
    articles = corpus.articles
    undated = set(articles.filter(pl.col("date").is_null()).get_column("title"))
    teasers = set(articles.filter(pl.col("kind") == "teaser").get_column("title"))
    for text in ("date<=9999", "date>=0001", "date:2015 OR date<2015 OR date>2015"):
        assert not titles(corpus, text) & undated, text
    assert undated <= titles(corpus, "-date:2015")  # the complement of date:2015: undated ones too
    assert titles(corpus, "-date:2015") == set(articles.get_column("title")) - titles(corpus, "date:2015")
    outside = titles(corpus, "date<2015 OR date>2015")  # dated and not in 2015
    assert outside == _in(None, D(2015, 1, 1)) | _in(D(2016, 1, 1), None)
    assert not titles(corpus, "kind:teaser date<=9999") and teasers


@pytest.mark.parametrize(
    ("text", "bad", "message"),
    [
        ("nato date>2021-13", "date>2021-13", "no month 13"),
        ("date:2021-02-29 war", "date:2021-02-29", "not a day of the calendar"),
        ("date:2021-04-31", "date:2021-04-31", "not a day of the calendar"),
        ("date>", "date>", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("a date:June", "date:June", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("date:21", "date:21", "YYYY"),
        ("date:2021-06-15T10:00", "date:2021-06-15T10:00", "YYYY"),
        ("date<2021/06", "date<2021/06", "YYYY"),
        ("date:0000", "date:0000", "no year 0000"),
        ("date:２０２１", "date:２０２１", "YYYY"),  # full-width digits are not a year
        ("-date:yesterday", "-date:yesterday", "YYYY"),
        ("is:old", "is:old", "is:read, is:unread, is:bookmarked, is:new"),
        ("war is:", "is:", "needs a value"),
        ("is:" + "x" * 500, "is:" + "x" * 500, "unknown mark"),
    ],
)
def test_a_bad_date_or_mark_is_an_inline_error_over_its_term(text: str, bad: str, message: str) -> None:
    error = parse_filter(text)
    assert isinstance(error, QueryError), error
    assert text[error.start : error.end] == bad
    assert message in error.message
    assert len(error.message) < 200  # a pasted value is cut in the message


def test_leap_days_are_days(corpus: Corpus) -> None:
    assert isinstance(parse_filter("date:2024-02-29"), Query)
    assert titles(corpus, "date:2024-02-29") == set()


# -- marks ---------------------------------------------------------------------------------


def _ids(corpus: Corpus, *titles_wanted: str) -> frozenset[str]:
    frame = corpus.articles.filter(pl.col("title").is_in(list(titles_wanted)))
    assert frame.height == len(titles_wanted)
    return frozenset(frame.get_column("id"))


def test_is_terms_test_the_marks_handed_over(corpus: Corpus) -> None:
    everything = set(corpus.articles.get_column("title"))
    read_titles = [EN[0]["title"], EN[1]["title"], EN[2]["title"]]
    starred = [EN[1]["title"], EN[5]["title"]]
    marks = Marks(read=_ids(corpus, *read_titles) | {"gone-since"}, bookmarked=_ids(corpus, *starred))
    assert titles(corpus, "is:read", marks) == set(read_titles)
    assert titles(corpus, "is:unread", marks) == everything - set(read_titles)
    assert titles(corpus, "-is:read", marks) == titles(corpus, "is:unread", marks)
    assert titles(corpus, "-is:unread", marks) == set(read_titles)
    assert titles(corpus, "is:bookmarked", marks) == set(starred)
    assert titles(corpus, "kind:bookmarked", marks) == set(starred)  # the older spelling
    assert titles(corpus, "is:bookmarked is:unread", marks) == {EN[5]["title"]}
    assert titles(corpus, "is:read OR is:bookmarked", marks) == set(read_titles) | set(starred)
    assert titles(corpus, "Is:READ", marks) == set(read_titles)
    dated_read = {title for title in read_titles if DATES[title] and DATES[title].year == 2015}
    assert titles(corpus, "is:read date:2015", marks) == dated_read


def test_without_marks_nothing_is_read_or_bookmarked(corpus: Corpus) -> None:
    everything = set(corpus.articles.get_column("title"))
    assert titles(corpus, "is:read") == set() and titles(corpus, "is:bookmarked") == set()
    assert titles(corpus, "is:unread") == everything


def test_a_query_says_when_it_needs_the_marks() -> None:
    for text in ("is:read", "-is:unread", "war OR is:bookmarked", "kind:bookmarked"):
        query = parse_filter(text)
        assert isinstance(query, Query) and query.uses_marks, text
    for text in ("", "war", "kind:teaser", "date:2021", '"is:read"'):
        query = parse_filter(text)
        assert isinstance(query, Query) and not query.uses_marks, text


def test_every_mark_value_parses() -> None:
    for value in MARK_VALUES:
        assert isinstance(parse_filter(f"is:{value}"), Query)


def test_where_reads_the_dashboards_marks_from_the_state_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    for title in ("Alpha news", "Bravo news", "Charlie news"):
        (root / f"{title}.txt").write_text(f"{title}\n\nThe body of {title.lower()}.\n", encoding="utf-8")

    def where(text: str) -> list[str]:
        assert main(["parse", str(root), "--where", text]) == 0
        return sorted(json.loads(line)["title"] for line in capsys.readouterr().out.splitlines())

    assert where("is:read") == []
    assert where("is:unread") == ["Alpha news", "Bravo news", "Charlie news"]
    ids = dict(load_corpus([root], use_snapshot=False).articles.select("title", "id").iter_rows())
    store = StateStore([root], print)
    store.load()
    store.save(CorpusState(read={ids["Alpha news"], ids["Charlie news"]}, bookmarks={ids["Bravo news"]}))
    assert where("is:read") == ["Alpha news", "Charlie news"]
    assert where("is:unread") == ["Bravo news"]
    assert where("is:bookmarked OR is:read") == ["Alpha news", "Bravo news", "Charlie news"]


def test_the_overview_counts_the_marks_of_this_corpus_only(corpus: Corpus) -> None:
    from core.overview import corpus_overview

    read = _ids(corpus, EN[0]["title"], EN[3]["title"])
    marks = Marks(read=read | {"an-id-of-another-corpus"}, bookmarked=_ids(corpus, EN[3]["title"]))
    overview = corpus_overview(corpus.articles, corpus.keywords, marks=marks)
    assert (overview.read, overview.bookmarked) == (2, 1)
    assert overview.rows - overview.read == corpus.articles.height - 2
    bare = corpus_overview(corpus.articles, corpus.keywords)
    assert (bare.read, bare.bookmarked) == (0, 0)
