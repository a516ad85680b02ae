"""Indexing a corpus: cache first, pool for the rest, progress, partial results, cancellation."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import polars as pl
import pytest

from core.corpus import KEYWORD_SCHEMA
from core.index import POOL_MIN_DOCS, Progress, index_keywords, run_index
from tests.core.conftest import REPO, generated_articles


def test_keywords_frame_covers_every_article_in_order(tmp_path: Path) -> None:
    articles = generated_articles(20)
    frame = index_keywords(articles, cache_dir=tmp_path)
    assert dict(frame.schema) == KEYWORD_SCHEMA
    assert frame["id"].unique(maintain_order=True).to_list() == articles["id"].to_list()
    ranks = frame.group_by("id").agg(pl.col("rank"))
    assert all(r == list(range(1, len(r) + 1)) for r in ranks["rank"].to_list())
    assert frame.group_by("id").len()["len"].max() == 10


def test_second_run_comes_from_the_cache(tmp_path: Path) -> None:
    articles = generated_articles(30)
    first = run_index(articles, cache_dir=tmp_path)
    second = run_index(articles, cache_dir=tmp_path)
    assert (first.progress.extracted, first.progress.cached) == (30, 0)
    assert (second.progress.extracted, second.progress.cached) == (0, 30)
    assert second.keywords.equals(first.keywords)
    assert second.summary().startswith("indexed 30 articles (0 extracted, 30 cached) in ")


def test_only_missing_articles_are_extracted(tmp_path: Path) -> None:
    articles = generated_articles(30)
    run_index(articles.head(20), cache_dir=tmp_path)
    result = run_index(articles, cache_dir=tmp_path)
    assert (result.progress.extracted, result.progress.cached) == (10, 20)


def test_unknown_engine_is_a_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown keyword engine"):
        index_keywords(generated_articles(2), engine="nope", cache_dir=tmp_path)


def test_pool_agrees_with_one_process_and_reports_progress(tmp_path: Path) -> None:
    articles = generated_articles(POOL_MIN_DOCS + 20, sentences_per_article=2)
    reports: list[Progress] = []
    batches: list[pl.DataFrame] = []
    pooled = index_keywords(
        articles, processes=2, cache_dir=tmp_path / "pool", progress=reports.append, on_batch=batches.append
    )
    single = index_keywords(articles, processes=1, cache_dir=tmp_path / "single")
    assert pooled.equals(single)
    done = [r.done for r in reports]
    assert done == sorted(done) and done[0] == 0 and done[-1] == articles.height
    assert all(r.total == articles.height for r in reports) and reports[-1].docs_per_s > 0
    assert len(batches) > 2
    assert pl.concat(batches).sort("id", "rank").equals(pooled.sort("id", "rank"))


@pytest.mark.parametrize("processes", [1, 2])
def test_cancel_stops_early_and_keeps_what_was_done(tmp_path: Path, processes: int) -> None:
    articles = generated_articles(POOL_MIN_DOCS + 60, sentences_per_article=2)
    cancel = threading.Event()

    def stop_after_first_batch(progress: Progress) -> None:
        if progress.done > 0:
            cancel.set()

    result = run_index(
        articles, processes=processes, cache_dir=tmp_path, progress=stop_after_first_batch, cancel=cancel
    )
    assert result.cancelled and 0 < result.progress.done < articles.height
    assert result.summary().startswith("cancelled after")
    rerun = run_index(articles, processes=1, cache_dir=tmp_path)
    assert rerun.progress.cached == result.progress.done and not rerun.cancelled
    assert rerun.progress.done == articles.height


INDEXER = """
import json, sys
from pathlib import Path
from core.index import run_index
from tests.core.conftest import generated_articles
frame = run_index(generated_articles(int(sys.argv[2])), cache_dir=Path(sys.argv[1]), processes=1, flush_every=8).keywords
print(json.dumps(frame.rows()))
"""


def test_two_concurrent_indexers_both_succeed_and_agree(tmp_path: Path) -> None:
    count = "120"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", INDEXER, str(tmp_path), count],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [err for _, err in outputs]
    first, second = (json.loads(out) for out, _ in outputs)
    assert first == second and len({row[0] for row in first}) == int(count)
    warnings: list[str] = []
    cached = run_index(generated_articles(int(count)), cache_dir=tmp_path, warn=warnings.append)
    assert cached.progress.cached == int(count) and warnings == []
    assert json.loads(json.dumps(cached.keywords.rows())) == first


def test_articles_without_bodies_read_only_the_uncached_ones(tmp_path: Path) -> None:
    articles = pl.DataFrame(
        {
            "id": ["a1", "a2"],
            "title": ["Harbour expansion approved", "Rail strike ends"],
            "body": [
                "The city council approved the harbour expansion after a long debate about costs.",
                "The rail strike ended on Monday after unions and the operator agreed on wages.",
            ],
            "language": ["en", "en"],
        }
    )
    cache = tmp_path / "cache"
    first = run_index(articles.head(1), processes=1, cache_dir=cache).keywords
    asked: list[list[str]] = []

    def bodies(ids: pl.Series) -> pl.Series:
        asked.append(ids.to_list())
        by_id = dict(zip(articles["id"], articles["body"], strict=True))
        return pl.Series([by_id[i] for i in ids], dtype=pl.String)

    result = run_index(articles.drop("body"), processes=1, cache_dir=cache, bodies=bodies).keywords
    assert asked == [["a2"]]  # a1's keywords were cached: its body was never read
    assert result.filter(pl.col("id") == "a1").equals(first)
    assert result.filter(pl.col("id") == "a2").height > 0
    with pytest.raises(ValueError):
        run_index(articles.drop("body"), processes=1, cache_dir=cache)
