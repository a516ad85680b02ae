"""Real Wikinews articles (tests/data/realtext/wikinews-en.json) written as a JSONL corpus, for
tests that need real text in a folder the commands and the dashboard read."""

from __future__ import annotations

import json
from pathlib import Path

REALTEXT = Path(__file__).resolve().parents[1] / "data" / "realtext" / "wikinews-en.json"
ARTICLES: dict[str, dict[str, object]] = {
    str(article["id"]): article for article in json.loads(REALTEXT.read_text(encoding="utf-8"))
}


def body_of(ident: str) -> str:
    """The article's paragraphs, as the corpus file holds its body."""
    paragraphs = ARTICLES[ident]["paragraphs"]
    assert isinstance(paragraphs, list)
    return "\n\n".join(paragraphs)


def write_articles(directory: Path, *ids: str) -> Path:
    """The real articles `ids` as `directory/wikinews.jsonl` (section World)."""
    path = directory / "wikinews.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for ident in ids:
            row = {"title": ARTICLES[ident]["title"], "body": body_of(ident), "section": "World"}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path
