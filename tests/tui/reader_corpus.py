"""Real Wikinews articles (tests/data/realtext) written as a JSONL corpus with their web addresses,
for the reader's find and link tests; plus one article whose URL is a `javascript:` URL and one
with no URL."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.data.realtext.render import HERE

JAVASCRIPT_URL = "javascript:alert(document.cookie)"
BIDI_URL = "https://example.org/report\u202egpj.exe"
"""Survives cleaning (a format character, not a control), and would show `exe.jpg` reversed."""


def _url(article: dict[str, Any]) -> str:
    source = str(article["source"])
    if source.startswith("http"):
        return source
    page = re.search(r"page id (\d+)", source)
    assert page is not None, source
    return f"https://ru.wikinews.org/?curid={page.group(1)}"


def articles(language: str) -> list[dict[str, Any]]:
    """The real articles of `language` (en, ru) as corpus rows with a url."""
    raw = json.loads((HERE / f"wikinews-{language}.json").read_text(encoding="utf-8"))
    return [
        {
            "title": article["title"],
            "body": "\n\n".join(article["paragraphs"]),
            "section": "Россия" if language == "ru" else "World",
            "source": "Wikinews",
            "url": _url(article),
        }
        for article in raw
    ]


def write_corpus(directory: Path, rows: list[dict[str, Any]]) -> Path:
    """`rows` as `directory/corpus/articles.jsonl`; returns the corpus folder."""
    root = directory / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    with (root / "articles.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return root


def reader_rows() -> list[dict[str, Any]]:
    """Three Russian and two English real articles, one with a `javascript:` URL, one without a
    URL, and one whose URL holds a right-to-left override."""
    ru, en = articles("ru"), articles("en")
    odd = dict(en[2], url=JAVASCRIPT_URL)
    bare = {key: value for key, value in en[3].items() if key != "url"}
    bidi = dict(en[4], url=BIDI_URL)
    return [ru[0], ru[1], ru[2], en[0], en[1], odd, bare, bidi]
