"""Filters of pathological size are a one-line error at once, never a long hang: 100,000
negated words (pasted text, or a script) took 27 s to run over eleven articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ingest import load_corpus
from core.query import MAX_TERMS, QueryError, filter_articles, parse_filter, with_lowered_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.mark.parametrize("term", ["-tide{}", "tide{} OR", "kw:tide{}"])
def test_a_filter_of_a_hundred_thousand_terms_is_refused_at_once(term: str) -> None:
    corpus = load_corpus([SEEDS], use_snapshot=False)
    articles = with_lowered_text(corpus.articles)
    text = " ".join(term.format(n) for n in range(100_000)).removesuffix(" OR")
    # Refused as it is parsed, before any term is made or run against the articles (a
    # wall-clock bound here failed on a loaded machine; the timings live in bench/).
    refused = parse_filter(text)
    assert isinstance(refused, QueryError), type(refused)
    result = filter_articles(articles, corpus.keywords, text)
    assert result == refused
    assert result.message.startswith("too many terms ("), result.message
    assert "\n" not in result.message and result.end == len(text)


def test_a_filter_at_the_limit_still_runs() -> None:
    corpus = load_corpus([SEEDS], use_snapshot=False)
    articles = with_lowered_text(corpus.articles)
    text = " ".join(f"-tide{n}" for n in range(MAX_TERMS))
    result = filter_articles(articles, corpus.keywords, text)
    assert not isinstance(result, QueryError), result
    assert result.height == articles.height
