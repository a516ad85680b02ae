"""Fixtures for the keyword tests: the seed corpus and deterministic generated articles."""

from __future__ import annotations

import random
import re
from pathlib import Path

import polars as pl
import pytest

from core.corpus import Corpus, RawArticle, build_corpus
from core.ingest import load_corpus

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "seeds" / "000_f28cf99939672350.txt"


@pytest.fixture(scope="session")
def seed_corpus() -> Corpus:
    """The bundled seed page, parsed the way the app parses it."""
    return load_corpus([SEED])


def generated_articles(count: int, sentences_per_article: int = 6, seed: int = 7) -> pl.DataFrame:
    """`count` distinct articles made of seed sentences sampled deterministically."""
    text = SEED.read_text(encoding="utf-8")
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6]
    rng = random.Random(seed)
    raw = [
        RawArticle(
            title=f"Report {number}: " + " ".join(rng.choice(sentences).split()[:6]),
            body="\n\n".join(rng.choice(sentences) for _ in range(sentences_per_article)),
            path="generated",
        )
        for number in range(count)
    ]
    return build_corpus(raw).articles


@pytest.fixture
def articles_factory():  # type: ignore[no-untyped-def]
    """`generated_articles` as a fixture, for tests that need a corpus of a given size."""
    return generated_articles
