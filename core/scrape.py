"""The scraped-page parser: a listing page in the site template -> articles and teasers.

The template (docs/design.md, "The scraped-page template") is a run of article blocks

    <section> / <title> / Published / on / [caption] / paragraphs... /
    [source line] / [author bio] / Continue Reading / [Comments]

followed by a sidebar (`Publications`, `Latest`) of teasers

    <section><N> <unit> ago / <title> / <teaser text>...

closed by `Trending`. Only the template's own markers, in the template's order, are
recognised; any of them may be missing, and the page may be truncated anywhere. Site chrome
never becomes an article, and text inside an article stays in it: an age-looking line or a
lone chrome word there is text. A caption exists only on the line right after `on`, and only
when it reads as one. A text whose structure is not the template's (a chrome word or an
age-looking line alone does not make one) is one plain article whose first line is the title.
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

# What opens a wire story's first paragraph: a place, a date or an agency, and a dash or
# the agency's slashes ("WASHINGTON, Aug 8 —", "МОСКВА, 8 авг — РИА Новости.",
# "МОСКВА, 8 августа. /ТАСС/.", "LONDON (Reuters) -", "WASHINGTON —").
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁ"
_PLACE = rf"[{_UPPER}][\w'’.-]*(?:\s+[{_UPPER}][\w'’.-]*){{0,3}}"
_CAPITALS = rf"[{_UPPER}][{_UPPER}'’.-]+(?:\s+[{_UPPER}][{_UPPER}'’.-]+){{0,3}}"
# An agency is a name ("(Reuters)", "(РИА Новости)"): a bracket opening lower case is a
# remark ("Челси Мэннинг (ранее Брэдли Мэннинг) —"), not a dateline.
_AGENCY = rf"\((?=[{_UPPER}\d])[^()\n]{{1,40}}\)"
_DASH = r"\s*[—–-]{1,2}(?:\s|$)"
_DATED = r"\s*[,.]\s*[^—–/\n]{0,40}?\d[^—–/\n]{0,40}?"
DATELINE = re.compile(
    rf"^{_PLACE}(?:\s*{_AGENCY})?{_DATED}(?:{_DASH}|\s*/[^/\n]{{1,30}}/)"
    rf"|^{_PLACE}\s*{_AGENCY}{_DASH}"
    rf"|^{_CAPITALS}\s*[—–](?:\s|$)"
)
# A line that names who wrote or first published the text: body, never a caption.
ATTRIBUTION_LINE = re.compile(
    r"^(?:by|authored\s+by|written\s+by|submitted\s+by|posted\s+by|reported\s+by|compiled\s+by|via|courtesy\s+of|"
    r"reprinted|republished|автор|авторы|источник|по\s+материалам|перепечатано)\b"
    r"|\b(?:originally|first)\s+(?:published|appeared|posted)\b"
    r"|\bвпервые\s+опубликован|\bопубликован\w*\s+(?:на|в)\s+(?:сайте|издании|журнале|газете)",
    re.IGNORECASE,
)
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun "
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
    "янв фев мар апр июн июл авг сен сент окт ноя дек "
    "понедельник вторник среда четверг пятница суббота воскресенье "
    "года год г st nd rd th of utc gmt msk".split()
)

# A heading-like line: short, starts with a capital or digit, no sentence-final punctuation.
_HEADING_MAX_CHARS = 100
_HEADING_MAX_WORDS = 14
_SENTENCE_END = tuple(".!?:;,…\"”’»)]")
_SECTION_MAX_CHARS = 60
# A caption may close a quote or a bracket, but no sentence.
_CLOSERS = "\"”’»)]"
_CAPTION_END = tuple(".!?:;,…")
# A caption names who is where, when: it may take more words than a heading, in as few characters.
_CAPTION_MAX_WORDS = 20
# A caption may open with a quote or a bracket (`«Дом с привидениями» в Техасе`).
_OPENERS = "\"“„«'‘(["
# The section of a teaser is glued to its age; a separator before the age marks a comment header.
_AGE_SEPARATORS = tuple("•·|")
_ELLIPSIS = ("...", "…")
# A teaser is a headline (at most this long) and a line or two of text cut off with an ellipsis: a paragraph
# under an age-looking line, or paragraphs ending in one, are an article's text.
_TEASER_TITLE_MAX_CHARS = 2 * 100
_TEASER_TEXT_LINES = 2
# A source line names a partner; a paragraph opening "Source:" is the article's own text.
_SOURCE_LINE_MAX_CHARS = 150
# The template puts the source line and at most an author bio after the body.
_SOURCE_TAIL_LINES = 3
# The share of words a line and the title must have in common, both ways, to be the title again.
_TITLE_REPEAT = 0.8


_MARKER_MAX_CHARS = max(len(m) for m in CHROME_LINES)
_AGE_LINE_MAX_CHARS = _SECTION_MAX_CHARS + 20
_BLOCK_MARKERS = (PUBLISHED, ON, COMMENTS)
# What SOURCE_LINE can start with: only these match "f" and "s" ignoring case (a test pins that).
_SOURCE_LINE_STARTS = ("f", "F", "s", "S", "\u017f")
_WORD = re.compile(r"\w+")


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


def _is_template_age_line(line: str) -> bool:
    """An age line as the sidebar writes it: the section glued to the age, no separator
    (`Name • 13 hours ago` is a comment header, not a teaser)."""
    match = AGE_LINE.match(line) if _is_age_line(line) else None
    return match is not None and not match.group("section").endswith(_AGE_SEPARATORS)


def _is_date_only(line: str) -> bool:
    """A line that is a date and nothing else (`Thursday, February 23, 2006`, `8 августа 2019 г.`)."""
    if len(line) > _SECTION_MAX_CHARS:
        return False
    words = _WORD.findall(line.casefold())
    return (
        0 < len(words) <= 8
        and any(word.isdigit() for word in words)
        and all(word.isdigit() or word in _DATE_WORDS or word.rstrip("stndrh").isdigit() for word in words)
    )


def _header_starts(lines: list[str]) -> list[int]:
    """Indices of the `Published` marker line of every article header."""
    # Only "p" and "P" match "p" ignoring case (a test pins that): most lines need no regex.
    return [i for i, line in enumerate(lines) if line.startswith(("p", "P")) and PUBLISHED_ON_LINE.match(line)]


def _teaser_run_at(lines: list[str], at: int, end: int | None = None) -> bool:
    """Whether a sidebar teaser starts at `at` without an opener before it: a template age
    line, a headline, then teaser text, either cut off with an ellipsis or under an age
    glued to its section as only the sidebar writes it (`Energy3 hours ago`). The headline
    is no paragraph, and text ending in an ellipsis is a line or two, not a whole text."""
    end = len(lines) if end is None else end
    match = AGE_LINE.match(lines[at]) if _is_template_age_line(lines[at]) else None
    if match is None or at + 2 >= end:
        return False
    glued = not lines[at][match.start("age") - 1].isspace()
    title = lines[at + 1]
    if _is_chrome(title) or _is_age_line(title) or title.endswith(".") or len(title) > _TEASER_TITLE_MAX_CHARS:
        return False
    k = at + 2
    while k < end and not _is_age_line(lines[k]) and not _is_chrome(lines[k]):
        k += 1
    return k > at + 2 and (glued or (k - at - 2 <= _TEASER_TEXT_LINES and lines[k - 1].endswith(_ELLIPSIS)))


def _is_listing(lines: list[str], headers: list[int]) -> bool:
    """Whether the lines have the template's structure: an article header (`Published`
    followed by `on`, or by `Continue Reading` further down), or a sidebar's teasers (with
    or without their opener). One chrome word or one age-looking line is not structure."""
    for at in headers:
        following = lines[at + 1] if at + 1 < len(lines) else None
        if following is None or lines[at].casefold() != PUBLISHED or _marker(following) == ON:
            return True
    if headers and any(_marker(line) == CONTINUE_READING for line in lines[headers[0] + 1 :]):
        return True
    for at, line in enumerate(lines):
        marker = _marker(line)
        if marker in SIDEBAR_OPENERS:
            k = at + 1
            while k < len(lines) and _marker(lines[k]) in SIDEBAR_OPENERS:
                k += 1
            if k < len(lines) and _teaser_run_at(lines, k):
                return True
        elif line.endswith(("o", "O")) and _teaser_run_at(lines, at):
            return True
    return False


def has_template_markers(text: str) -> bool:
    """True when `text` has the structure of a listing page rather than one plain article."""
    lines = _page_lines(text)
    return _is_listing(lines, _header_starts(lines))


def parse_page(text: str, path: str) -> list[RawArticle]:
    """Parse one page's text into articles and teasers, in page order.

    Never raises on any text; returns an empty list for a page of chrome only.
    """
    lines = _page_lines(text)
    if not lines:
        return []
    headers = _header_starts(lines)
    if _is_listing(lines, headers):
        articles, articles_end = _articles(lines, headers, path)
        records = articles + list(_teasers(lines, path, _sidebar_start(lines, articles_end)))
        if records:
            return records
    return _plain_article(text, path)


def _plain_article(text: str, path: str) -> list[RawArticle]:
    """A text without the template's structure: its first line that is not site chrome is
    the title, everything after it the body (every word of it). Chrome alone is no article."""
    raw_lines = normalise_newlines(text).split("\n")
    for at, line in enumerate(raw_lines):
        title = line.strip()
        if title and not _is_chrome(title):
            body = "\n".join(raw_lines[at + 1 :]).strip()
            return [RawArticle(title=title, body=body, path=path, kind=ARTICLE)]
    return []


def _articles(lines: list[str], headers: list[int], path: str) -> tuple[list[RawArticle], int]:
    """The page's articles, and the index of the line after the last article's block."""
    articles: list[RawArticle] = []
    end = 0
    for number, published_at in enumerate(headers):
        title_at = published_at - 1
        title = lines[title_at] if title_at >= 0 and not _is_chrome(lines[title_at]) else ""
        section = _section_before(lines, title_at) if title else None
        body_start = published_at + 1
        after_on = lines[published_at].casefold() != PUBLISHED
        if body_start < len(lines) and _marker(lines[body_start]) == ON:
            body_start += 1
            after_on = True
        is_last = number + 1 == len(headers)
        next_header_at = len(lines) if is_last else headers[number + 1]
        end = _body_end(lines, body_start, next_header_at, is_last)
        article = _article_from_block(lines[body_start:end], title, section, path, after_on)
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


def _body_end(lines: list[str], start: int, next_header_at: int, is_last: bool) -> int:
    """Where an article's block ends: its `Continue Reading`, else the next header, else
    (after the last article) where the sidebar or the page's end begins.

    The next header's title and section lines belong to the next article, so without an
    end marker the block stops two lines before that `Published` (or one when the
    section line is missing). Inside the block, age-looking lines and chrome words are text.
    """
    limit = next_header_at
    if next_header_at < len(lines):
        limit = next_header_at - 1  # the title of the next article
        if limit - 1 >= start and _section_before(lines, limit) is not None:
            limit -= 1
    limit = max(start, limit)
    for i in range(start, limit):
        if len(lines[i]) <= _MARKER_MAX_CHARS and lines[i].casefold() == CONTINUE_READING:
            return i
    return _sidebar_in(lines, start, limit) if is_last else limit


def _sidebar_in(lines: list[str], start: int, limit: int) -> int:
    """Where the sidebar or the page's closer begins in the last article's block, when it
    has no `Continue Reading` (the block's end when neither does)."""
    for i in range(start, limit):
        line = lines[i]
        if len(line) > _AGE_LINE_MAX_CHARS:  # a paragraph: neither a marker nor an age line
            continue
        marker = _marker(line)
        if marker == PAGE_CLOSER and _closes_page(lines, i):
            return i
        if marker in SIDEBAR_OPENERS:
            k = i + 1
            while k < len(lines) and _marker(lines[k]) in SIDEBAR_OPENERS:
                k += 1
            if k == len(lines) or _is_chrome(lines[k]) or _is_age_line(lines[k]):
                return i
        elif line.endswith(("o", "O")) and _teaser_run_at(lines, i, limit):
            return i
    return limit


def _closes_page(lines: list[str], at: int) -> bool:
    """Whether the `Trending` line at `at` closes the page: it is the page's last line, or
    what follows it up to the sidebar or more chrome is headlines and cut-off teaser text,
    never a paragraph (a lone `Trending` followed by prose is a word in the last article)."""
    for line in lines[at + 1 :]:
        if _is_chrome(line) or _is_age_line(line):
            return True
        if not _is_heading_like(line) and not line.endswith(_ELLIPSIS):
            return False
    return at + 1 == len(lines)  # short lines up to a cut-off page's end may be a paragraph cut short


def _caption_end(line: str) -> bool:
    """Whether a line ends a sentence (a caption may still close a quote or a bracket)."""
    return line.rstrip(_CLOSERS).endswith(_CAPTION_END)


def _repeats_title(line: str, title: str) -> bool:
    """Whether a line is the headline said again, near word for word (a lead, not a caption);
    a headline of one or two words must be said again exactly."""
    words = set(_WORD.findall(line.casefold()))
    title_words = set(_WORD.findall(title.casefold()))
    if len(words) < 3 or not title_words:
        return bool(words) and words == title_words
    shared = len(words & title_words)
    return shared >= _TITLE_REPEAT * len(words) and shared >= _TITLE_REPEAT * len(title_words)


def _is_lead_line(line: str, title: str) -> bool:
    """A line that may open a body before its first paragraph: a date, the headline again,
    or who first published the text (each one line no longer than a headline)."""
    return len(line) <= _TEASER_TITLE_MAX_CHARS and (
        _is_date_only(line) or _repeats_title(line, title) or ATTRIBUTION_LINE.search(line) is not None
    )


def _reads_as_caption(block: list[str], title: str) -> bool:
    """Whether the block's first line, right after `on`, is a caption: short, no sentence
    punctuation, not a date, dateline, attribution or repeated headline, and followed by
    a prose paragraph that is not a wire story's dateline opening: twice as long, or
    longer and ending a sentence (a news lead can be one short sentence). A date, the
    headline again, an attribution line or heading-like lines (a subheading, a comment
    header, a chrome word) may stand between the caption and that paragraph."""
    candidate = block[0]
    if (
        len(candidate) > _HEADING_MAX_CHARS
        or len(candidate.split()) > _CAPTION_MAX_WORDS
        or not candidate.lstrip(_OPENERS)[:1].isalnum()
        or _caption_end(candidate)
        or _is_date_only(candidate)
        or DATELINE.match(candidate)
        or ATTRIBUTION_LINE.search(candidate)
        or _repeats_title(candidate, title)
    ):
        return False
    following = next(
        (line for line in block[1:] if not _is_lead_line(line, title) and not _is_heading_like(line)), None
    )
    return (
        following is not None
        and (len(following) >= 2 * len(candidate) or (len(following) > len(candidate) and _caption_end(following)))
        and not following.endswith("?")
        and DATELINE.match(following) is None
    )


def _source_at(block: list[str]) -> int | None:
    """The index of the block's source line: the last one, followed by at most a bio (a line
    longer than a partner's name is a paragraph, whatever it opens with)."""
    for i in range(len(block) - 1, max(-1, len(block) - 1 - _SOURCE_TAIL_LINES), -1):
        line = block[i]
        if len(line) <= _SOURCE_LINE_MAX_CHARS and line.startswith(_SOURCE_LINE_STARTS) and SOURCE_LINE.match(line):
            return i
    return None


def _article_from_block(
    block: list[str], title: str, section: str | None, path: str, after_on: bool
) -> RawArticle | None:
    """Split an article's block into caption, paragraphs, subheadings, source and bio."""
    # The template's own markers stand at the block's edges; one inside it is a word of the text.
    start, end = 0, len(block)
    while start < end and _marker(block[start]) in _BLOCK_MARKERS:
        start += 1
    while end > start and _marker(block[end - 1]) in _BLOCK_MARKERS:
        end -= 1
    block = block[start:end]
    source = author_bio = caption = None
    source_at = _source_at(block)
    if source_at is not None:
        match = SOURCE_LINE.match(block[source_at])
        source = match.group("source") if match else None
        trailing = block[source_at + 1 :]
        author_bio = "\n\n".join(trailing) or None
        block = block[:source_at]
    if after_on and len(block) >= 2 and _reads_as_caption(block, title):
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
        match = AGE_LINE.match(lines[i]) if _is_template_age_line(lines[i]) else None
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
