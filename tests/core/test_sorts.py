"""Sort directions: `S` reverses the sort, undated and sectionless rows stay last, and the
status bar's label says which way the list runs. On the real Wikinews corpus of
`tests.core.dated_corpus` (articles dated by their datelines, undated teasers)."""

from __future__ import annotations

import polars as pl
import pytest

from core.corpus import Corpus
from core.sorts import SORTS, is_sort, next_sort, reverse_sort, sort_label, sort_name
from core.view import CorpusView
from tests.core.dated_corpus import read_dated_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return read_dated_corpus(tmp_path_factory.mktemp("realtext") / "corpus")


def _rows(view: CorpusView, sort: str, text: str = "") -> pl.DataFrame:
    result = view.compute(text, sort)
    assert isinstance(result, pl.DataFrame), result
    return result


def test_reversed_date_is_oldest_first_and_undated_rows_stay_last(corpus: Corpus) -> None:
    view = CorpusView(corpus)
    for sort, descending in (("date", True), ("-date", False)):
        dates = _rows(view, sort).get_column("date").to_list()
        dated = [date for date in dates if date is not None]
        assert dated == sorted(dated, reverse=descending), sort
        assert dates[: len(dated)] == dated and all(date is None for date in dates[len(dated) :]), sort
        assert len(dated) >= 35 and len(dates) > len(dated)
    oldest = _rows(view, "-date").row(0, named=True)
    assert oldest["date"] == corpus.articles.get_column("date").min()


def test_every_sort_reverses_and_reverses_back(corpus: Corpus) -> None:
    view = CorpusView(corpus)
    for sort in SORTS:
        forward = _rows(view, sort).get_column("id").to_list()
        backward = _rows(view, reverse_sort(sort)).get_column("id").to_list()
        assert sorted(forward) == sorted(backward) and forward != backward, sort
        assert _rows(view, reverse_sort(reverse_sort(sort))).get_column("id").to_list() == forward
    assert _rows(view, "-relevance").get_column("id").to_list() == corpus.articles.get_column("id").reverse().to_list()
    words = _rows(view, "-length").get_column("words").to_list()
    assert words == sorted(words)
    titles = [title.lower() for title in _rows(view, "-title").get_column("title").to_list()]
    assert titles == sorted(titles, reverse=True)


def test_a_reversed_section_sort_keeps_rows_without_a_section_last(corpus: Corpus) -> None:
    # the listing pages' teasers carry a section; give one article none to see where it goes
    articles = corpus.articles.with_columns(
        section=pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("section"))
    )
    view = CorpusView(Corpus(articles, corpus.keywords))
    for sort in ("section", "-section"):
        sections = _rows(view, sort).get_column("section").to_list()
        assert sections[-1] is None and None not in sections[:-1], sort
        named = [section.lower() for section in sections[:-1]]
        assert named == sorted(named, reverse=sort.startswith("-")), sort


def test_a_reversed_sort_applies_to_a_filtered_view(corpus: Corpus) -> None:
    view = CorpusView(corpus)
    dates = _rows(view, "-date", "date:2015").get_column("date").to_list()
    assert dates == sorted(dates) and len(dates) >= 5 and all(date.year == 2015 for date in dates)


def test_sort_names_directions_and_labels() -> None:
    assert [sort_label(sort) for sort in SORTS] == ["relevance ↓", "title ↑", "section ↑", "length ↓", "date ↓"]
    assert [sort_label(reverse_sort(sort)) for sort in SORTS] == ["relevance ↑", "title ↓", "section ↓", "length ↑", "date ↑"]
    assert reverse_sort("date") == "-date" and reverse_sort("-date") == "date" and sort_name("-date") == "date"
    assert next_sort("-date") == "relevance" and next_sort("-title") == "section"  # s starts the next sort in its own direction
    assert is_sort("-length") and is_sort("title") and not is_sort("--title") and not is_sort("") and not is_sort("-")
