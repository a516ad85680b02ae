"""Two `newsdesk index` processes and the dashboard, all indexing one corpus into one cache at once.

Every writer must succeed without a warning, the cache must hold exactly one answer per article
(where two writers stored the same article, they stored the same keywords), and the app, the
indexers and a later cached read must all agree.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from core.cache import KeywordCache
from core.index import run_index
from core.ingest import load_corpus
from core.keywords import ExtractorParams
from tests.faults.harness import Runs, child_env, summary_of, warning_lines, write_jsonl_corpus
from tests.tui.corpus import settle, wait_for
from tui.app import create_app

COUNT = 240  # above the pool threshold: each indexer and the app start their own process pool


def _every_segment_row(cache_root: Path) -> dict[str, list[object]]:
    """Keyword lists by id as stored in each segment (an id may be stored by several writers)."""
    stored: dict[str, list[object]] = {}
    directory = KeywordCache(ExtractorParams(), cache_root).directory
    for segment in sorted(directory.glob("seg-*.parquet")):
        for ident, keywords in pl.read_parquet(segment).iter_rows():
            stored.setdefault(ident, []).append(keywords)
    return stored


@pytest.mark.asyncio
async def test_two_indexers_and_the_app_share_one_cache(tmp_path: Path, runs: Runs, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", COUNT, seed=11)
    cache = tmp_path / "cache"
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
    indexers = [runs.start(["index", str(corpus)], child_env(cache)) for _ in range(2)]
    app = create_app([corpus], export_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "indexed" in app.status_bar.text, timeout=90, what="the app's indexing (a pool started inside the app)")
        await settle(pilot)
        assert f"keywords: {COUNT} indexed" in app.status_bar.text
        shown = app.view.keywords.sort("id", "rank")
        overlapped = any(indexer.running() for indexer in indexers)

    results = [indexer.finish(timeout=120) for indexer in indexers]
    for code, out, err in results:
        assert code == 0 and out == "" and warning_lines(err) == [], err
        total, extracted, cached = summary_of(err)
        assert total == COUNT and extracted + cached == COUNT

    stored = _every_segment_row(cache)
    assert set(stored) == set(load_corpus([corpus]).articles["id"])
    disagreements = [ident for ident, answers in stored.items() if any(a != answers[0] for a in answers)]
    assert disagreements == []

    warnings: list[str] = []
    again = run_index(load_corpus([corpus]).articles, cache_dir=cache, warn=warnings.append)
    assert warnings == [] and again.progress.cached == COUNT and again.progress.extracted == 0
    assert again.keywords.sort("id", "rank").equals(shown.select(again.keywords.columns))
    print(
        f"{sum(len(a) for a in stored.values())} rows stored for {len(stored)} articles by 3 writers; "
        f"indexers {[summary_of(err)[1:] for _, _, err in results]} (extracted, cached); "
        f"the app finished while an indexer still ran: {overlapped}"
    )
