"""The scraped-page parser: a listing page in the site template -> articles and teasers.

The template (DESIGN.md section 3) is a run of article blocks

    <section> / <title> / Published / on / [caption] / paragraphs... /
    [source line] / [author bio] / Continue Reading / [Comments]

followed by a sidebar (`Publications`, `Latest`) of teasers

    <section><N> <unit> ago / <title> / <teaser text>...

closed by `Trending`. Only the template's own markers are recognised; any of them may be
missing, and the page may be truncated anywhere. Site chrome never becomes an article.
A text with no template markers at all is one plain article whose first line is the title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from core.corpus import ARTICLE, TEASER, RawArticle
from core.sanitize import normalise_newlines

PUBLISHED = "published"
ON = "on"
CONTINUE_READING = "continue reading"
COMMENTS = "comments"
SIDEBAR_OPENERS = frozenset({"publications", "latest"})
PAGE_CLOSER = "trending"
CHROME_LINES = frozenset(
    {"connect with us", PUBLISHED, ON, CONTINUE_READING, COMMENTS, PAGE_CLOSER} | SIDEBAR_OPENERS
)

SOURCE_LINE = re.compile(
    r"^(?:first\s+published\s+(?:in|by)\s+our\s+partner|from\s+our\s+partner|source\s*:)\s*(?P<source>.+?)\s*$",
    re.IGNORECASE,
)
AGE_LINE = re.compile(
    r"^(?P<section>.*?\S)\s?(?P<age>\d{1,4}\s+"
    r"(?:sec|secs|second|seconds|min|mins|minute|minutes|hour|hours|hr|hrs|day|days|"
    r"week|weeks|month|months|year|years)\s+ago)$",
    re.IGNORECASE,
)
PUBLISHED_ON_LINE = re.compile(r"^published(?:\s+on)?$", re.IGNORECASE)

# A heading-like line: short, starts with a capital or digit, no sentence-final punctuation.
_HEADING_MAX_CHARS = 100
_HEADING_MAX_WORDS = 14
_SENTENCE_END = tuple(".!?:;,…\"”’»)]")
_SECTION_MAX_CHARS = 60


_MARKER_MAX_CHARS = max(len(m) for m in CHROME_LINES)
_AGE_LINE_MAX_CHARS = _SECTION_MAX_CHARS + 20
_BLOCK_MARKERS = (PUBLISHED, ON, COMMENTS)
# What SOURCE_LINE can start with: only these match "f" and "s" ignoring case (a test pins that).
_SOURCE_LINE_STARTS = ("f", "F", "s", "S", "\u017f")


def _marker(line: str) -> str:
    """The line case-folded when it is short enough to be a marker, else "" (long lines
    are paragraphs; folding them is most of the parser's time)."""
    return line.casefold() if len(line) <= _MARKER_MAX_CHARS else ""


def _page_lines(text: str) -> list[str]:
    """Non-empty lines, stripped of surrounding whitespace (NBSP included)."""
    return [stripped for line in normalise_newlines(text).split("\n") if (stripped := line.strip())]


def _is_heading_like(line: str, max_chars: int = _HEADING_MAX_CHARS) -> bool:
    return (
        len(line) <= max_chars
        and len(line.split()) <= _HEADING_MAX_WORDS
        and (line[0].isupper() or line[0].isdigit())
        and not line.endswith(_SENTENCE_END)
    )


def _is_chrome(line: str) -> bool:
    return _marker(line) in CHROME_LINES


def _is_age_line(line: str) -> bool:
    # An age line ends in "ago", and only "o" and "O" match "o" ignoring case (a test pins
    # that): checking the last character first spares most lines the regex.
    return len(line) <= _AGE_LINE_MAX_CHARS and line.endswith(("o", "O")) and AGE_LINE.match(line) is not None


def _header_starts(lines: list[str]) -> list[int]:
    """Indices of the `Published` marker line of every article header."""
    # Only "p" and "P" match "p" ignoring case (a test pins that): most lines need no regex.
    return [i for i, line in enumerate(lines) if line.startswith(("p", "P")) and PUBLISHED_ON_LINE.match(line)]


def _has_template_markers(lines: list[str]) -> bool:
    return any(PUBLISHED_ON_LINE.match(line) or _is_chrome(line) or _is_age_line(line) for line in lines)


def has_template_markers(text: str) -> bool:
    """True when `text` looks like a listing page rather than one plain article."""
    return _has_template_markers(_page_lines(text))


def parse_page(text: str, path: str) -> list[RawArticle]:
    """Parse one page's text into articles and teasers, in page order.

    Never raises on any text; returns an empty list for a page of chrome only.
    """
    lines = _page_lines(text)
    if not lines:
        return []
    if not _has_template_markers(lines):
        return [_plain_article(text, path)]
    articles, articles_end = _articles(lines, path)
    return articles + list(_teasers(lines, path, _sidebar_start(lines, articles_end)))


def _plain_article(text: str, path: str) -> RawArticle:
    """A text with no template markers: first non-empty line is the title, the rest the body."""
    stripped = normalise_newlines(text).strip()
    title, _, body = stripped.partition("\n")
    return RawArticle(title=title.strip(), body=body.strip(), path=path, kind=ARTICLE)


def _articles(lines: list[str], path: str) -> tuple[list[RawArticle], int]:
    """The page's articles, and the index of the line after the last article's block."""
    headers = _header_starts(lines)
    articles: list[RawArticle] = []
    end = 0
    for number, published_at in enumerate(headers):
        title_at = published_at - 1
        title = lines[title_at] if title_at >= 0 and not _is_chrome(lines[title_at]) else ""
        section = _section_before(lines, title_at) if title else None
        body_start = published_at + 1
        if body_start < len(lines) and _marker(lines[body_start]) == ON:
            body_start += 1
        next_header_at = headers[number + 1] if number + 1 < len(headers) else len(lines)
        end = _body_end(lines, body_start, next_header_at)
        article = _article_from_block(lines[body_start:end], title, section, path)
        if article is not None:
            articles.append(article)
    return articles, end


def _section_before(lines: list[str], title_at: int) -> str | None:
    """The section line just above the title, when that line looks like one."""
    at = title_at - 1
    if at < 0:
        return None
    candidate = lines[at]
    if _is_chrome(candidate) or not _is_heading_like(candidate, _SECTION_MAX_CHARS):
        return None
    return candidate


def _body_end(lines: list[str], start: int, next_header_at: int) -> int:
    """Where an article's block ends: its end marker, the sidebar, or the next header.

    The next header's title and section lines belong to the next article, so without an
    end marker the block stops two lines before that `Published` (or one when the
    section line is missing).
    """
    limit = next_header_at
    if next_header_at < len(lines):
        limit = next_header_at - 1  # the title of the next article
        if limit - 1 >= start and _section_before(lines, limit) is not None:
            limit -= 1
    for i in range(start, max(start, limit)):
        if len(lines[i]) > _AGE_LINE_MAX_CHARS:  # a paragraph: neither a marker nor an age line
            continue
        marker = _marker(lines[i])
        if marker == CONTINUE_READING or marker in SIDEBAR_OPENERS or marker == PAGE_CLOSER:
            return i
        if _is_age_line(lines[i]) and i + 1 < len(lines) and not _is_chrome(lines[i + 1]):
            return i
    return max(start, limit)


def _article_from_block(block: list[str], title: str, section: str | None, path: str) -> RawArticle | None:
    """Split an article's block into caption, paragraphs, subheadings, source and bio."""
    block = [line for line in block if len(line) > _MARKER_MAX_CHARS or line.casefold() not in _BLOCK_MARKERS]
    source = author_bio = caption = None
    source_at = next(
        (i for i, line in enumerate(block) if line.startswith(_SOURCE_LINE_STARTS) and SOURCE_LINE.match(line)), None
    )
    if source_at is not None:
        match = SOURCE_LINE.match(block[source_at])
        source = match.group("source") if match else None
        trailing = block[source_at + 1 :]
        author_bio = "\n\n".join(trailing) or None
        block = block[:source_at]
    if len(block) >= 2 and _is_heading_like(block[0]):
        caption, block = block[0], block[1:]
    subheadings = tuple(
        line for i, line in enumerate(block) if 0 < i < len(block) - 1 and _is_heading_like(line)
    )
    if not title and not block:
        return None
    return RawArticle(
        title=title,
        body="\n\n".join(block),
        path=path,
        kind=ARTICLE,
        section=section,
        source=source,
        author_bio=author_bio,
        caption=caption,
        subheadings=subheadings,
    )


def _teasers(lines: list[str], path: str, start: int) -> Iterator[RawArticle]:
    """Teasers of the `Latest` sidebar: age line, title, then teaser text up to the next one."""
    i = start
    while i < len(lines):
        match = AGE_LINE.match(lines[i]) if _is_age_line(lines[i]) else None
        if match is None:
            i += 1
            continue
        j = i + 1
        if j >= len(lines) or _is_chrome(lines[j]) or _is_age_line(lines[j]):
            i = j
            continue
        title = lines[j]
        text_lines: list[str] = []
        k = j + 1
        while k < len(lines) and not _is_age_line(lines[k]) and not _is_chrome(lines[k]):
            text_lines.append(lines[k])
            k += 1
        yield RawArticle(
            title=title,
            body="\n\n".join(text_lines),
            path=path,
            kind=TEASER,
            section=match.group("section").strip(),
            age=match.group("age"),
        )
        i = k


def _sidebar_start(lines: list[str], articles_end: int) -> int:
    """Where teasers may begin: after the sidebar opener, else after the last article."""
    for i in range(articles_end, len(lines)):
        if _marker(lines[i]) in SIDEBAR_OPENERS:
            return i + 1
    return articles_end
