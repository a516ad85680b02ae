"""HTML pages crafted to stall or break the reader: a `<title>` of thousands of separated
segments (the search for the site's name around the headline tried every run of segments:
2,000 of them, a 12 KB page, took 5 minutes), JSON-LD nested past the parser's depth
(which raised out of the reader), and 60,000 paragraphs (trafilatura's extraction grows
with their square). Each is read, at once, with its words."""

from __future__ import annotations

import time

from core.html import read_html

BODY = "<p>" + "The ferry left the harbour at dawn with every passenger aboard. " * 8 + "</p>"


def test_a_title_of_a_thousand_segments_is_read_at_once() -> None:
    page = (
        "<html><head><title>" + " | ".join(["Harbour news"] * 1000) + "</title></head>"
        f"<body><article><h1>Ferry leaves at dawn</h1>{BODY}</article></body></html>"
    )
    started = time.perf_counter()
    [article] = read_html(page, "title.html")
    assert time.perf_counter() - started < 5
    assert "every passenger aboard" in article.body


def test_json_ld_nested_past_the_parsers_depth_is_passed_over() -> None:
    script = '<script type="application/ld+json">' + "[" * 100_000 + "]" * 100_000 + "</script>"
    page = f"<html><head><title>Port report</title>{script}</head><body><article><h1>Ferry leaves at dawn</h1>{BODY}</article></body></html>"
    [article] = read_html(page, "ld.html")
    assert article.title == "Ferry leaves at dawn"
    assert "every passenger aboard" in article.body


def test_sixty_thousand_paragraphs_are_read_in_linear_time_with_every_word() -> None:
    paragraphs = "".join(f"<p>Crossing {n} sailed on time.</p>" for n in range(60_000))
    page = f"<html><head><title>Timetable</title></head><body><main>{paragraphs}</main></body></html>"
    started = time.perf_counter()
    [article] = read_html(page, "long.html")
    elapsed = time.perf_counter() - started
    assert elapsed < 8, f"{elapsed:.1f} s"
    words = article.body.split()
    assert len(words) == 5 * 60_000
    assert "Crossing 59999 sailed" in article.body
