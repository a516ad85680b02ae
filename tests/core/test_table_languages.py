"""A table's languages decided apart from its rows: from what `core.table_languages` keeps of
them, real articles get the languages their whole text gets."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from core import table_languages
from core.language import decide_languages, second_look_sample

REALTEXT = Path(__file__).resolve().parents[1] / "data" / "realtext"


def _real_articles() -> list[tuple[str, str]]:
    """(title, body) of every real article the tests hold, each also cut to its first
    paragraph, so that short bodies are there too."""
    found: list[tuple[str, str]] = []
    for language in ("en", "ru"):
        for article in json.loads((REALTEXT / f"wikinews-{language}.json").read_text(encoding="utf-8")):
            found.append((article["title"], "\n\n".join(article["paragraphs"])))
            found.append((article["title"], article["paragraphs"][0]))
    return found


def _inputs(articles: list[tuple[str, str]], alone: list[bool]) -> pl.DataFrame:
    frame = pl.DataFrame({"title": [title for title, _ in articles], "body": [body for _, body in articles]})
    return table_languages.language_inputs(frame, pl.Series(alone, dtype=pl.Boolean()))


def test_what_a_second_look_reads_is_the_same_from_the_kept_text_as_from_the_whole_body() -> None:
    articles = _real_articles()
    # Edges of the kept text: a body at the second look's length, none or many spaces near
    # two thirds in, letters of two bytes and three where the window starts.
    articles += [("t", "a" * 319), ("t", "a" * 320), ("t", "б" * 700), ("t", "слово " * 90), ("t", "中文 " * 200), ("t", "")]
    inputs = _inputs(articles, [False] * len(articles))
    kept = [
        table_languages.second_look_text(head, tail, length)
        for head, tail, length in inputs.select(table_languages.HEAD, table_languages.TAIL, table_languages.LENGTH).iter_rows()
    ]
    assert len(kept) == len(articles)
    differing = [body[:60] for (_, body), text in zip(articles, kept, strict=True) if second_look_sample(text) != second_look_sample(body)]
    assert differing == []
    # What is kept of a body is short: its opening and a stretch two thirds in.
    assert max(inputs.get_column(table_languages.TAIL).str.len_chars()) <= 110
    assert max(inputs.get_column(table_languages.HEAD).str.len_chars()) <= 400


@pytest.mark.parametrize("alone", [False, True])
def test_real_articles_get_the_languages_their_whole_text_gets(alone: bool) -> None:
    articles = _real_articles()
    inputs = _inputs(articles, [alone] * len(articles))
    decided = table_languages.decide(inputs, "export.jsonl")
    assert decided == decide_languages(articles, [None if alone else "export.jsonl"] * len(articles))
    assert {"en", "ru"} <= set(decided)


def test_the_languages_to_come_are_those_of_the_rows_whose_inputs_were_kept() -> None:
    articles = _real_articles()[:40]
    inputs = _inputs(articles, [False] * len(articles))
    # Rows 0-9 had their languages decided with them: their inputs are null.
    inputs = inputs.with_columns(
        pl.when(pl.int_range(pl.len()) >= 10).then(pl.col(name)).alias(name) for name in table_languages.INPUT_COLUMNS
    )
    pending = table_languages.pending(inputs)
    assert pending.get_column(table_languages.ROW).to_list() == list(range(10, 40))
    languages = table_languages.decide_pending(pending, "export.jsonl", len(articles))
    assert languages[:10] == [None] * 10
    assert languages[10:] == decide_languages(articles[10:], ["export.jsonl"] * 30)
