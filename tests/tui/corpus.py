"""A small corpus written to disk for the TUI tests, and helpers to drive the app.

Six rows: four articles in a JSONL file, a teaser, and a plain-text article whose title is
markup-looking (`[bold red]x[/]`) and whose body holds `[@click=app.quit]y[/]`. Keywords are
written by hand (KEYWORD_SCHEMA) so the keyword tests do not depend on YAKE's output.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
from textual.pilot import Pilot

from core.corpus import Corpus
from core.ingest import load_corpus
from core.query import normalise_key
from tui.app import NewsdeskApp, create_app

MARKUP_TITLE = "[bold red]x[/]"
CLICK_TEXT = "[@click=app.quit]y[/]"

ROWS = [
    {
        "title": "Energy markets brace for winter",
        "body": "Natural gas prices rose again as Europe filled storage.\n\nTraders expect natural gas demand to peak in January.",
        "section": "Energy",
        "source": "RIAC",
        "date": "2021-11-01",
    },
    {
        "title": "Russia and Turkey talk pipelines",
        "body": "A new pipeline would carry natural gas south.\n\nThe pipeline talks resume next week in Ankara, officials said on Monday.",
        "section": "Russia",
        "source": "TASS",
        "date": "2021-10-15",
    },
    {
        "title": "Women in leadership must be the norm",
        "body": "Gender equality in leadership is still far away.\n\nLeadership programmes help, a report finds, but progress is slow and uneven across the regions surveyed.",
        "section": "New Social Compact",
        "source": "UN News",
        "date": "2021-09-01",
    },
    {
        "title": "Arctic shipping lanes open earlier",
        "body": "Melting ice opens the northern route for longer each year, and shipping firms plan more voyages.",
        "section": "Environment",
        "date": "2021-12-05",
    },
    {
        "title": "Zebra crossings make cities safer",
        "body": "Cities paint more crossings...",
        "section": "Cities",
        "kind": "teaser",
    },
]

MARKUP_BODY = f"A body with {CLICK_TEXT} inside, a stray [/] and \x1b]0;owned\x07 an escape."

KEYWORDS = {
    "Energy markets brace for winter": ["natural gas", "storage", "Europe"],
    "Russia and Turkey talk pipelines": ["pipeline", "natural gas", "Ankara"],
    "Women in leadership must be the norm": ["leadership", "gender equality"],
    "Arctic shipping lanes open earlier": ["shipping", "northern route"],
    MARKUP_TITLE: ["[bold]", "body"],
}

TOTAL = len(ROWS) + 1


def write_corpus(directory: Path) -> Path:
    """Write the corpus files into `directory/corpus` and return that directory."""
    root = directory / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    with (root / "articles.jsonl").open("w", encoding="utf-8") as out:
        for row in ROWS:
            out.write(json.dumps(row) + "\n")
    (root / "markup.txt").write_text(f"{MARKUP_TITLE}\n\n{MARKUP_BODY}\n", encoding="utf-8")
    return root


def keywords_frame(corpus: Corpus) -> pl.DataFrame:
    """The hand-written KEYWORDS as a KEYWORD_SCHEMA frame for `corpus`'s ids."""
    rows = []
    for ident, title in corpus.articles.select("id", "title").iter_rows():
        for rank, keyword in enumerate(KEYWORDS.get(title, []), start=1):
            rows.append({"id": ident, "rank": rank, "keyword": keyword, "key": normalise_key(keyword), "score": rank / 10})
    return pl.DataFrame(rows)


def load_with_keywords(directory: Path) -> Corpus:
    """The corpus read from `directory` with the hand-written keywords attached."""
    corpus = load_corpus([directory])
    return corpus.with_keywords(keywords_frame(corpus))


def make_app(tmp_path: Path, *, keywords: bool = True) -> NewsdeskApp:
    """The app on the test corpus: with hand-written keywords (preloaded) or read by its worker."""
    root = write_corpus(tmp_path)
    if keywords:
        return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)
    return create_app([root], index=False, export_dir=tmp_path)


async def wait_for(pilot: Pilot, predicate: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    """Let the app run until `predicate()` is true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.02)


async def settle(pilot: Pilot) -> None:
    """Wait for the app's workers and the messages they posted."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ready(pilot: Pilot) -> NewsdeskApp:
    """Wait until the corpus is on screen and return the app."""
    app = pilot.app
    assert isinstance(app, NewsdeskApp)
    await wait_for(pilot, lambda: app.loaded and app.article_list.row_count > 0, what="corpus on screen")
    await settle(pilot)
    return app


def titles(app: NewsdeskApp) -> list[str]:
    """Titles of the rows in the list, in order."""
    return app.article_list.frame.get_column("title").to_list()


def screen_text(app: NewsdeskApp) -> str:
    """The visible screen as plain text lines."""
    lines = []
    for strip in app.screen._compositor.render_strips():
        lines.append("".join(segment.text for segment in strip))
    return "\n".join(lines)
