"""A quoted phrase of any length is a filter like another: 30,000 words of real text (the
bundled seed page, repeated) find the article that holds them, in the core, the CLI's
`--where` and the dashboard's filter bar (pasted, as a terminal delivers a paste)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from textual import events

from core import query
from core.corpus import RawArticle, build_corpus
from core.query import QueryError, filter_articles, with_lowered_text
from tests.core.conftest import REPO
from tests.tui.corpus import wait_for
from tui.app import create_app
from core.commands import main

SEED = next((REPO / "seeds").glob("*.txt")).read_text(encoding="utf-8")
SEED_WORDS = SEED.split()
COPIES = 30_000 // len(SEED_WORDS) + 1
LONG_BODY = "\n\n".join([SEED] * COPIES)
"""The seed page repeated: more than 30,000 words, with its own line breaks between them."""
PHRASE = " ".join(LONG_BODY.split()[:30_000])
"""30,000 words of LONG_BODY, single-spaced where the body has line breaks."""


def _articles() -> pl.DataFrame:
    corpus = build_corpus(
        [
            RawArticle(title="The whole page, repeated", body=LONG_BODY, path="long.txt"),
            RawArticle(title="The page once", body=SEED, path="once.txt"),
        ]
    )
    return corpus.articles


ARTICLES = _articles()


def titles(text: str, articles: pl.DataFrame) -> list[str]:
    result = filter_articles(articles, None, text)
    assert not isinstance(result, QueryError), result
    return result.get_column("title").to_list()


@pytest.mark.parametrize("lowered", [False, True], ids=["plain", "lowered"])
def test_a_30k_word_phrase_finds_the_article_that_holds_it(lowered: bool) -> None:
    articles = with_lowered_text(ARTICLES) if lowered else ARTICLES
    assert titles(f'"{PHRASE}"', articles) == ["The whole page, repeated"]
    assert titles(f'"{PHRASE.upper()}"', articles) == ["The whole page, repeated"]
    assert titles(f'-"{PHRASE}"', articles) == ["The page once"]
    assert titles(f'"{PHRASE} nowhere-in-the-page"', articles) == []


def _seed_phrases() -> list[str]:
    """Stretches of the seed at word edges and inside words (a phrase must end on a whole word)."""
    phrases = []
    for start in (0, 117, 2_000, len(SEED_WORDS) - 400):
        words = SEED_WORDS[start : start + 400]
        phrases.append(" ".join(words))
        phrases.append(" ".join(words)[:-2])  # the last word cut short: not a whole word
        phrases.append(" ".join(words)[2:])  # the first word cut short
    return phrases


@pytest.mark.parametrize("phrase", _seed_phrases(), ids=lambda phrase: f"{len(phrase)}-chars-{phrase[:12]}")
def test_the_long_phrase_search_agrees_with_the_regex_search(phrase: str, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = with_lowered_text(ARTICLES)
    monkeypatch.setattr(query, "LONG_PHRASE_CHARS", 10**9)
    by_regex = titles(f'"{phrase}"', articles), titles(f'"{phrase}"', ARTICLES)
    monkeypatch.setattr(query, "LONG_PHRASE_CHARS", 0)
    assert isinstance(query.parse_filter(f'"{phrase}"').root, query.LongPhrase)
    assert (titles(f'"{phrase}"', articles), titles(f'"{phrase}"', ARTICLES)) == by_regex


def test_cli_where_with_a_30k_word_phrase(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "articles.jsonl"
    rows = [{"title": "The whole page, repeated", "body": LONG_BODY}, {"title": "The page once", "body": SEED}]
    corpus.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert main(["parse", str(corpus), "--where", f'"{PHRASE}"']) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["The whole page, repeated"], err
    assert "Error" not in err and "Traceback" not in err


@pytest.mark.asyncio
async def test_a_pasted_30k_word_phrase_filters_the_dashboard(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    rows = [{"title": "The whole page, repeated", "body": LONG_BODY}, {"title": "The page once", "body": SEED}]
    (root / "articles.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    app = create_app([root], index=False, export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.article_list.row_count == 2, timeout=20, what="the corpus")
        await pilot.press("slash")
        app.post_message(events.Paste(f'"{PHRASE}"'))
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, timeout=30, what="the filtered view")
        titles_shown = app.article_list.frame.get_column("title").to_list()
        assert titles_shown == ["The whole page, repeated"]
        assert app.filter_bar.error_text == ""
        assert not [n for n in app._notifications if n.severity == "error"]
        assert app.is_running
