"""Corpus statistics on small hand-made corpora, with the expected numbers worked out by hand:
aggregated keywords, keyness (G2 and Log Ratio written out with math.log), and KWIC lines."""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from core.aggregate import AGGREGATE_SCHEMA, aggregate_keywords
from core.corpus import KEYWORD_SCHEMA, RawArticle, build_corpus
from core.keyness import KEYNESS_SCHEMA, keyness
from core.keyword_index import KeywordIndex, matching_index
from core.keyword_rows import Ids
from core.kwic import KWIC_SCHEMA, kwic


def _keywords(rows: list[tuple[str, int, str, str, float]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=KEYWORD_SCHEMA, orient="row")


def _close(value: float) -> object:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


# --- aggregate_keywords -----------------------------------------------------------------------

AGGREGATE_KEYWORDS = _keywords(
    [
        ("A", 1, "European Union", "european union", 0.1),
        ("A", 2, "Gas", "gas", 0.3),
        ("B", 1, "european union", "european union", 0.2),
        ("B", 2, "gas", "gas", 0.1),
        ("C", 1, "European Union", "european union", 0.3),
        ("C", 2, "pipeline", "pipeline", 0.05),
        ("C", 3, "beta", "beta", 0.05),
        ("C", 4, "alpha", "alpha", 0.05),
        ("D", 1, "Gas", "gas", 0.5),
        ("D", 2, "Nato", "nato", 0.7),
        ("E", 1, "NATO", "nato", 0.9),
    ]
)


def test_aggregate_whole_corpus() -> None:
    result = aggregate_keywords(AGGREGATE_KEYWORDS)
    assert result.schema == AGGREGATE_SCHEMA
    assert result.select("keyword", "key", "docs").rows() == [
        ("European Union", "european union", 3),  # mean 0.2 beats gas's 0.3 on the docs tie
        ("Gas", "gas", 3),  # "Gas" twice, "gas" once
        ("NATO", "nato", 2),  # one "NATO", one "Nato": the alphabetically first form
        ("alpha", "alpha", 1),  # alpha, beta, pipeline tie on docs and score: by key
        ("beta", "beta", 1),
        ("pipeline", "pipeline", 1),
    ]
    assert result["score"].to_list() == [
        _close((0.1 + 0.2 + 0.3) / 3),
        _close((0.3 + 0.1 + 0.5) / 3),
        _close((0.7 + 0.9) / 2),
        _close(0.05),
        _close(0.05),
        _close(0.05),
    ]


@pytest.mark.parametrize(
    "ids", [["A", "D"], ("D", "A", "A"), pl.Series(["A", "D"]), pl.Series("other", ["D", "A"])]
)
def test_aggregate_subset(ids: Ids) -> None:
    result = aggregate_keywords(AGGREGATE_KEYWORDS, ids)
    assert result.select("keyword", "docs").rows() == [
        ("Gas", 2),
        ("European Union", 1),
        ("Nato", 1),
    ]
    assert result["score"].to_list() == [_close((0.3 + 0.5) / 2), _close(0.1), _close(0.7)]


def test_aggregate_top_and_empty() -> None:
    assert aggregate_keywords(AGGREGATE_KEYWORDS, top=2)["key"].to_list() == [
        "european union",
        "gas",
    ]
    assert aggregate_keywords(AGGREGATE_KEYWORDS, top=0).height == 0
    empty = aggregate_keywords(AGGREGATE_KEYWORDS, ids=[])
    assert empty.height == 0 and empty.schema == AGGREGATE_SCHEMA
    nothing = aggregate_keywords(pl.DataFrame(schema=KEYWORD_SCHEMA))
    assert nothing.height == 0 and nothing.schema == AGGREGATE_SCHEMA


# [1] and [1, 3]: display forms from the chosen rows only ("european union", and "Gas" over
# "gas" on a tie), not from the whole corpus.
@pytest.mark.parametrize("rows", [None, [0, 3], [3, 0, 0], [], [4], [0, 1, 2, 3, 4], [1], [1, 3], [5]])
@pytest.mark.parametrize("top", [None, 2, 0])
def test_keyword_index_aggregates_like_aggregate_keywords(rows: list[int] | None, top: int | None) -> None:
    """The integer index (row positions, key codes) gives the same rows in the same order."""
    ids = pl.Series("id", ["A", "B", "C", "D", "E", "F"])  # F has no keywords
    index = KeywordIndex(ids, AGGREGATE_KEYWORDS)
    chosen = None if rows is None else ids.gather(rows)
    expected = aggregate_keywords(AGGREGATE_KEYWORDS, chosen, top=top)
    result = index.aggregate(None if rows is None else pl.Series(rows, dtype=pl.UInt32), top=top)
    assert result.schema == AGGREGATE_SCHEMA
    assert result.select("keyword", "key", "docs").rows() == expected.select("keyword", "key", "docs").rows()
    assert result["score"].to_list() == pytest.approx(expected["score"].to_list())  # summed in another order
    assert index.aggregate(None, top=top) is index.aggregate(None, top=top)  # the whole corpus once
    # A shorter whole-corpus list is the head of a longer one made before.
    longer = KeywordIndex(ids, AGGREGATE_KEYWORDS)
    longer.aggregate(None, top=None)
    assert_frame_equal(longer.aggregate(None, top=top), index.aggregate(None, top=top))


def test_an_index_is_used_only_with_the_frames_it_was_built_over() -> None:
    articles = pl.DataFrame({"id": ["A", "B", "C", "D", "E", "F"]})
    keywords = AGGREGATE_KEYWORDS.clone()
    index = KeywordIndex(articles.get_column("id"), keywords)
    assert matching_index(index, articles, keywords) is index
    # Equal ids in another frame (the view indexes its own copy of the id column).
    assert matching_index(index, pl.DataFrame({"id": ["A", "B", "C", "D", "E", "F"]}), keywords) is index
    # An equal keywords frame is not the same frame: nothing says it stays equal.
    assert matching_index(index, articles, keywords.clone()) is None
    # Row positions are what the index holds: other ids, or the same in another order, miss.
    assert matching_index(index, articles.reverse(), keywords) is None
    assert matching_index(index, articles.head(5), keywords) is None
    assert matching_index(None, articles, keywords) is None


# --- keyness ----------------------------------------------------------------------------------

# Subset s1..s4 (s4 has no keywords), rest r1..r6 (r6 has none): c = 4, d = 6, N = 10.
SUBSET = ["s1", "s2", "s3", "s4"]
TOTAL = [*SUBSET, "r1", "r2", "r3", "r4", "r5", "r6"]
KEYNESS_KEYWORDS = _keywords(
    [
        ("s1", 1, "Gas", "gas", 0.1),
        ("s2", 1, "gas", "gas", 0.1),
        ("s3", 1, "Gas", "gas", 0.1),
        ("r1", 1, "GAS", "gas", 0.1),
        ("zz", 1, "GAS", "gas", 0.1),  # not in the corpus: ignored
        ("s1", 2, "Pipeline", "pipeline", 0.2),
        ("s1", 3, "war", "war", 0.3),
        ("r1", 2, "war", "war", 0.3),
        ("r2", 2, "war", "war", 0.3),
        ("r3", 2, "war", "war", 0.3),
        ("s1", 4, "tie", "tie", 0.4),
        ("s2", 4, "tie", "tie", 0.4),
        ("r1", 4, "tie", "tie", 0.4),
        ("r2", 4, "tie", "tie", 0.4),
        ("r3", 4, "tie", "tie", 0.4),
        ("s2", 5, "peace", "peace", 0.5),
        ("r4", 5, "peace", "peace", 0.5),
    ]
)


def _expected_g2(cells: list[tuple[float, float]]) -> float:
    """2 * sum(O ln(O/E)), cells with O = 0 contributing nothing."""
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


def test_keyness_exact_values() -> None:
    result = keyness(KEYNESS_KEYWORDS, SUBSET, TOTAL)
    assert result.schema == KEYNESS_SCHEMA
    # war (1/4 vs 3/6) is under-represented and tie (2/4 vs 3/6) is not over: both left out.
    assert result.select("keyword", "key", "docs_subset", "docs_rest").rows() == [
        ("Gas", "gas", 3, 1),
        ("Pipeline", "pipeline", 1, 0),
        ("peace", "peace", 1, 1),
    ]
    # Cells (observed, expected): subset-with, subset-without, rest-with, rest-without;
    # expected = row total * column total / 10.
    gas = _expected_g2([(3, 4 * 4 / 10), (1, 4 * 6 / 10), (1, 6 * 4 / 10), (5, 6 * 6 / 10)])
    pipeline = _expected_g2([(1, 4 * 1 / 10), (3, 4 * 9 / 10), (0, 6 * 1 / 10), (6, 6 * 9 / 10)])
    peace = _expected_g2([(1, 4 * 2 / 10), (3, 4 * 8 / 10), (1, 6 * 2 / 10), (5, 6 * 8 / 10)])
    assert result["g2"].to_list() == [_close(gas), _close(pipeline), _close(peace)]
    assert gas == _close(
        2 * (3 * math.log(3 / 1.6) + 2 * math.log(1 / 2.4) + 5 * math.log(5 / 3.6))
    )
    assert result["log_ratio"].to_list() == [
        _close(math.log2((3 / 4) / (1 / 6))),
        _close(math.log2((1 / 4) / (0.5 / 6))),  # zero rest count taken as 0.5
        _close(math.log2((1 / 4) / (1 / 6))),
    ]


def test_keyness_ignores_duplicate_and_unknown_subset_ids() -> None:
    noisy = [*SUBSET, "s1", "ghost"]
    expected = keyness(KEYNESS_KEYWORDS, SUBSET, TOTAL)
    assert keyness(KEYNESS_KEYWORDS, noisy, TOTAL).equals(expected)
    assert keyness(KEYNESS_KEYWORDS, pl.Series(SUBSET), pl.Series(TOTAL)).equals(expected)


def test_keyness_sizes_count_articles_without_keywords() -> None:
    # Dropping s4 and r6 from the corpus changes c and d, so the numbers must change.
    smaller = keyness(KEYNESS_KEYWORDS, SUBSET[:3], [t for t in TOTAL if t not in ("s4", "r6")])
    assert smaller["g2"][0] != keyness(KEYNESS_KEYWORDS, SUBSET, TOTAL)["g2"][0]
    # c = 3, d = 5: gas is 3/3 vs 1/5.
    gas = _expected_g2([(3, 3 * 4 / 8), (1, 5 * 4 / 8), (4, 5 * 4 / 8)])
    assert smaller.row(0, named=True)["g2"] == _close(gas)


def test_keyness_top_and_degenerate_subsets() -> None:
    assert keyness(KEYNESS_KEYWORDS, SUBSET, TOTAL, top=1)["key"].to_list() == ["gas"]
    for subset in ([], ["ghost"], TOTAL):
        result = keyness(KEYNESS_KEYWORDS, subset, TOTAL)
        assert result.height == 0 and result.schema == KEYNESS_SCHEMA


@pytest.mark.parametrize("subset", [SUBSET, ["s1", "s1", "r4"], ["s4"], [], TOTAL])
def test_index_distinctive_without_a_floor_is_keyness(subset: list[str]) -> None:
    """Through the index, articles without keywords (s4, r6) still count in c and d, and keyword
    rows of other articles (zz) are left out, as `keyness` does over the ids."""
    ids = pl.Series("id", TOTAL)
    index = KeywordIndex(ids, KEYNESS_KEYWORDS)
    rows = pl.Series([TOTAL.index(name) for name in subset], dtype=pl.UInt32)
    expected = keyness(KEYNESS_KEYWORDS, subset, TOTAL)
    assert_frame_equal(index.distinctive(rows, min_docs=1), expected, check_exact=True)


# --- KWIC -------------------------------------------------------------------------------------


def _kwic_articles() -> pl.DataFrame:
    return build_corpus(
        [
            RawArticle(
                title="War news",
                body="The war, and the WAR\nagain: warfare.\n\nSoftware war ends.",
                path="a",
            ),
            RawArticle(
                title="Quiet", body="Nothing here; a.b but not axb. [bold] stays.", path="b"
            ),
            RawArticle(title="Мир", body="Война и мир. МИР!", path="c"),
        ]
    ).articles


KWIC_ARTICLES = _kwic_articles()
A, B, C = KWIC_ARTICLES["id"].to_list()


def test_kwic_word_in_title_and_body_in_order() -> None:
    result = kwic(KWIC_ARTICLES, "war", width=8)
    assert result.schema == KWIC_SCHEMA
    assert result.rows() == [
        (A, "War news", "title", "", "War", " news"),
        (A, "War news", "body", "The ", "war", ", and th"),
        (A, "War news", "body", "and the ", "WAR", " again: "),  # the newline became a space
        (A, "War news", "body", "oftware ", "war", " ends."),  # not "warfare", not "Software"
    ]


def test_kwic_phrase_spans_whitespace_runs() -> None:
    result = kwic(KWIC_ARTICLES, "war  AGAIN", width=5)
    assert result.rows() == [(A, "War news", "body", " the ", "WAR again", ": war")]
    across_paragraphs = kwic(KWIC_ARTICLES, "warfare. software", width=3)
    assert across_paragraphs.select("left", "match", "right").rows() == [
        ("n: ", "warfare. Software", " wa")
    ]


def test_kwic_is_literal() -> None:
    assert kwic(KWIC_ARTICLES, "a.b", width=4).select("id", "left", "match", "right").rows() == [
        (B, "re; ", "a.b", " but")
    ]
    assert kwic(KWIC_ARTICLES, "[bold]", width=3).select("left", "match", "right").rows() == [
        ("b. ", "[bold]", " st")
    ]
    assert kwic(KWIC_ARTICLES, "(", width=3).height == 0
    assert kwic(KWIC_ARTICLES, ".*", width=3).height == 0


def test_kwic_cyrillic_case_insensitive() -> None:
    result = kwic(KWIC_ARTICLES, "мир", width=4)
    assert result.rows() == [
        (C, "Мир", "title", "", "Мир", ""),
        (C, "Мир", "body", "а и ", "мир", ". МИ"),
        (C, "Мир", "body", "ир. ", "МИР", "!"),
    ]


def test_kwic_width_zero_and_no_matches() -> None:
    assert kwic(KWIC_ARTICLES, "nothing", width=0).rows() == [
        (B, "Quiet", "body", "", "Nothing", "")
    ]
    for term in ("", "   ", "absent", "wa"):
        result = kwic(KWIC_ARTICLES, term)
        assert result.height == 0 and result.schema == KWIC_SCHEMA


def test_kwic_limit_keeps_the_first_lines() -> None:
    every = kwic(KWIC_ARTICLES, "war", width=8)
    assert kwic(KWIC_ARTICLES, "war", width=8, limit=2).equals(every.head(2))
    assert kwic(KWIC_ARTICLES, "war", width=8, limit=99).equals(every)
    assert kwic(KWIC_ARTICLES, "war", limit=0).height == 0


def test_kwic_on_text_that_did_not_come_through_ingest() -> None:
    raw = pl.DataFrame(
        {"id": ["x", "y"], "title": ["t", None], "body": ["x \x00war\x01\x01 y", "war"]}
    )
    assert kwic(raw, "war", width=5).rows() == [
        ("x", "t", "body", "x ", "war", " y"),
        ("y", None, "body", "", "war", ""),
    ]
