"""Real Wikinews articles rendered as the files a scraped folder holds, with what each must parse into.

Two renderings of the same articles (wikinews-en.json, wikinews-ru.json; see README.md):

- listing pages in the site template: four articles a page (section, title, `Published`, `on`,
  a photo caption where the page had one, paragraphs, a source line and bio on some,
  `Continue Reading`, `Comments`), then the `Publications` / `Latest` sidebar of teasers and
  `Trending`. The hard cases ride along: a dateline lead, an attribution line or the title
  repeated as the first paragraph, a comment header (`Name • 13 hours ago`) inside a body, an
  article without `Continue Reading`, a page without sidebar markers, CRLF line ends;
- plain text files, one article each: the title line, then the body; some end with a lone
  `Comments` or `Advertisements` / `comments`, some hold a comment header, some have CRLF.

`Expected` is the truth for one article: its title, caption and body as the template defines
them (everything the renderer added that the template counts as body is in it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "ru")
ARTICLES_PER_PAGE = 4

_SECTIONS = {"en": ("World", "Science", "Politics", "Society"), "ru": ("Мир", "Наука", "Политика", "Общество")}
_DATELINE = {"en": "LONDON, Aug 8 (Wikinews) — ", "ru": "МОСКВА, 8 авг — РИА Новости. "}
_ATTRIBUTION = {
    "en": "This report was originally published by Wikinews contributors at Wikinews",
    "ru": "Материал впервые опубликован на сайте Викиновости",
}
_COMMENT_HEADER = {"en": "Robert Fastiggi • 13 hours ago", "ru": "Мария Иванова • 13 hours ago"}
_PLAIN_COMMENT_HEADER = {"en": "Robert Fastiggi • 2 days ago", "ru": "Мария Иванова • 2 days ago"}
_BIO = {
    "en": "Wikinews is a free-content news source written by volunteers from around the world.",
    "ru": "Викиновости — свободный источник новостей, который пишут добровольцы со всего мира.",
}


@dataclass(frozen=True)
class Expected:
    """One article as the parser must read it."""

    file: str
    title: str
    body: str
    caption: str | None = None
    source: str | None = None

    @property
    def words(self) -> list[str]:
        return self.body.split()


@dataclass
class RenderedFile:
    name: str
    text: str
    articles: list[Expected] = field(default_factory=list)
    teaser_titles: list[str] = field(default_factory=list)


def load_articles(language: str) -> list[dict]:
    """The real articles of one language, in file order."""
    return json.loads((HERE / f"wikinews-{language}.json").read_text(encoding="utf-8"))


def _body_paragraphs(article: dict, language: str, index: int, with_caption: bool) -> list[str]:
    """The article's paragraphs with this page's lead variant and comment header."""
    paragraphs = list(article["paragraphs"])
    if not with_caption:
        variant = index % 6
        if variant == 1:  # a wire dateline opens the first paragraph
            paragraphs[0] = _DATELINE[language] + paragraphs[0]
        elif variant == 2:  # the headline repeated as a lead line, then the dateline paragraph
            paragraphs[0] = _DATELINE[language] + paragraphs[0]
            paragraphs.insert(0, article["title"])
        elif variant == 3:  # an attribution line first
            paragraphs.insert(0, _ATTRIBUTION[language])
        elif variant == 4:  # the headline repeated as a short lead line
            paragraphs.insert(0, article["title"])
    if index % 4 == 1 and len(paragraphs) >= 3:
        paragraphs.insert(2, _COMMENT_HEADER[language])
    return paragraphs


def listing_pages(language: str) -> list[RenderedFile]:
    """The articles of `language` as listing pages, with each page's expected articles."""
    articles = load_articles(language)
    pages: list[RenderedFile] = []
    for page_number, start in enumerate(range(0, len(articles), ARTICLES_PER_PAGE)):
        chunk = articles[start : start + ARTICLES_PER_PAGE]
        name = f"{language}-page-{page_number:02d}.txt"
        sidebar_markers = page_number % 5 != 4
        lines: list[str] = ["Connect with us"] if page_number % 2 == 0 else []
        expected: list[Expected] = []
        for offset, article in enumerate(chunk):
            index = start + offset
            last = offset == len(chunk) - 1
            with_caption = article["image_caption"] is not None and index % 2 == 0
            paragraphs = _body_paragraphs(article, language, index, with_caption)
            section = _SECTIONS[language][index % len(_SECTIONS[language])]
            lines += [section, article["title"], "Published", "on"]
            if with_caption:
                lines.append(article["image_caption"])
            lines += paragraphs
            source = None
            if index % 3 == 0:
                source = "Wikinews"
                lines += ["First published in our partner Wikinews", _BIO[language]]
            elif index % 3 == 1:
                source = "Wikinews"
                lines.append("Source: Wikinews")
            continue_reading = index % 7 != 6 or (last and not sidebar_markers)
            if continue_reading:
                lines.append("Continue Reading")
            if index % 2 == 0:
                lines.append("Comments")
            expected.append(
                Expected(
                    file=name,
                    title=article["title"],
                    body="\n\n".join(paragraphs),
                    caption=article["image_caption"] if with_caption else None,
                    source=source,
                )
            )
        teasers = [articles[(start + ARTICLES_PER_PAGE + k * 5) % len(articles)] for k in range(3)]
        if sidebar_markers:
            lines += ["Publications", "Latest"]
        for k, teaser in enumerate(teasers):
            section = _SECTIONS[language][k % len(_SECTIONS[language])]
            lead = " ".join(teaser["paragraphs"][-1].split()[:15])
            lines += [f"{section}{2 * k + 3} hours ago", teaser["title"], lead + "..."]
        if page_number % 2 == 0:
            lines.append("Trending")
        newline = "\r\n" if page_number % 3 == 2 else "\n"
        text = (newline * 2).join(lines) + newline
        pages.append(RenderedFile(name, text, expected, [t["title"] for t in teasers]))
    return pages


def plain_files(language: str) -> list[RenderedFile]:
    """Each article of `language` as a plain text file: title line, then every word of the body."""
    files: list[RenderedFile] = []
    for index, article in enumerate(load_articles(language)):
        name = f"{language}-plain-{index:02d}.txt"
        body = ([article["image_caption"]] if article["image_caption"] and language == "ru" else []) + list(
            article["paragraphs"]
        )
        variant = index % 5
        if variant == 1:
            body.append("Comments")
        elif variant == 2:
            body += ["Advertisements", "comments"]
        elif variant == 3 and len(body) >= 3:
            body.insert(2, _PLAIN_COMMENT_HEADER[language])
        separator, newline = ("\n", "\r\n") if variant == 4 else ("\n\n", "\n")
        text = separator.join([article["title"], *body]).replace("\n", newline) + newline
        files.append(RenderedFile(name, text, [Expected(file=name, title=article["title"], body="\n\n".join(body))]))
    return files


def write_all(folder: Path, files: list[RenderedFile]) -> None:
    """Write each rendered file into `folder` as UTF-8 bytes, line ends as rendered."""
    folder.mkdir(parents=True, exist_ok=True)
    for rendered in files:
        (folder / rendered.name).write_bytes(rendered.text.encode("utf-8"))
