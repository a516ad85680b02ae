"""The keyword cache: round trip, concurrent segments, killed writers, corrupt files, no write access."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from core.cache import KeywordCache
from core.index import run_index
from core.keyword_rules import Keyword
from core.keywords import ExtractorParams
from tests.core.conftest import REPO, generated_articles

PARAMS = ExtractorParams()
RESULTS = {
    "a1": [Keyword("Geneva", "geneva", 0.1), Keyword("United States", "united states", 0.2)],
    "b2": [],
}


def test_round_trip(tmp_path: Path) -> None:
    cache = KeywordCache(PARAMS, tmp_path)
    assert cache.load() == {}
    assert cache.write(RESULTS)
    assert KeywordCache(PARAMS, tmp_path).load() == RESULTS
    assert KeywordCache(PARAMS, tmp_path).load(["b2", "zz"]) == {"b2": []}


def test_other_parameters_do_not_share_entries(tmp_path: Path) -> None:
    KeywordCache(PARAMS, tmp_path).write(RESULTS)
    assert KeywordCache(ExtractorParams(engine="yake"), tmp_path).load() == {}
    assert KeywordCache(ExtractorParams(top=5), tmp_path).load() == {}


def test_default_location_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "elsewhere"))
    KeywordCache(PARAMS).write(RESULTS)
    assert list((tmp_path / "elsewhere" / "keywords").rglob("seg-*.parquet"))


def test_writers_never_share_a_file_and_readers_union(tmp_path: Path) -> None:
    first, second = KeywordCache(PARAMS, tmp_path), KeywordCache(PARAMS, tmp_path)
    first.write({"a1": RESULTS["a1"]})
    second.write({"b2": [], "a1": RESULTS["a1"]})
    assert len(list(first.directory.glob("seg-*.parquet"))) == 2
    assert KeywordCache(PARAMS, tmp_path).load() == RESULTS


def test_compaction_keeps_every_entry(tmp_path: Path) -> None:
    cache = KeywordCache(PARAMS, tmp_path)
    for number in range(6):
        cache.write({f"id{number}": [Keyword(f"k{number}", f"k{number}", 0.5)]})
    cache.compact(threshold=3)
    assert len(list(cache.directory.glob("seg-*.parquet"))) == 1
    assert sorted(cache.load()) == [f"id{n}" for n in range(6)]


def _warnings_of(cache_root: Path) -> tuple[KeywordCache, list[str]]:
    messages: list[str] = []
    return KeywordCache(PARAMS, cache_root, warn=messages.append), messages


def test_temp_file_of_a_dead_writer_is_ignored_silently(tmp_path: Path) -> None:
    cache, messages = _warnings_of(tmp_path)
    cache.write(RESULTS)
    (cache.directory / ".tmp-deadbeef.parquet").write_bytes(b"PAR1\x00half a file")
    assert cache.load() == RESULTS
    assert messages == []


@pytest.mark.parametrize(
    "content",
    [b"\x00\xffgarbage bytes, not parquet" * 10, b""],
    ids=["garbage", "empty"],
)
def test_corrupt_segment_is_one_warning_and_recomputed(tmp_path: Path, content: bytes) -> None:
    articles = generated_articles(12)
    fresh = run_index(articles, cache_dir=tmp_path / "fresh").keywords
    run_index(articles, cache_dir=tmp_path / "cache")
    cache, _ = _warnings_of(tmp_path / "cache")
    for segment in cache.directory.glob("seg-*.parquet"):
        segment.write_bytes(content)
    (cache.directory / "seg-extra.parquet").write_bytes(content)
    messages: list[str] = []
    result = run_index(articles, cache_dir=tmp_path / "cache", warn=messages.append)
    assert len(messages) == 1 and "unreadable keyword cache" in messages[0]
    assert result.progress.cached == 0 and result.progress.extracted == 12
    assert result.keywords.equals(fresh)
    again: list[str] = []
    assert run_index(articles, cache_dir=tmp_path / "cache", warn=again.append).progress.cached == 12
    assert again == []


def test_foreign_parquet_file_is_ignored_with_one_warning(tmp_path: Path) -> None:
    cache, messages = _warnings_of(tmp_path)
    cache.write(RESULTS)
    pl.DataFrame({"id": ["a1"], "other": [1]}).write_parquet(cache.directory / "seg-foreign.parquet")
    pl.DataFrame({"id": ["zz"], "keywords": [[]]}, schema={"id": pl.String, "keywords": pl.List(pl.String)}).write_parquet(
        cache.directory / "seg-foreign2.parquet"
    )
    assert cache.load() == RESULTS
    assert len(messages) == 1


def test_unwritable_cache_dir_means_no_caching_and_one_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a regular file where a directory should be")
    messages: list[str] = []
    articles = generated_articles(10)
    # processes=1 and a tiny flush size: many writes are attempted, still one warning.
    result = run_index(articles, cache_dir=blocker / "sub", warn=messages.append, flush_every=2)
    assert result.keywords.height > 0 and result.progress.extracted == 10
    assert len(messages) == 1 and "cache disabled" in messages[0]
    second = run_index(articles, cache_dir=blocker / "sub", warn=messages.append)
    assert second.progress.cached == 0 and second.keywords.equals(result.keywords)


WRITER = """
import sys
from pathlib import Path
from core.index import run_index
from tests.core.conftest import generated_articles
run_index(generated_articles(int(sys.argv[2])), cache_dir=Path(sys.argv[1]), processes=1, flush_every=4)
print("finished", flush=True)
"""


def test_writer_killed_mid_way_leaves_a_cache_that_reads(tmp_path: Path) -> None:
    count = 400
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path), str(count)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    cache, messages = _warnings_of(tmp_path)
    deadline = time.monotonic() + 30
    while len(list(cache.directory.glob("seg-*.parquet"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(writer.pid, signal.SIGKILL)
    output, _ = writer.communicate()
    assert "finished" not in output, "the writer finished before it was killed: give it more work"
    partial = cache.load()
    assert 0 < len(partial) < count and messages == []
    articles = generated_articles(count)
    result = run_index(articles, cache_dir=tmp_path, warn=messages.append)
    assert result.progress.cached == len(partial) and result.progress.done == count
    assert messages == []
    assert set(result.keywords["id"]) == set(articles["id"])
