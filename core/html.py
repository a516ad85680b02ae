"""HTML pages -> one article, through trafilatura (boilerplate removal and metadata).

A body the site cuts into chunks of one class is put back together (core.html_chunks).
Tables inside the article are kept, one row a line with its cells side by side (a
results or standings table is often most of a sports report's words). The title is the
article's headline: og:title, JSON-LD `headline`, twitter:title or the `<h1>` rather than
a `<title>` that is only the site's name, with a leading or trailing segment naming the
site (og:site_name, application-name, or the part of `<title>` around the headline)
taken off.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from core.corpus import ARTICLE, RawArticle
from core.errors import UnreadableFile
from core.html_chunks import whole_body

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")
"""The line trafilatura writes under a table's header row: |---|---|."""
_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014\u00b7\u2022/]\s+|\s*::\s*|:\s+|\s+\u00bb\s+|\s+\u00ab\s+")
"""What sites put between a headline and their name in a title: ` | `, ` - `, ` – `,
` — `, ` · `, ` • `, ` / `, ` :: `, `: `, ` » `."""
_SPACES = re.compile(r"\s+")
_CELL_BORDER = re.compile(r"(?<!\\)\|")
"""A cell border in trafilatura's table rows; a `|` inside a cell is written `\\|`."""
_CELL_GAP = "  "
MAX_EXTRACTED_ELEMENTS = 30_000
"""Pages with more elements than this are read by `_every_paragraph`, in linear time;
news pages have a few thousand."""
_MAX_TITLE_SEGMENTS = 12
"""A `<title>` cut by separators into more pieces than this is not searched for the
site's name around a headline (real titles have a handful)."""


def looks_like_html(text: str) -> bool:
    """True for text that starts like an HTML document, whatever the file is called."""
    return _HTML_START.match(text[:4096]) is not None


def read_html(text: str, path: str) -> list[RawArticle]:
    """The main article of an HTML page, with title, date, site name and first category."""
    import trafilatura  # on first use: it is slow to import and most corpora hold no HTML

    tree = trafilatura.load_html(text)
    if tree is None:
        raise UnreadableFile("no article text found in the HTML page")
    heads = _Headings.of(tree)
    if _larger_than(tree, MAX_EXTRACTED_ELEMENTS):
        return [_every_paragraph(tree, heads, path)]
    original = copy.deepcopy(tree)  # extraction prunes the tree it reads
    document = trafilatura.bare_extraction(
        tree, with_metadata=True, include_comments=False, include_tables=True
    )
    if document is None or not (document.text or "").strip():
        raise UnreadableFile("no article text found in the HTML page")
    site_names = heads.site_names | ({_key(document.sitename)} if document.sitename else set())
    title = heads.headline(site_names, (document.title or "").strip())
    paragraphs = whole_body(original, _paragraphs(document.text))
    if paragraphs and paragraphs[0] in {title, (document.title or "").strip()} - {""}:
        paragraphs = paragraphs[1:]
    if not title and paragraphs:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    categories = document.categories or []
    return [
        RawArticle(
            title=title,
            body="\n\n".join(paragraphs),
            path=path,
            kind=ARTICLE,
            section=categories[0] if categories else None,
            source=document.sitename,
            date=_parse_date(document.date),
            url=document.url,
        )
    ]


def _larger_than(tree: Any, limit: int) -> bool:
    """Whether the page has more than `limit` elements (counting stops there)."""
    return any(count > limit for count, _ in enumerate(tree.iter(), 1))


def _every_paragraph(tree: Any, heads: _Headings, path: str) -> RawArticle:
    """A page too large for trafilatura's extraction (its time grows with the square of the
    paragraphs: 200,000 of them, a 4 MB page, took 200 s) as the text of all its
    paragraphs, found in one pass by trafilatura's baseline, without boilerplate removal."""
    from trafilatura import baseline

    body, _, _ = baseline(tree)
    paragraphs = [text for text in (_SPACES.sub(" ", "".join(p.itertext())).strip() for p in body) if text]
    if not paragraphs:
        raise UnreadableFile("no article text found in the HTML page")
    title = heads.headline(heads.site_names, "")
    if paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if not title:
        title, paragraphs = paragraphs[0], paragraphs[1:]
    return RawArticle(title=title, body="\n\n".join(paragraphs), path=path, kind=ARTICLE)


def _paragraphs(text: str) -> list[str]:
    """trafilatura's text as paragraphs; a table's rows (`| a | b |` lines) become one
    paragraph, a row a line, the cells' text side by side."""
    paragraphs: list[str] = []
    rows: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _TABLE_RULE.match(line.replace(" ", "")):
                cells = [cell.strip().replace("\\|", "|") for cell in _CELL_BORDER.split(line[1:-1])]
                row = _CELL_GAP.join(cell for cell in cells if cell)
                if row:
                    rows.append(row)
            continue
        if rows:
            paragraphs.append("\n".join(rows))
            rows = []
        if line:
            paragraphs.append(line)
    if rows:
        paragraphs.append("\n".join(rows))
    return paragraphs


def _key(text: str) -> str:
    """A name or title as compared: case-folded, spaces collapsed."""
    return _SPACES.sub(" ", text).strip().casefold()


