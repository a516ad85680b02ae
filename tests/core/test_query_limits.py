"""Filters of pathological size are a one-line error at once, never a long hang: 100,000
negated words (pasted text, or a script) took 27 s to run over eleven articles."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.ingest import load_corpus
from core.query import MAX_TERMS, QueryError, filter_articles, with_lowered_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize("term", ["-tide{}", "tide{} OR", "kw:tide{}"])
def test_a_filter_of_a_hundred_thousand_terms_is_refused_at_once(term: str) -> None:
    corpus = load_corpus([SEEDS], use_snapshot=False)
    articles = with_lowered_text(corpus.articles)
    text = " ".join(term.format(n) for n in range(100_000)).removesuffix(" OR")
    started = time.perf_counter()
    result = filter_articles(articles, corpus.keywords, text)
    elapsed = time.perf_counter() - started
    assert isinstance(result, QueryError), type(result)
    assert result.message.startswith("too many terms ("), result.message
    assert "\n" not in result.message and result.end == len(text)
    assert elapsed < 3, f"{elapsed:.1f} s"


def test_a_filter_at_the_limit_still_runs() -> None:
    corpus = load_corpus([SEEDS], use_snapshot=False)
    articles = with_lowered_text(corpus.articles)
    text = " ".join(f"-tide{n}" for n in range(MAX_TERMS))
    result = filter_articles(articles, corpus.keywords, text)
    assert not isinstance(result, QueryError), result
    assert result.height == articles.height
