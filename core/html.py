"""HTML pages -> one article, through trafilatura (boilerplate removal and metadata)."""

from __future__ import annotations

import datetime as dt
import re

from core.corpus import ARTICLE, RawArticle
from core.errors import UnreadableFile

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """True for text that starts like an HTML document, whatever the file is called."""
    return _HTML_START.match(text[:4096]) is not None


def read_html(text: str, path: str) -> list[RawArticle]:
    """The main article of an HTML page, with title, date, site name and first category."""
    import trafilatura  # on first use: it costs ~150 ms to import and most corpora hold no HTML

    document = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise UnreadableFile("no article text found in the HTML page")
    title = (document.title or "").strip()
    paragraphs = [line.strip() for line in document.text.split("\n") if line.strip()]
    if paragraphs and title and paragraphs[0] == title:
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


def _parse_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
