"""CorpusView: the precomputed sort orders agree with sorting the frame directly; the view's
keyword aggregate (row positions, `KeywordIndex`) agrees with `aggregate_keywords` by ids."""

from __future__ import annotations

import polars as pl
import pytest

from core.corpus import KEYWORD_SCHEMA, RawArticle, build_corpus
from core.sorts import SORTS, next_sort
from core.aggregate import aggregate_keywords
from core.view import DISPLAY_ONLY, ORDER_COLUMNS, CorpusView, FilterError


def corpus():
    titles = ["beta", "Alpha", "alpha", "gamma", "Beta two", "delta"]
    sections = ["X", None, "y", "x", None, "Y"]
    return build_corpus(
        RawArticle(title=t, body=f"body {i} energy" if i % 2 else f"body {i}", path="p", section=s)
        for i, (t, s) in enumerate(zip(titles, sections))
    )


@pytest.mark.parametrize("sort", list(ORDER_COLUMNS))
def test_precomputed_orders_match_a_direct_sort_with_ties_and_nulls(sort: str) -> None:
    view = CorpusView(corpus())
    keys = [pl.col("title").str.to_lowercase()]
    if sort == "section":
        keys.insert(0, pl.col("section").str.to_lowercase())
    expected = view.corpus.articles.sort(keys, nulls_last=True, maintain_order=True).get_column("id").to_list()
    result = view.compute("", sort)
    assert isinstance(result, pl.DataFrame)
    assert result.get_column("id").to_list() == expected
    filtered = view.compute("energy", sort)
    assert isinstance(filtered, pl.DataFrame)
    assert filtered.get_column("id").to_list() == [i for i in expected if i in set(filtered.get_column("id"))]
    assert filtered.height == 3


def test_bad_filter_is_a_value_with_a_span() -> None:
    result = CorpusView(corpus()).compute("energy secton:x", "relevance")
    assert isinstance(result, FilterError)
    assert result.span == (7, 15)


def test_sort_cycle_and_display_columns() -> None:
    assert [next_sort(s) for s in SORTS] == [*SORTS[1:], SORTS[0]]
    view = CorpusView(corpus())
    view.compute("", "title")
    assert ORDER_COLUMNS["section"] not in view.articles.columns  # computed only when asked for
    view.compute("", "section")
    assert set(ORDER_COLUMNS.values()) <= set(view.articles.columns)
    assert set(view.articles.columns) - set(view.corpus.articles.columns) <= set(DISPLAY_ONLY)


@pytest.mark.parametrize("text", ["", "energy", "-energy", "body", "nothing-matches"])
@pytest.mark.parametrize("sort", SORTS)
def test_view_keywords_are_the_aggregate_of_the_rows_shown(text: str, sort: str) -> None:
    base = corpus()
    ids = base.articles.get_column("id").to_list()
    keywords = pl.DataFrame(
        [(ident, 1, "Gas", "gas", 0.1 * n) for n, ident in enumerate(ids)]
        + [(ident, 2, "Nato", "nato", 0.5) for ident in ids[::2]]
        + [(ids[-1], 3, "other", "other", 0.9), ("not-an-article", 1, "ghost", "ghost", 0.1)],
        schema=KEYWORD_SCHEMA,
        orient="row",
    )
    view = CorpusView(base.with_keywords(keywords))
    frame = view.compute(text, sort)
    assert isinstance(frame, pl.DataFrame)
    result = view.aggregate(frame)
    known = keywords.filter(pl.col("id").is_in(ids))
    expected = aggregate_keywords(known, None if not text else frame.get_column("id"), top=200)
    assert result.select("keyword", "docs").rows() == expected.select("keyword", "docs").rows()
    assert view.articles.get_column("kw_top").to_list()[: len(ids)] == [
        ", ".join(k for k, i in [("Gas", 1), ("Nato", 2), ("other", 3)] if (i != 2 or n % 2 == 0) and (i != 3 or n == len(ids) - 1))
        for n in range(len(ids))
    ]
