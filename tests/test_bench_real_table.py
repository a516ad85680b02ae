"""The real-news table bench/tables.py writes with `--real`: real articles only, turned so
that the openings language detection reads are distinct within a batch, as a real export's
are (repeated openings are judged once a batch, and would flatter the load)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bench.tables import real_articles, write_real_table


def test_the_real_table_opens_its_articles_differently_and_invents_no_words(tmp_path: Path) -> None:
    table = tmp_path / "real.jsonl"
    count, _ = write_real_table(table, 3)
    rows = [json.loads(line) for line in table.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == count > 700

    openings = [row["body"][:80] for row in rows[:700]]  # about a quarter of a batch
    assert len(set(openings)) >= 0.97 * len(openings)

    # Every body holds only words of the article it was made from, none lost but the
    # few its opening sentence was cut by.
    articles = real_articles()
    for number, row in enumerate(rows):
        title, paragraphs = articles[number % len(articles)]
        assert row["title"] == f"{title} ({number})"
        source = Counter(" ".join(paragraphs).split())
        made = Counter(row["body"].split())
        assert not made - source
        assert sum((source - made).values()) < 60
