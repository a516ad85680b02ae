"""A real corpus with dates, written to disk: the English Wikinews articles as a JSONL file whose
`date` is the dateline each opens with (`Tuesday, September 1, 2015`; the few without one are
undated), and the Russian articles as listing pages, whose sidebar teasers carry only an age
(`3 hours ago`), no date. `DATES` is each English title's date as Python's `datetime` reads the
dateline, for expectations computed apart from the code under test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from core.corpus import Corpus
from core.ingest import load_corpus
from tests.data.realtext.render import listing_pages, load_articles, write_all


def _dateline(article: dict) -> dt.date | None:
    try:
        return dt.datetime.strptime(article["paragraphs"][0].strip(), "%A, %B %d, %Y").date()
    except ValueError:
        return None


EN = load_articles("en")
DATES: dict[str, dt.date | None] = {article["title"]: _dateline(article) for article in EN}


def write_dated_corpus(root: Path) -> Path:
    """Write the corpus into `root` (made if need be) and return it."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / "wikinews-en.jsonl").open("w", encoding="utf-8") as out:
        for article in EN:
            row = {"title": article["title"], "body": "\n\n".join(article["paragraphs"][1:]), "section": "World"}
            date = DATES[article["title"]]
            if date is not None:
                row["date"] = date.isoformat()
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    write_all(root / "pages", listing_pages("ru")[:3])
    return root


def read_dated_corpus(root: Path) -> Corpus:
    """Write the corpus into `root` and read it back as the dashboard does."""
    return load_corpus([write_dated_corpus(root)], use_snapshot=False)
