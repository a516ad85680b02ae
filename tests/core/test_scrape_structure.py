"""The parser decides by the template's structure, never by one word.

Each case is a line seen in real scraped pages: a lead that reads like a heading, a dateline,
an attribution line, a comment header inside an article, a lone chrome word in a plain file.
"""

from __future__ import annotations

import pytest

from core.corpus import ARTICLE, TEASER, RawArticle
from core.scrape import ATTRIBUTION_LINE, DATELINE, has_template_markers, parse_page
from tests.core.pages import Page, PageArticle, PageTeaser

LONG_A = "The harbour authority said on Tuesday that cargo volumes rose for a third month in a row."
LONG_B = "Port officials expect the new cranes to cut waiting times for container ships by half."
RIA_LEAD = "Посольство России в США призвало прекратить русофобские измышления"
RIA_DATELINE = (
    "ВАШИНГТОН, 8 авг — РИА Новости. Посольство России в США призвало американские СМИ "
    "прекратить публиковать русофобские измышления, говорится в заявлении дипмиссии."
)


def _one(paragraphs: list[str], caption: str | None = None, title: str = "Embassy statement") -> RawArticle:
    page = Page(articles=[PageArticle(section="World", title=title, caption=caption, paragraphs=paragraphs)])
    (article,) = parse_page(page.render(), "p.txt")
    return article


def test_a_heading_like_lead_before_a_dateline_is_body() -> None:
    article = _one([RIA_LEAD, RIA_DATELINE])
    assert article.caption is None
    assert article.body.startswith(RIA_LEAD)


@pytest.mark.parametrize(
    "lead",
    [
        "This report was originally published by Tyler Durden at Zero Hedge",
        "By Pepe Escobar",
        "Материал впервые опубликован на сайте издания",
        "WASHINGTON, Aug 8 —",
        "Thursday, February 23, 2006",
        "8 августа 2019 года",
        "Embassy statement on the harbour",
    ],
)
def test_attribution_dateline_date_and_repeated_title_leads_are_body(lead: str) -> None:
    article = _one([lead, LONG_A, LONG_B], title="Embassy statement on the harbour")
    assert article.caption is None
    assert article.body.split("\n\n")[0] == lead


@pytest.mark.parametrize(
    "caption", ["Putin erdogan sochi", "Барак Обама", "Кэссиди Вулф (Cassidy Wolf)", "photo of lantern festival"]
)
def test_a_caption_after_on_followed_by_prose_is_a_caption(caption: str) -> None:
    article = _one([LONG_A, LONG_B], caption=caption)
    assert (article.caption, article.body) == (caption, f"{LONG_A}\n\n{LONG_B}")


def test_a_caption_is_still_one_before_a_date_line() -> None:
    article = _one(["Thursday, February 23, 2006", LONG_A], caption="Beautiful picture of a block of salt")
    assert article.caption == "Beautiful picture of a block of salt"
    assert article.body.startswith("Thursday, February 23, 2006")


def test_a_heading_before_a_question_is_body() -> None:
    question = "What qualifications do you have that will assist you in executing the duties?"
    article = _one(["Interview", question, LONG_A])
    assert article.caption is None and article.body.startswith("Interview")


def test_no_caption_without_the_on_line() -> None:
    text = "World\n\nEmbassy statement\n\nPublished\n\nCranes at dusk\n\n" + LONG_A + "\n\nContinue Reading\n"
    (article,) = parse_page(text, "p.txt")
    assert article.caption is None and article.body.startswith("Cranes at dusk")


def test_a_comment_header_inside_an_article_is_text() -> None:
    page = Page(
        articles=[
            PageArticle(
                section="Religion",
                title="A letter on the council",
                paragraphs=[LONG_A, "Robert Fastiggi • 13 hours ago", LONG_B, LONG_A],
                source_line="Source: Catholic World Report",
            )
        ],
        teasers=[PageTeaser("Energy", "3 hours ago", "Nickel and diplomacy", "Authors: Nani Septianie...")],
    )
    article, teaser = parse_page(page.render(), "p.txt")
    assert article.body.split("\n\n") == [LONG_A, "Robert Fastiggi • 13 hours ago", LONG_B, LONG_A]
    assert article.source == "Catholic World Report"
    assert (teaser.kind, teaser.section, teaser.title) == (TEASER, "Energy", "Nickel and diplomacy")


