"""Find in the article, the filter's highlight patterns and the URL checks, on real text.

The highlight patterns must mark exactly what the filter matched: for every word tried, an
article the filter keeps has at least one highlight and an article it drops has none.
"""

from __future__ import annotations

import polars as pl
import pytest

from core.find import MAX_MATCHES, find_spans, term_spans
from core.links import no_local_browser, url_problem
from core.query import Query, filter_articles, highlight_patterns, parse_filter
from tests.tui.reader_corpus import articles

RU = articles("ru")
EN = articles("en")


def test_find_is_case_insensitive_in_russian_and_keeps_the_articles_spelling() -> None:
    text = RU[0]["title"] + "\n" + RU[0]["body"]
    spans = find_spans(text, "ОБАМ")
    assert len(spans) == text.lower().count("обам") >= 5
    assert {text[start:end] for start, end in spans} == {"Обам"}


def test_find_is_literal_never_a_regex() -> None:
    text = RU[0]["body"]
    assert "8,1" in text and find_spans(text, "8.1") == []
    assert find_spans("a (b) [c] a.*b", ".*") == [(11, 13)]
    assert find_spans("x(y", "(") == [(1, 2)]


def test_a_space_in_the_needle_matches_a_line_break_and_blank_needles_find_nothing() -> None:
    assert find_spans("natural\ngas and natural  gas", "natural gas") == [(0, 11), (16, 28)]
    assert find_spans("some text", "   ") == []
    assert find_spans("some text", "") == []


def test_find_stays_in_its_regions_and_stops_at_the_limit() -> None:
    text = "war title\nmeta war\nwar body"
    assert find_spans(text, "war", [(0, 9), (19, len(text))]) == [(0, 3), (19, 22)]
    assert len(find_spans("a" * (MAX_MATCHES + 50), "a")) == MAX_MATCHES


@pytest.mark.parametrize(
    "words",
    ["обам", "вашингтон", "президент", '"Белого дома"', "war", "Wikinews", '"New York"', "magic", "ant", "США"],
)
def test_highlights_agree_with_what_the_filter_keeps(words: str) -> None:
    frame = pl.DataFrame(
        [{"id": str(i), "title": row["title"], "body": row["body"]} for i, row in enumerate(RU + EN)]
    )
    kept = filter_articles(frame, None, words)
    assert isinstance(kept, pl.DataFrame)
    query = parse_filter(words)
    assert isinstance(query, Query)
    patterns = highlight_patterns(query)
    assert len(patterns) == 1
    marked = {
        row["id"]
        for row in frame.iter_rows(named=True)
        if term_spans(row["title"] + "\n" + row["body"], patterns)
    }
    assert marked == set(kept.get_column("id").to_list())
    assert 0 < len(marked) < frame.height  # the word tells articles apart


def test_word_terms_match_at_the_start_of_a_word_and_phrases_whole() -> None:
    query = parse_filter('war "natural gas" -peace section:world kw:x OR words>5 lang:en')
    assert isinstance(query, Query)
    patterns = highlight_patterns(query)
    text = "Warfare, software, award; natural gas, natural gasses; peace"
    assert [text[s:e] for s, e in term_spans(text, patterns)] == ["War", "natural gas"]


def test_a_filter_with_no_text_terms_highlights_nothing() -> None:
    for text in ("", "section:world", "-war", "kind:teaser words>10"):
        query = parse_filter(text)
        assert isinstance(query, Query) and highlight_patterns(query) == ()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://ru.wikinews.org/?curid=119336", None),
        ("HTTP://example.org/a", None),
        ("javascript:alert(1)", "a javascript: URL"),
        ("file:///etc/passwd", "a file: URL"),
        ("/relative/path", "not a web address"),
        ("https://example.org/\x1b]0;x\x07", "control, invisible or space"),
        ("https://example.org/\x9c", "control, invisible or space"),
        ("https://example.org/a b", "control, invisible or space"),
        ("https://example.org/\u202eevil", "control, invisible or space"),
        ("https://", "only http and https"),
        ("", "no URL"),
        ("https://example.org/" + "a" * 9000, "too long"),
    ],
)
def test_only_clean_http_urls_are_links(url: str, problem: str | None) -> None:
    found = url_problem(url)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_no_local_browser_over_ssh_or_without_a_display() -> None:
    assert no_local_browser({"SSH_CONNECTION": "1 2 3 4", "BROWSER": "x"}, "linux") == "over SSH"
    assert no_local_browser({"SSH_TTY": "/dev/pts/1"}, "darwin") == "over SSH"
    assert no_local_browser({}, "linux") == "no graphical display"
    assert no_local_browser({"BROWSER": "firefox"}, "linux") is None
    assert no_local_browser({"DISPLAY": ":0"}, "linux") is None
    assert no_local_browser({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_local_browser({}, "darwin") is None
