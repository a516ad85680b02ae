"""Property tests: valid template pages with random mutations never break the parser.

Properties: parsing never raises; the same text gives the same records and the same ids;
no record is made of chrome (its title is never a marker line), and every title is a line
of the page, never invented.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.corpus import build_corpus
from core.scrape import CHROME_LINES, parse_page
from tests.core.pages import Page, PageArticle, PageTeaser

_WORDS = st.sampled_from(
    ["harbour", "council", "Moscow", "energy", "vote", "[bold]", "[/]", "Привет", "état", "talks", "2024", "—", "«x»"]
)
_SENTENCE = st.lists(_WORDS, min_size=3, max_size=20).map(lambda words: " ".join(words).capitalize() + ".")
_SHORT = st.lists(_WORDS, min_size=1, max_size=6).map(lambda words: " ".join(words).title())
_AGE = st.builds(
    lambda n, unit: f"{n} {unit} ago", st.integers(1, 59), st.sampled_from(["mins", "hours", "days", "min", "hour"])
)
_ARTICLE = st.builds(
    PageArticle,
    section=st.one_of(st.none(), _SHORT),
    title=_SHORT,
    paragraphs=st.lists(st.one_of(_SENTENCE, _SHORT), min_size=1, max_size=6),
    caption=st.one_of(st.none(), _SHORT),
    source_line=st.one_of(st.none(), _SHORT.map(lambda s: f"Source: {s}"), _SHORT.map(lambda s: f"From our partner {s}")),
    author_bio=st.one_of(st.none(), _SENTENCE),
    continue_reading=st.booleans(),
    comments=st.booleans(),
)
_TEASER = st.builds(PageTeaser, section=_SHORT, age=_AGE, title=_SHORT, text=_SENTENCE)
_PAGE = st.builds(
    Page,
    articles=st.lists(_ARTICLE, max_size=4),
    teasers=st.lists(_TEASER, max_size=4),
    header=st.booleans(),
    sidebar_markers=st.booleans(),
    trending=st.booleans(),
)
_MUTATION = st.tuples(
    st.sampled_from(["drop", "duplicate", "swap", "insert", "truncate", "crlf", "indent", "control"]),
    st.integers(0, 10_000),
    st.sampled_from(sorted(CHROME_LINES) + ["Published", "Continue Reading", "Energy3 hours ago", "\x1b[2J", "\x00"]),
)


def _mutate(text: str, mutations: list[tuple[str, int, str]]) -> str:
    lines = text.split("\n")
    for kind, at, extra in mutations:
        i = at % max(len(lines), 1)
        if kind == "drop" and lines:
            del lines[i]
        elif kind == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif kind == "swap" and len(lines) > 1:
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            lines.insert(i, extra)
        elif kind == "truncate":
            joined = "\n".join(lines)
            lines = joined[: at % (len(joined) + 1)].split("\n")
        elif kind == "crlf" and lines:
            lines[i] += "\r"
        elif kind == "indent" and lines:
            lines[i] = "\u00a0 \t" + lines[i]
        elif kind == "control" and lines:
            lines[i] = lines[i][: at % 7] + extra + lines[i][at % 7 :]
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=_PAGE, mutations=st.lists(_MUTATION, max_size=8))
def test_mutated_pages_parse_stably_and_invent_nothing(page: Page, mutations: list[tuple[str, int, str]]) -> None:
    text = _mutate(page.render(), mutations)
    first = parse_page(text, "fuzz.txt")
    assert first == parse_page(text, "fuzz.txt")
    page_lines = {line.strip() for line in text.replace("\r", "\n").split("\n")}
    for record in first:
        assert record.title.casefold() not in CHROME_LINES
        assert record.title == "" or record.title in page_lines
    ids = build_corpus(first).articles["id"].to_list()
    assert ids == build_corpus(parse_page(text, "again.txt")).articles["id"].to_list()


@settings(max_examples=80, deadline=None)
@given(page=_PAGE)
def test_unmutated_pages_keep_every_article_title(page: Page) -> None:
    records = parse_page(page.render(), "page.txt")
    titles = [r.title for r in records if r.kind == "article"]
    assert titles == [a.title for a in page.articles]
