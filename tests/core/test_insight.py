"""Insight statistics on small hand-made corpora, expected numbers worked out by hand: distinctive
keywords (keyness with a minimum document count), a keyword's trend by section / ISO week /
month, co-occurring keywords (log-Dice), and the corpus overview."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest

from core.corpus import KEYWORD_SCHEMA, TEASER, RawArticle, build_corpus
from polars.testing import assert_frame_equal

from core.aggregate import AGGREGATE_SCHEMA
from core.cooccurrence import COOCCURRENCE_SCHEMA, cooccurring_keywords
from core.keyness import KEYNESS_SCHEMA, distinctive_keywords
from core.keyword_index import KeywordIndex
from core.overview import corpus_overview
from core.trends import TREND_SCHEMA, keyword_profile, keyword_trend


def _close(value: float) -> object:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


def _g2(cells: list[tuple[float, float]]) -> float:
    """2 * sum(O ln(O/E)) over (observed, expected) cells, O = 0 contributing nothing."""
    return 2 * sum(o * math.log(o / e) for o, e in cells if o > 0)


def _raw(title: str, **fields: object) -> RawArticle:
    body = str(fields.pop("body", f"The story of {title} told in plain English words for the reader."))
    return RawArticle(title=title, body=body, path=str(fields.pop("path", "corpus.txt")), **fields)  # type: ignore[arg-type]


# Seven rows. Sections: Energy a1 a2 a3 t1, Russia a4 a5, none a6. a1 is seen twice and the
# teaser t1 three times (sidebars repeat). Dates: a1 Mon 2021-11-01 and a2 Wed 11-03 (ISO week
# 44), a3 11-16 (week 46), a4 Tue 11-30 and a6 Wed 12-01 (week 48); a5 and t1 have none.
# a5 is Russian.
CORPUS = build_corpus(
    [
        _raw("a1", section="Energy", source="RIAC", date=dt.date(2021, 11, 1)),
        _raw("a1", section="Energy", source="RIAC", date=dt.date(2021, 11, 1), path="copy.txt"),
        _raw("a2", section="Energy", source="RIAC", date=dt.date(2021, 11, 3)),
        _raw("a3", section="Energy", source="TASS", date=dt.date(2021, 11, 16)),
        _raw("a4", section="Russia", source="TASS", date=dt.date(2021, 11, 30)),
        _raw("a5", section="Russia", body="Цены на газ снова выросли, и Европа заполняет хранилища к зиме."),
        _raw("t1", section="Energy", kind=TEASER, body="Cities paint more crossings..."),
        _raw("t1", section="Energy", kind=TEASER, body="Cities paint more crossings...", path="p2.txt"),
        _raw("t1", section="Energy", kind=TEASER, body="Cities paint more crossings...", path="p3.txt"),
        _raw("a6", date=dt.date(2021, 12, 1)),
    ]
).articles
ID = dict(zip(CORPUS["title"].to_list(), CORPUS["id"].to_list(), strict=True))

# gas: a1 a2 a3 a4 · pipeline: a1 a2 a4 · europe: a1 a5 · oil: a2 a3 · t1 and a6 have none.
KEYWORDS = pl.DataFrame(
    [
        (ID["a1"], 1, "Gas", "gas", 0.1),
        (ID["a1"], 2, "pipeline", "pipeline", 0.2),
        (ID["a1"], 3, "Europe", "europe", 0.3),
        (ID["a2"], 1, "gas", "gas", 0.1),
        (ID["a2"], 2, "Pipeline", "pipeline", 0.2),
        (ID["a2"], 3, "oil", "oil", 0.6),
        (ID["a3"], 1, "Gas", "gas", 0.1),
        (ID["a3"], 2, "oil", "oil", 0.6),
        (ID["a4"], 1, "Gas", "gas", 0.3),
        (ID["a4"], 2, "pipeline", "pipeline", 0.2),
        (ID["a5"], 1, "Europe", "europe", 0.5),
    ],
    schema=KEYWORD_SCHEMA,
    orient="row",
)
ENERGY = [ID["a1"], ID["a2"], ID["a3"], ID["t1"]]


def test_corpus_is_what_the_comments_say() -> None:
    assert CORPUS.height == 7
    assert dict(zip(CORPUS["title"], CORPUS["copies"], strict=True)) == {
        "a1": 2, "a2": 1, "a3": 1, "a4": 1, "a5": 1, "t1": 3, "a6": 1,
    }
    assert dict(zip(CORPUS["title"], CORPUS["language"], strict=True))["a5"] == "ru"


# --- distinctive keywords ---------------------------------------------------------------------

# Energy (c = 4: a1 a2 a3 t1) against the rest (d = 3: a4 a5 a6), N = 7.
# gas 3 vs 1 (3/4 > 1/3), oil 2 vs 0, pipeline 2 vs 1 (2/4 > 1/3); europe 1 vs 1 is not over.
GAS_G2 = _g2([(3, 4 * 4 / 7), (1, 4 * 3 / 7), (1, 3 * 4 / 7), (2, 3 * 3 / 7)])
PIPELINE_G2 = _g2([(2, 4 * 3 / 7), (2, 4 * 4 / 7), (1, 3 * 3 / 7), (2, 3 * 4 / 7)])
OIL_G2 = _g2([(2, 4 * 2 / 7), (2, 4 * 5 / 7), (0, 3 * 2 / 7), (3, 3 * 5 / 7)])


def test_distinctive_keeps_keys_in_at_least_three_subset_articles() -> None:
    result = distinctive_keywords(CORPUS, KEYWORDS, ENERGY)
    assert result.schema == KEYNESS_SCHEMA
    # oil and pipeline (2 subset articles each) are over-represented but below the floor.
    assert result.rows() == [
        ("Gas", "gas", 3, 1, _close(GAS_G2), _close(math.log2((3 / 4) / (1 / 3)))),
    ]


def test_distinctive_without_the_floor_is_plain_keyness() -> None:
    result = distinctive_keywords(CORPUS, KEYWORDS, ENERGY, min_docs=1)
    assert OIL_G2 > GAS_G2 > PIPELINE_G2  # so this is the order
    assert result.select("key", "docs_subset", "docs_rest").rows() == [
        ("oil", 2, 0),
        ("gas", 3, 1),
        ("pipeline", 2, 1),
    ]
    assert result["g2"].to_list() == [_close(OIL_G2), _close(GAS_G2), _close(PIPELINE_G2)]
    assert result["log_ratio"].to_list() == [
        _close(math.log2((2 / 4) / (0.5 / 3))),  # zero rest count taken as 0.5
        _close(math.log2((3 / 4) / (1 / 3))),
        _close(math.log2((2 / 4) / (1 / 3))),
    ]
    assert distinctive_keywords(CORPUS, KEYWORDS, ENERGY, top=2, min_docs=1)["key"].to_list() == [
        "oil",
        "gas",
    ]


def test_distinctive_floor_is_capped_at_a_small_subset() -> None:
    # Subset a3 alone (c = 1, d = 6): the floor is 1. oil 1 vs 1 (1/1 > 1/6), gas 1 vs 3.
    result = distinctive_keywords(CORPUS, KEYWORDS, [ID["a3"], "not-an-id"])
    oil = _g2([(1, 1 * 2 / 7), (0, 1 * 5 / 7), (1, 6 * 2 / 7), (5, 6 * 5 / 7)])
    gas = _g2([(1, 1 * 4 / 7), (0, 1 * 3 / 7), (3, 6 * 4 / 7), (3, 6 * 3 / 7)])
    assert oil > gas
    assert result.select("key", "docs_subset", "docs_rest").rows() == [("oil", 1, 1), ("gas", 1, 3)]
    assert result["g2"].to_list() == [_close(oil), _close(gas)]


def test_distinctive_of_nothing_or_everything_is_empty() -> None:
    for subset in ([], ["ghost"], CORPUS["id"]):
        result = distinctive_keywords(CORPUS, KEYWORDS, subset)
        assert result.height == 0 and result.schema == KEYNESS_SCHEMA


POSITION = {title: row for row, title in enumerate(CORPUS["title"].to_list())}


def _positions(titles: list[str]) -> pl.Series:
    return pl.Series([POSITION[title] for title in titles], dtype=pl.UInt32)


def test_distinctive_through_the_index_by_hand() -> None:
    index = KeywordIndex(CORPUS.get_column("id"), KEYWORDS)
    result = index.distinctive(_positions(["a1", "a2", "a3", "t1"]))
    assert result.schema == KEYNESS_SCHEMA
    assert result.rows() == [("Gas", "gas", 3, 1, _close(GAS_G2), _close(math.log2((3 / 4) / (1 / 3))))]
    # a3 alone, twice: c = 1, so the floor is 1 (as in the capped-floor test above).
    assert index.distinctive(_positions(["a3", "a3"])).select("key", "docs_subset", "docs_rest").rows() == [
        ("oil", 1, 1),
        ("gas", 1, 3),
    ]


@pytest.mark.parametrize(
    "titles",
    [
        ["a1", "a2", "a3", "t1"],  # Energy
        ["a3"],
        ["a4", "a5"],  # Russia: europe's display form comes from a5 alone
        ["a1", "a5", "a6"],
        ["a2", "a4", "a2"],
        [],
        ["a1", "a2", "a3", "a4", "a5", "t1", "a6"],
    ],
)
@pytest.mark.parametrize("min_docs", [1, 2, 3])
@pytest.mark.parametrize("top", [None, 1, 0])
def test_distinctive_through_the_index_is_the_same(titles: list[str], min_docs: int, top: int | None) -> None:
    """Row positions and key codes give the very same frame as the ids and strings (exact
    floats: the same counts go through the same expressions)."""
    index = KeywordIndex(CORPUS.get_column("id"), KEYWORDS)
    index.aggregate(None, top=1)  # the whole-corpus counts the rest counts come from
    expected = distinctive_keywords(CORPUS, KEYWORDS, [ID[title] for title in titles], top=top, min_docs=min_docs)
    assert_frame_equal(index.distinctive(_positions(titles), top=top, min_docs=min_docs), expected, check_exact=True)


# --- trends -----------------------------------------------------------------------------------


def test_trend_by_section_counts_documents_and_shares() -> None:
    result = keyword_trend(CORPUS, KEYWORDS, "gas", by="section")
    assert result.schema == TREND_SCHEMA
    assert result.rows() == [
        ("Energy", None, 3, 4, 3 / 4),  # a1 a2 a3 of a1 a2 a3 t1
        ("Russia", None, 1, 2, 1 / 2),  # a4 of a4 a5
        (None, None, 0, 1, 0.0),  # a6, no section: listed, with nothing
    ]


def test_trend_by_iso_week_is_zero_filled() -> None:
    result = keyword_trend(CORPUS, KEYWORDS, "gas", by="week")
    assert result.rows() == [
        ("2021-W44", dt.date(2021, 11, 1), 2, 2, 1.0),  # a1, a2
        ("2021-W45", dt.date(2021, 11, 8), 0, 0, None),  # no article that week
        ("2021-W46", dt.date(2021, 11, 15), 1, 1, 1.0),  # a3
        ("2021-W47", dt.date(2021, 11, 22), 0, 0, None),
        ("2021-W48", dt.date(2021, 11, 29), 1, 2, 1 / 2),  # a4 has gas, a6 not
    ]


def test_trend_by_month() -> None:
    result = keyword_trend(CORPUS, KEYWORDS, "pipeline", by="month")
    assert result.rows() == [
        ("2021-11", dt.date(2021, 11, 1), 3, 4, 3 / 4),  # a1 a2 a4 of a1 a2 a3 a4
        ("2021-12", dt.date(2021, 12, 1), 0, 1, 0.0),  # a6
    ]


def test_trend_weeks_use_the_iso_year_across_new_year() -> None:
    articles = build_corpus(
        [
            _raw("x", date=dt.date(2020, 12, 28)),  # Monday of 2020-W53
            _raw("y", date=dt.date(2021, 1, 3)),  # Sunday: still 2020-W53
            _raw("z", date=dt.date(2021, 1, 4)),  # Monday of 2021-W01
        ]
    ).articles
    ids = dict(zip(articles["title"], articles["id"], strict=True))
    keywords = pl.DataFrame([(ids["y"], 1, "k", "k", 0.1)], schema=KEYWORD_SCHEMA, orient="row")
    assert keyword_trend(articles, keywords, "k", by="week").rows() == [
        ("2020-W53", dt.date(2020, 12, 28), 1, 2, 1 / 2),
        ("2021-W01", dt.date(2021, 1, 4), 0, 1, 0.0),
    ]


def test_trend_without_dates_or_unknown_key() -> None:
    undated = CORPUS.with_columns(date=pl.lit(None, dtype=pl.Date()))
    for by in ("week", "month"):
        result = keyword_trend(undated, KEYWORDS, "gas", by=by)  # type: ignore[arg-type]
        assert result.height == 0 and result.schema == TREND_SCHEMA
    absent = keyword_trend(CORPUS, KEYWORDS, "nothing")
    assert absent["docs"].to_list() == [0, 0, 0] and absent["total"].to_list() == [4, 2, 1]
    with pytest.raises(ValueError, match="unknown trend bucket"):
        keyword_trend(CORPUS, KEYWORDS, "gas", by="year")  # type: ignore[arg-type]


# --- co-occurrence ----------------------------------------------------------------------------


def _log_dice(shared: int, a: int, b: int) -> float:
    return 14 + math.log2(2 * shared / (a + b))


def test_cooccurring_keywords_log_dice() -> None:
    result = cooccurring_keywords(KEYWORDS, "gas")
    assert result.schema == COOCCURRENCE_SCHEMA
    # |gas| = 4. pipeline shares a1 a2 a4 of its 3; oil a2 a3 of its 2; europe a1 of 2.
    assert result.select("keyword", "key", "shared", "docs").rows() == [
        ("pipeline", "pipeline", 3, 3),  # two "pipeline", one "Pipeline" among the shared
        ("oil", "oil", 2, 2),
        ("Europe", "europe", 1, 2),
    ]
    assert result["strength"].to_list() == [
        _close(_log_dice(3, 4, 3)),
        _close(_log_dice(2, 4, 2)),
        _close(_log_dice(1, 4, 2)),
    ]
    assert _log_dice(3, 4, 3) == _close(14 + math.log2(6 / 7))


def test_cooccurring_within_ids_and_top() -> None:
    # Only a1 a3 a5: |gas| = 2 (a1 a3); pipeline {a1}, oil {a3}, europe {a1 a5}.
    result = cooccurring_keywords(KEYWORDS, "gas", ids=[ID["a1"], ID["a3"], ID["a5"]])
    assert result.select("key", "shared", "docs").rows() == [
        ("oil", 1, 1),  # ties pipeline on strength and shared: by key
        ("pipeline", 1, 1),
        ("europe", 1, 2),
    ]
    assert result["strength"].to_list() == [
        _close(_log_dice(1, 2, 1)),
        _close(_log_dice(1, 2, 1)),
        _close(13.0),  # 14 + log2(2/4)
    ]
    assert cooccurring_keywords(KEYWORDS, "gas", top=1)["key"].to_list() == ["pipeline"]


def test_cooccurring_of_unknown_or_lonely_key_is_empty() -> None:
    for key in ("nothing", "Gas"):  # keys are normalised: "Gas" is not one
        result = cooccurring_keywords(KEYWORDS, key)
        assert result.height == 0 and result.schema == COOCCURRENCE_SCHEMA
    lonely = pl.DataFrame([("x", 1, "solo", "solo", 0.1)], schema=KEYWORD_SCHEMA, orient="row")
    assert cooccurring_keywords(lonely, "solo").height == 0


# --- the integer index and the one-query profile ---------------------------------------------

KEYS = ["gas", "pipeline", "europe", "oil", "nothing", "Gas"]


@pytest.mark.parametrize("key", KEYS)
def test_trend_and_cooccurring_through_the_index_are_the_same(key: str) -> None:
    index = KeywordIndex(CORPUS.get_column("id"), KEYWORDS)
    for by in ("section", "week", "month"):
        assert_frame_equal(
            keyword_trend(CORPUS, KEYWORDS, key, by, index=index),  # type: ignore[arg-type]
            keyword_trend(CORPUS, KEYWORDS, key, by),  # type: ignore[arg-type]
        )
    for top in (None, 1, 2, 20):
        assert_frame_equal(
            cooccurring_keywords(KEYWORDS, key, top=top, index=index),
            cooccurring_keywords(KEYWORDS, key, top=top),
        )


def test_index_cooccurring_by_hand() -> None:
    """The numbers of test_cooccurring_keywords_log_dice, counted in integers."""
    index = KeywordIndex(CORPUS.get_column("id"), KEYWORDS)
    result = cooccurring_keywords(KEYWORDS, "gas", index=index)
    assert result.select("keyword", "key", "shared", "docs").rows() == [
        ("pipeline", "pipeline", 3, 3),
        ("oil", "oil", 2, 2),
        ("Europe", "europe", 1, 2),
    ]
    assert result["strength"].to_list() == [_close(_log_dice(3, 4, 3)), _close(_log_dice(2, 4, 2)), _close(_log_dice(1, 4, 2))]
    # Within ids the index is not used: the same as without it.
    within = [ID["a1"], ID["a3"], ID["a5"]]
    assert_frame_equal(cooccurring_keywords(KEYWORDS, "gas", ids=within, index=index), cooccurring_keywords(KEYWORDS, "gas", ids=within))


def test_index_of_other_articles_is_refused() -> None:
    index = KeywordIndex(CORPUS.get_column("id").head(3), KEYWORDS)
    with pytest.raises(ValueError, match="index is of 3 articles, not 7"):
        keyword_trend(CORPUS, KEYWORDS, "gas", index=index)
    with pytest.raises(ValueError, match="index is of 3 articles, not 7"):
        keyword_profile(CORPUS, KEYWORDS, "gas", index=index)


@pytest.mark.parametrize("indexed", [False, True], ids=["strings", "index"])
@pytest.mark.parametrize("key", KEYS)
def test_profile_is_each_statistic_at_once(key: str, indexed: bool) -> None:
    index = KeywordIndex(CORPUS.get_column("id"), KEYWORDS) if indexed else None
    profile = keyword_profile(CORPUS, KEYWORDS, key, top=2, index=index)
    assert list(profile.trends) == ["section", "week", "month"]
    for by, frame in profile.trends.items():
        assert_frame_equal(frame, keyword_trend(CORPUS, KEYWORDS, key, by))
    assert_frame_equal(profile.cooccurring, cooccurring_keywords(KEYWORDS, key, top=2))
    only = keyword_profile(CORPUS, KEYWORDS, key, by=("month", "section", "month"), index=index)
    assert list(only.trends) == ["month", "section"]


def test_profile_by_hand_and_without_dates() -> None:
    profile = keyword_profile(CORPUS, KEYWORDS, "pipeline", by=("section", "month"), top=1)
    # pipeline: a1 a2 (Energy) and a4 (Russia); by month a1 a2 a4 in November, none of a6 in December.
    assert profile.trends["section"].select("bucket", "docs", "total").rows() == [
        ("Energy", 2, 4),
        ("Russia", 1, 2),
        (None, 0, 1),
    ]
    assert profile.trends["month"].select("bucket", "docs", "total").rows() == [("2021-11", 3, 4), ("2021-12", 0, 1)]
    # Its strongest neighbour: gas, in all 3 of its articles (of gas's 4).
    assert profile.cooccurring.select("key", "shared", "docs").rows() == [("gas", 3, 4)]
    undated = CORPUS.with_columns(date=pl.lit(None, dtype=pl.Date()))
    empty = keyword_profile(undated, KEYWORDS, "pipeline", by=("week",))
    assert empty.trends["week"].height == 0 and empty.trends["week"].schema == TREND_SCHEMA
    with pytest.raises(ValueError, match="unknown trend bucket"):
        keyword_profile(CORPUS, KEYWORDS, "gas", by=("year",))  # type: ignore[arg-type]


# --- corpus overview --------------------------------------------------------------------------


def test_corpus_overview_counts() -> None:
    overview = corpus_overview(CORPUS, KEYWORDS)
    assert (overview.rows, overview.articles, overview.teasers) == (7, 6, 1)
    assert (overview.sections, overview.sources) == (2, 2)
    assert (overview.dated, overview.first_date, overview.last_date) == (
        5,
        dt.date(2021, 11, 1),
        dt.date(2021, 12, 1),
    )
    assert overview.indexed == 5  # a1..a5
    # a1 seen twice (1 extra), t1 three times (2 extra).
    assert (overview.duplicate_rows, overview.extra_sightings) == (2, 3)
    assert overview.by_section.rows() == [("Energy", 4, 4 / 7), ("Russia", 2, 2 / 7), (None, 1, 1 / 7)]
    # No source (a5, t1, a6) is the biggest group; RIAC and TASS tie and go by name.
    assert overview.by_source.rows() == [(None, 3, 3 / 7), ("RIAC", 2, 2 / 7), ("TASS", 2, 2 / 7)]
    assert overview.languages.rows() == [("en", 6, 6 / 7), ("ru", 1, 1 / 7)]
    assert overview.duplicates.select("title", "kind", "copies").rows() == [
        ("t1", "teaser", 3),
        ("a1", "article", 2),
    ]
    assert overview.top_keywords.schema == AGGREGATE_SCHEMA
    assert overview.top_keywords.select("keyword", "docs").rows() == [
        ("Gas", 4),
        ("pipeline", 3),
        ("Europe", 2),  # ties oil on docs; mean score 0.4 beats oil's 0.6
        ("oil", 2),
    ]


@pytest.mark.parametrize("top", [1, 3, 20])
def test_corpus_overview_through_the_index_is_the_same(top: int) -> None:
    index = KeywordIndex(CORPUS.get_column("id"), KEYWORDS)
    index.aggregate(None, top=2)  # a shorter list already made is not reused for a longer one
    overview = corpus_overview(CORPUS, KEYWORDS, top=top, index=index)
    expected = corpus_overview(CORPUS, KEYWORDS, top=top)
    assert overview.indexed == expected.indexed == 5
    assert_frame_equal(overview.top_keywords, expected.top_keywords)
    for name in ("rows", "articles", "teasers", "sections", "sources", "dated", "duplicate_rows", "extra_sightings"):
        assert getattr(overview, name) == getattr(expected, name)
    for name in ("by_section", "by_source", "languages", "duplicates"):
        assert_frame_equal(getattr(overview, name), getattr(expected, name))


def test_corpus_overview_top_and_empty() -> None:
    small = corpus_overview(CORPUS, KEYWORDS, top=1)
    assert small.by_section.rows() == [("Energy", 4, 4 / 7)]
    assert small.sections == 2  # the count is of all sections
    assert small.duplicates["title"].to_list() == ["t1"]
    assert small.top_keywords["key"].to_list() == ["gas"]
    assert small.languages.height == 2  # every language, always
    empty = corpus_overview(CORPUS.clear(), KEYWORDS.clear())
    assert (empty.rows, empty.articles, empty.teasers, empty.indexed, empty.extra_sightings) == (0, 0, 0, 0, 0)
    assert empty.first_date is None and empty.by_section.height == 0 and empty.top_keywords.height == 0
