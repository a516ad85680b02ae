"""The parser on real news text: Wikinews articles in English and Russian (tests/data/realtext).

The same articles are written as listing pages in the site template and as plain text files,
read through the real ingest path from files on disk; every article must come back with its
exact title, the first and last words of its body, and its word count within 1%.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from core.corpus import ARTICLE, TEASER, RawArticle
from core.errors import Skipped
from core.ingest import read_articles
from tests.data.realtext import render

EDGE_WORDS = 6


def _read(folder: Path) -> tuple[dict[str, list[RawArticle]], list[Skipped]]:
    skipped: list[Skipped] = []
    by_file: dict[str, list[RawArticle]] = defaultdict(list)
    for record in read_articles([folder], on_skip=skipped.append):
        by_file[Path(record.path).name].append(record)
    return by_file, skipped


def _check_body(got: RawArticle, want: render.Expected) -> None:
    words, expected = got.body.split(), want.words
    assert got.title == want.title, want.file
    assert words[:EDGE_WORDS] == expected[:EDGE_WORDS], (want.file, want.title)
    assert words[-EDGE_WORDS:] == expected[-EDGE_WORDS:], (want.file, want.title)
    assert abs(len(words) - len(expected)) <= 0.01 * len(expected), (want.file, want.title, len(words), len(expected))


@pytest.fixture(scope="module", params=render.LANGUAGES)
def language(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def listing(language: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[render.RenderedFile], dict, list]:
    pages = render.listing_pages(language)
    folder = tmp_path_factory.mktemp(f"listing-{language}")
    render.write_all(folder, pages)
    return (pages, *_read(folder))


@pytest.fixture(scope="module")
def plain(language: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[render.RenderedFile], dict, list]:
    files = render.plain_files(language)
    folder = tmp_path_factory.mktemp(f"plain-{language}")
    render.write_all(folder, files)
    return (files, *_read(folder))


def test_the_fixtures_are_dozens_of_real_articles(language: str) -> None:
    articles = render.load_articles(language)
    assert len(articles) >= 30
    assert all(a["title"] and len(a["paragraphs"]) >= 2 for a in articles)


def test_listing_pages_give_every_article_and_teaser_in_order(listing: tuple) -> None:
    pages, by_file, skipped = listing
    assert skipped == []
    for page in pages:
        records = by_file[page.name]
        assert [r.title for r in records if r.kind == ARTICLE] == [a.title for a in page.articles], page.name
        assert [r.title for r in records if r.kind == TEASER] == page.teaser_titles, page.name


def test_listing_articles_keep_their_bodies_whole(listing: tuple) -> None:
    pages, by_file, _ = listing
    for page in pages:
        got = [r for r in by_file[page.name] if r.kind == ARTICLE]
        for record, want in zip(got, page.articles, strict=True):
            _check_body(record, want)


def test_listing_captions_only_where_the_page_has_one(listing: tuple) -> None:
    pages, by_file, _ = listing
    captions = 0
    for page in pages:
        got = [r for r in by_file[page.name] if r.kind == ARTICLE]
        for record, want in zip(got, page.articles, strict=True):
            assert record.caption == want.caption, (page.name, want.title)
            assert record.source == want.source, (page.name, want.title)
            captions += want.caption is not None
    assert captions >= 4


def test_no_plain_file_is_dropped_or_split(plain: tuple) -> None:
    files, by_file, skipped = plain
    assert skipped == []
    for rendered in files:
        records = by_file[rendered.name]
        assert [(r.kind, r.title) for r in records] == [(ARTICLE, rendered.articles[0].title)], rendered.name


def test_plain_files_keep_every_word(plain: tuple) -> None:
    files, by_file, _ = plain
    for rendered in files:
        (record,) = by_file[rendered.name]
        _check_body(record, rendered.articles[0])


BEFORE_FIRST_PARAGRAPH = {
    "en": (render._COMMENT_HEADER["en"], "Trending", "Interview"),
    "ru": (render._COMMENT_HEADER["ru"], "Trending", "Интервью"),
}


def test_a_caption_is_found_past_a_comment_header_a_chrome_word_or_a_subheading(
    language: str, tmp_path: Path
) -> None:
    """The page's caption stands after `on`, and a line the body opens with (a comment header,
    a chrome word, a subheading) comes between it and the first paragraph. Left out: captions
    over 100 characters and bodies that open with a question, which read as the first
    paragraph (docs/decisions.md, "Captions")."""
    captioned = [
        a
        for a in render.load_articles(language)
        if a["image_caption"] and len(a["image_caption"]) <= 100 and not any(p.endswith("?") for p in a["paragraphs"][:2])
    ]
    assert len(captioned) >= 4
    lines: list[str] = []
    expected: list[render.Expected] = []
    for index, article in enumerate(captioned):
        opening = BEFORE_FIRST_PARAGRAPH[language][index % 3]
        paragraphs = [opening, *article["paragraphs"]]
        lines += ["World", article["title"], "Published", "on", article["image_caption"], *paragraphs, "Continue Reading"]
        expected.append(render.Expected("page.txt", article["title"], "\n\n".join(paragraphs), article["image_caption"]))
    (tmp_path / "page.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    by_file, skipped = _read(tmp_path)
    got = [r for r in by_file["page.txt"] if r.kind == ARTICLE]
    assert skipped == [] and len(got) == len(expected)
    for record, want in zip(got, expected, strict=True):
        assert record.caption == want.caption, want.title
        _check_body(record, want)
