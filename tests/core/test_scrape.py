"""The scraped-page parser against the seed's truth and against pages written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.corpus import ARTICLE, TEASER
from core.ingest import load_corpus
from core.scrape import parse_page
from tests.core.pages import Page, PageArticle, PageTeaser

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_f28cf99939672350.txt"
TRUTH = json.loads((ROOT / "tests" / "data" / "seed-truth.json").read_text(encoding="utf-8"))

LONG_A = "The harbour authority said on Tuesday that cargo volumes rose for a third month in a row."
LONG_B = "Port officials expect the new cranes to cut waiting times for container ships by half."
LONG_C = "Unions welcomed the investment but warned that staffing levels had not kept pace with it."


@pytest.fixture(scope="module")
def seed_rows() -> list[dict]:
    return load_corpus([SEED]).articles.to_dicts()


def test_seed_has_exactly_the_articles_and_teasers_of_the_truth(seed_rows: list[dict]) -> None:
    articles = [row for row in seed_rows if row["kind"] == ARTICLE]
    teasers = [row for row in seed_rows if row["kind"] == TEASER]
    assert [a["title"] for a in articles] == [t["title"] for t in TRUTH["articles"]]
    assert [t["title"] for t in teasers] == [t["title"] for t in TRUTH["teasers"]]


@pytest.mark.parametrize("index", range(4))
def test_seed_article_fields_match_the_truth(seed_rows: list[dict], index: int) -> None:
    truth = TRUTH["articles"][index]
    row = [r for r in seed_rows if r["kind"] == ARTICLE][index]
    assert row["section"] == truth["section"]
    assert row["source"] == truth["source"]
    assert row["caption"] == truth["caption"]
    assert row["subheadings"] == truth["subheadings"]
    assert row["body"].startswith(truth["body_starts_with"])
    assert row["body"].endswith(truth["body_ends_with"])
    if truth["author_bio_starts_with"] is None:
        assert row["author_bio"] is None
    else:
        assert row["author_bio"].startswith(truth["author_bio_starts_with"])
    if truth["source_line"]:
        assert truth["source_line"] not in row["body"]


@pytest.mark.parametrize("index", range(7))
def test_seed_teaser_fields_match_the_truth(seed_rows: list[dict], index: int) -> None:
    truth = TRUTH["teasers"][index]
    row = [r for r in seed_rows if r["kind"] == TEASER][index]
    assert (row["section"], row["age"], row["title"]) == (truth["section"], truth["age"], truth["title"])
    assert row["body"].startswith(truth["teaser_starts_with"])


def test_seed_has_no_chrome_in_any_field(seed_rows: list[dict]) -> None:
    chrome = set(TRUTH["chrome_lines"])
    for row in seed_rows:
        for name in ("title", "section", "source", "caption", "author_bio", "body"):
            value = row[name] or ""
            paragraphs = {p.strip() for p in value.split("\n\n")}
            assert not (paragraphs & chrome), (name, row["title"])
        assert not (set(row["subheadings"]) & chrome)


def test_seed_rows_are_english_with_word_counts(seed_rows: list[dict]) -> None:
    assert {row["language"] for row in seed_rows} == {"en"}
    assert all(row["words"] == len(row["body"].split()) > 0 for row in seed_rows)
    assert all(row["copies"] == 1 for row in seed_rows)


def _own_page() -> Page:
    return Page(
        articles=[
            PageArticle(
                section="Maritime Affairs",
                title="Harbour traffic grows again",
                caption="Cranes at dusk",
                paragraphs=[LONG_A, "What the unions say", LONG_B, "Costs and timing", LONG_C],
                source_line="Source: Harbour Gazette",
                comments=True,
            ),
            PageArticle(
                section="Science",
                title="A telescope sees further",
                paragraphs=[LONG_B, LONG_C],
                source_line="First published in our partner Sky Journal",
                author_bio="Writes about astronomy for the Sky Journal and teaches physics.",
            ),
        ],
        teasers=[
            PageTeaser("Markets", "2 days ago", "Shares slide on rate fears", "Investors sold bank stocks..."),
            PageTeaser("Health", "12 mins ago", "Clinics extend hours", "Patients will be able to..."),
        ],
    )


def _check_own_page(records: list) -> None:
    first, second, teaser_a, teaser_b = records
    assert (first.section, first.title, first.caption) == ("Maritime Affairs", "Harbour traffic grows again", "Cranes at dusk")
    assert first.subheadings == ("What the unions say", "Costs and timing")
    assert first.source == "Harbour Gazette" and first.author_bio is None
    assert first.body.split("\n\n") == [LONG_A, "What the unions say", LONG_B, "Costs and timing", LONG_C]
    assert (second.section, second.source) == ("Science", "Sky Journal")
    assert second.author_bio == "Writes about astronomy for the Sky Journal and teaches physics."
    assert second.caption is None and second.subheadings == ()
    assert (teaser_a.kind, teaser_a.section, teaser_a.age, teaser_a.title) == (TEASER, "Markets", "2 days ago", "Shares slide on rate fears")
    assert teaser_a.body == "Investors sold bank stocks..."
    assert (teaser_b.section, teaser_b.age) == ("Health", "12 mins ago")


def test_own_page_with_other_sections_partners_captions_and_subheadings() -> None:
    _check_own_page(parse_page(_own_page().render(), "own.txt"))


def test_crlf_page_parses_like_lf() -> None:
    _check_own_page(parse_page(_own_page().render(newline="\r\n"), "own.txt"))


def test_indented_paragraphs_are_stripped() -> None:
    page = _own_page()
    page.articles[0].paragraphs = ["\u00a0\u00a0 " + LONG_A, "\t" + LONG_B]
    first = parse_page(page.render(), "p.txt")[0]
    assert first.body.split("\n\n") == [LONG_A, LONG_B]


def test_article_without_continue_reading_ends_at_next_header() -> None:
    page = _own_page()
    page.articles[0].continue_reading = False
    page.articles[0].comments = False
    records = parse_page(page.render(), "p.txt")
    assert [r.title for r in records[:2]] == ["Harbour traffic grows again", "A telescope sees further"]
    assert records[0].body.endswith(LONG_C)
    assert records[1].section == "Science"


def test_truncated_page_keeps_what_it_has() -> None:
    text = _own_page().render()
    cut = text[: text.index(LONG_C[:40], text.index("A telescope sees further"))]
    records = parse_page(cut, "cut.txt")
    assert [r.title for r in records] == ["Harbour traffic grows again", "A telescope sees further"]
    assert records[1].body == LONG_B
    assert all(r.kind == ARTICLE for r in records)


def test_page_truncated_inside_a_header_keeps_the_title() -> None:
    text = "Connect with us\n\nWorld\n\nSummit ends without a deal\n\nPublished\n"
    records = parse_page(text, "cut.txt")
    assert [(r.section, r.title, r.body) for r in records] == [("World", "Summit ends without a deal", "")]


def test_teasers_only_page() -> None:
    page = _own_page()
    page.articles = []
    records = parse_page(page.render(), "t.txt")
    assert [(r.kind, r.title) for r in records] == [(TEASER, "Shares slide on rate fears"), (TEASER, "Clinics extend hours")]


def test_teasers_without_sidebar_markers_or_trending() -> None:
    page = _own_page()
    page.articles, page.sidebar_markers, page.trending, page.header = [], False, False, False
    records = parse_page(page.render(), "t.txt")
    assert [r.section for r in records] == ["Markets", "Health"]


def test_articles_only_page() -> None:
    page = _own_page()
    page.teasers = []
    assert [r.kind for r in parse_page(page.render(), "a.txt")] == [ARTICLE, ARTICLE]


def test_article_without_section_line() -> None:
    page = _own_page()
    page.articles[1].section = None
    second = parse_page(page.render(), "a.txt")[1]
    assert (second.section, second.title) == (None, "A telescope sees further")


def test_chrome_only_page_yields_nothing() -> None:
    assert parse_page("Connect with us\n\nPublications\n\nLatest\n\nTrending\n", "c.txt") == []


def test_plain_article_first_line_is_title() -> None:
    text = "\n\n  A quiet day in the valley  \n\nFarmers gathered early.\nThe market opened at six.\n\nRain is expected.\n"
    (article,) = parse_page(text, "plain.txt")
    assert article.title == "A quiet day in the valley"
    assert article.body == "Farmers gathered early.\nThe market opened at six.\n\nRain is expected."
    assert article.kind == ARTICLE and article.section is None


def test_markup_like_title_is_kept_literally() -> None:
    page = _own_page()
    page.articles[0].title = "[bold]x[/] and [/] and [@click=app.quit]y[/]"
    first = parse_page(page.render(), "m.txt")[0]
    assert first.title == "[bold]x[/] and [/] and [@click=app.quit]y[/]"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    records = parse_page(text, "fuzz.txt")
    assert all(r.kind in (ARTICLE, TEASER) for r in records)


_MARKERS = st.sampled_from(
    ["Published", "on", "Continue Reading", "Comments", "Publications", "Latest", "Trending",
     "Connect with us", "World5 mins ago", "Source: X", "From our partner Y", "", "Short heading",
     LONG_A, "\r", "\u00a0", "[/]"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKERS, max_size=40))
def test_parser_never_raises_on_marker_soup(parts: list[str]) -> None:
    text = "\n".join(parts)
    assert parse_page(text, "soup.txt") == parse_page(text, "soup.txt")