def test_the_last_article_without_continue_reading_keeps_its_comment_header() -> None:
    text = f"World\n\nA title\n\nPublished\n\non\n\n{LONG_A}\n\nRobert Fastiggi • 13 hours ago\n\n{LONG_B}\n"
    (article,) = parse_page(text, "p.txt")
    assert article.body.split("\n\n") == [LONG_A, "Robert Fastiggi • 13 hours ago", LONG_B]


def test_the_last_article_without_continue_reading_still_ends_at_an_unmarked_sidebar() -> None:
    sidebar = "Energy3 hours ago\n\nNickel and diplomacy\n\nAuthors: Nani...\n"
    text = f"World\n\nA title\n\nPublished\n\non\n\n{LONG_A}\n\n{sidebar}"
    article, teaser = parse_page(text, "p.txt")
    assert article.body == LONG_A
    assert (teaser.section, teaser.title) == ("Energy", "Nickel and diplomacy")


@pytest.mark.parametrize(
    "ending", ["\n\nComments\n", "\n\nAdvertisements\n\ncomments\n", "\n\nRobert Fastiggi • 13 hours ago\n\nAmen.\n"]
)
def test_a_plain_text_with_a_lone_chrome_word_or_comment_header_is_one_article(ending: str) -> None:
    text = f"Harbour traffic grows again\n\n{LONG_A}\n\n{LONG_B}{ending}"
    assert not has_template_markers(text)
    (article,) = parse_page(text, "plain.txt")
    assert (article.kind, article.title) == (ARTICLE, "Harbour traffic grows again")
    assert article.body.startswith(LONG_A) and article.body.endswith(ending.strip())


def test_a_plain_text_with_comment_threads_makes_no_teasers() -> None:
    text = (
        f"A plain article\n\n{LONG_A}\n\nRobert Fastiggi • 13 hours ago\n\nI agree with this.\n\n"
        "Anna Smith • 2 days ago\n\nThank you for writing...\n"
    )
    (article,) = parse_page(text, "plain.txt")
    assert article.kind == ARTICLE and article.body.endswith("Thank you for writing...")


def test_a_plain_text_with_a_latest_line_before_comments_is_one_article() -> None:
    text = f"A plain article\n\n{LONG_A}\n\nLatest\n\nRobert Fastiggi 13 hours ago\n\nI agree with this.\n"
    (article,) = parse_page(text, "plain.txt")
    assert (article.kind, article.title) == (ARTICLE, "A plain article")
    assert article.body.endswith("I agree with this.")


def test_a_leading_chrome_line_is_not_a_plain_title() -> None:
    (article,) = parse_page(f"Connect with us\n\nHarbour traffic grows again\n\n{LONG_A}\n", "plain.txt")
    assert (article.title, article.body) == ("Harbour traffic grows again", LONG_A)


def test_template_structure_makes_a_listing_page() -> None:
    assert has_template_markers("A title\nPublished\non\n" + LONG_A)
    assert has_template_markers("Latest\nEnergy3 hours ago\nNickel and diplomacy\nAuthors: Nani...")
    assert not has_template_markers(f"A title\n{LONG_A}\nLatest\nTrending\nComments")


def test_dateline_and_attribution_patterns() -> None:
    datelines = (
        "WASHINGTON, Aug 8 — The embassy said",
        "МОСКВА, 8 авг — РИА Новости.",
        "МОСКВА, 8 августа. /ТАСС/. Посольство",
        "Москва. 8 августа. INTERFAX.RU - Посольство",
        "LONDON (Reuters) - Shares fell",
        "NEW YORK — Stocks rose",
    )
    for line in datelines:
        assert DATELINE.match(line), line
    for line in ("Preston, Victoria, Australia", "Барак Обама", "Putin erdogan sochi", "Kremlin — the seat of power"):
        assert not DATELINE.match(line), line
    assert ATTRIBUTION_LINE.search("This report was originally published by X at Zero Hedge")
    assert not ATTRIBUTION_LINE.search("Putin erdogan sochi")