class _Headings:
    """What a page says its headline and its site's name are, read before extraction."""

    def __init__(self, title: str, meta_titles: list[str], h1s: list[str], site_names: set[str]) -> None:
        self.title = title
        self.meta_titles = meta_titles
        self.h1s = h1s
        self.site_names = site_names

    @classmethod
    def of(cls, tree: Any) -> _Headings:
        def meta(*names: str) -> list[str]:
            found = []
            for name in names:
                for attribute in ("property", "name"):
                    for value in tree.xpath(f'//meta[@{attribute}="{name}"]/@content'):
                        value = _SPACES.sub(" ", str(value)).strip()
                        if value:
                            found.append(value)
            return found

        title = next((_SPACES.sub(" ", t.text_content()).strip() for t in tree.xpath("//head/title | //title")), "")
        ld_headlines, ld_sites = _json_ld(tree)
        meta_titles = meta("og:title") + ld_headlines + meta("twitter:title")
        h1s = [text for text in (_SPACES.sub(" ", h.text_content()).strip() for h in tree.xpath("//h1")) if text]
        sites = {_key(name) for name in meta("og:site_name", "application-name", "apple-mobile-web-app-title") + ld_sites}
        return cls(title, meta_titles, h1s, sites - {""})

    def headline(self, site_names: set[str], extracted: str) -> str:
        """The article's headline: a meta title (og:title, JSON-LD headline, twitter:title)
        that an `<h1>` repeats; else the first meta title, else `<title>`, that is more
        than the site's name, with the site's name taken off (or the `<h1>` found inside
        it: the rest is the site's name or slogan), a `<title>` only when no longer `<h1>`
        is left out of it; else the first `<h1>` that is not the site's name, else
        trafilatura's title."""
        names = site_names | self._segments_around_headline(site_names) | self._site_name_h1s()
        h1s = [h1 for h1 in self.h1s if _key(h1) not in names]
        h1_keys = {_key(h1) for h1 in h1s}
        for meta_title in self.meta_titles:  # two sources agreeing are the headline
            if _key(meta_title) in h1_keys:
                return meta_title
        long_h1s = [h1 for h1 in h1s if len(h1.split()) >= 3]
        for candidate in self.meta_titles:
            headline = _without_site_name(candidate, names)
            if headline:
                inside = [h1 for h1 in long_h1s if _key(h1) in _key(headline)]
                return inside[0] if inside else headline
        headline = _without_site_name(self.title, names)
        inside = [h1 for h1 in long_h1s if _key(h1) in _key(headline)]
        if inside:
            return inside[0]
        # A <title> shorter than an <h1> it does not contain is the site's name.
        if headline and not any(len(h1) > len(headline) for h1 in long_h1s):
            return headline
        return h1s[0] if h1s else _without_site_name(extracted, names)

    def _site_name_h1s(self) -> set[str]:
        """`<h1>`s that are the first or last segment of `<title>` and shorter than the
        rest of it: a site's name set as a heading (its logo)."""
        segments = [_key(segment) for segment in _SEPARATOR.split(self.title) if segment.strip()]
        if len(segments) < 2:
            return set()
        found = set()
        for h1 in {_key(h1) for h1 in self.h1s}:
            if h1 == segments[0] and len(h1) < len(" ".join(segments[1:])):
                found.add(h1)
            if h1 == segments[-1] and len(h1) < len(" ".join(segments[:-1])):
                found.add(h1)
        return found

    def _segments_around_headline(self, site_names: set[str]) -> set[str]:
        """The segments of `<title>` around a headline it repeats (an og:title, JSON-LD
        headline or `<h1>` of three words or more): the site's name or slogan."""
        title = self.title
        spans: list[tuple[int, int]] = []
        start = 0
        for separator in _SEPARATOR.finditer(title):
            spans.append((start, separator.start()))
            start = separator.end()
        spans.append((start, len(title)))
        spans = [(first, last) for first, last in spans if title[first:last].strip()]
        # Every run of segments is tried against every headline: a few segments are a
        # title, thousands (a crafted page) took minutes.
        if not 2 <= len(spans) <= _MAX_TITLE_SEGMENTS:
            return set()
        for known in [*self.meta_titles, *self.h1s]:
            wanted = _key(known)
            if wanted in site_names or len(wanted.split()) < 3:
                continue
            for first in range(len(spans)):
                for last in range(first, len(spans)):
                    if _key(title[spans[first][0] : spans[last][1]]) == wanted:
                        around = {_key(title[a:b]) for a, b in spans[:first] + spans[last + 1 :]}
                        if around and all(len(segment) < len(wanted) for segment in around):
                            return around
        return set()


def _without_site_name(title: str, names: set[str]) -> str:
    """`title` without leading or trailing segments that are a site name; "" when it is
    nothing but the site's name."""
    title = _SPACES.sub(" ", title).strip()
    if not title or _key(title) in names:
        return ""
    pieces = _SEPARATOR.split(title)
    separators = _SEPARATOR.findall(title)
    if len(pieces) < 2:
        return title
    start, end = 0, len(pieces)
    while start < end - 1 and _key(pieces[start]) in names:
        start += 1
    while end - 1 > start and _key(pieces[end - 1]) in names:
        end -= 1
    kept = pieces[start]
    for index in range(start + 1, end):
        kept += separators[index - 1] + pieces[index]
    return kept.strip()


def _json_ld(tree: Any) -> tuple[list[str], list[str]]:
    """Headlines and publisher or website names in the page's JSON-LD blocks."""
    headlines: list[str] = []
    sites: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
        for item in _json_objects(data):
            headline = item.get("headline")
            if isinstance(headline, str) and headline.strip():
                headlines.append(_SPACES.sub(" ", headline).strip())
            kind = item.get("@type")
            name = item.get("name")
            if kind in ("WebSite", "Organization", "NewsMediaOrganization") and isinstance(name, str):
                sites.append(name)
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                sites.append(publisher["name"])
    return headlines, sites


def _json_objects(data: object, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every JSON object in `data` (lists and @graph included), a few levels deep."""
    if depth > 4:
        return
    if isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if isinstance(graph, list):
            for item in graph:
                yield from _json_objects(item, depth + 1)
    elif isinstance(data, list):
        for item in data:
            yield from _json_objects(item, depth + 1)


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
