"""Parsing in worker processes: the same corpus, skips, progress and snapshot as in one process;
a cancel, an error or a dead worker leaves no process behind."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest

from bench.corpus_gen import write_corpus
from core import ingest
from core.corpus import RowMemo
from core.ingest import load_corpus
from core.parse_pool import ParsedBatch
from core.progress import LoadProgress
from core.snapshot import snapshot_path
from tests.core.pool_loads import Load, load_killing_a_worker, spawned_workers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")

ENGLISH_BODY = (
    "The city council voted on Tuesday to expand the tram network to the northern suburbs. "
    "Construction is expected to begin next spring and to last about three years."
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated listing pages (several batches' worth) among files of every other kind."""
    root = tmp_path_factory.mktemp("mixed")
    pages = write_corpus(root / "pages", 1500)
    (root / "pages" / "copy.txt").write_bytes(pages[3].read_bytes())  # every article seen twice
    (root / "a-empty.txt").write_bytes(b"")
    (root / "b-image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (root / "c.jsonl").write_text(
        "\n".join(json.dumps({"title": f"Row {n}", "body": f"Body of row {n}."}) for n in range(3)), encoding="utf-8"
    )
    (root / "d.txt.gz").write_bytes(gzip.compress(f"Trams go north\n\n{ENGLISH_BODY}\n".encode()))
    (root / "e-ru.txt").write_bytes("Переговоры в Москве\n\nМинистры обсудили торговлю и энергетику.\n".encode("cp1251"))
    (root / "f-no-articles.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return root


def test_pool_and_one_process_give_the_same_corpus_reports_and_snapshot(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = Load(corpus, tmp_path / "here", monkeypatch, workers=1)
    pooled = Load(corpus, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    assert pooled.warnings == here.warnings == []
    assert pooled.corpus.articles.height > 1500
    assert pooled.corpus.articles.equals(here.corpus.articles)
    assert pooled.corpus.articles.filter(pl.col("kind") == "article")["copies"].value_counts().sort("copies").rows() == [
        (1, 1500 - 5 + 5),  # the generated ones and five from the other files
        (2, 5),  # the copied page's
    ]
    assert pooled.skipped == here.skipped
    assert {Path(s.path).name: s.reason for s in pooled.skipped} == {
        "a-empty.txt": "empty file",
        "b-image.png": "binary file (not text in any known encoding)",
        "f-no-articles.csv": "no title or body column (columns: a, b)",
    }
    progress = [(r.files_done, r.files_total, r.bytes_done, r.bytes_total) for r in pooled.reports]
    assert progress == [(r.files_done, r.files_total, r.bytes_done, r.bytes_total) for r in here.reports]
    assert pooled.reports[0].partial is not None
    final_ids = pooled.corpus.articles["id"]
    for report in pooled.reports:
        if report.partial is not None:  # what was found so far: the first articles of the whole
            assert report.partial.articles["id"].equals(final_ids.head(report.partial.articles.height))
    assert pooled.stored_articles.equals(here.stored_articles)
    assert pooled.stored_sightings.equals(here.stored_sightings)
    assert spawned_workers() == []


def test_the_pool_s_first_batch_is_parsed_here_while_the_workers_start(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """So its rows come without waiting for a worker to start (they are starting meanwhile);
    the workers parse the rest."""
    parsed_here: list[int] = []
    workers_started: list[bool] = []
    parse_batch = ingest.parse_batch

    def noting(tasks: Sequence[tuple[str, str, int, int]], memo: RowMemo | None = None) -> ParsedBatch:
        parsed_here.append(len(tasks))
        workers_started.append(spawned_workers() != [])
        return parse_batch(tasks, memo)

    monkeypatch.setattr(ingest, "parse_batch", noting)
    pooled = Load(corpus, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    files = sum(1 for path in corpus.rglob("*") if path.is_file())
    assert len(parsed_here) == 1 and 0 < parsed_here[0] < files
    assert workers_started == [True]
    assert pooled.reports[0].partial is not None and pooled.reports[0].files_done <= parsed_here[0]
    assert pooled.corpus.articles.height > 1500


def test_warm_and_partly_changed_reopens_of_a_pooled_snapshot_match_a_cold_load(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "copy"
    for source in sorted(corpus.rglob("*")):
        target = root / source.relative_to(corpus)
        if source.is_dir():
            target.mkdir(parents=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    cold = Load(root, tmp_path / "cache", monkeypatch, workers=2, pool_min_bytes=0)
    warm = load_corpus([root], workers=2, pool_min_bytes=0)
    assert warm.articles.equals(cold.corpus.articles)
    changed = root / "pages" / "000010.txt"
    changed.write_text(f"Trams go north\n\n{ENGLISH_BODY}\n", encoding="utf-8")
    again = Load(root, tmp_path / "cache", monkeypatch, workers=2, pool_min_bytes=0)
    fresh = Load(root, tmp_path / "fresh", monkeypatch, workers=1)
    assert again.corpus.articles.equals(fresh.corpus.articles)
    assert again.stored_sightings.equals(fresh.stored_sightings)


def test_cancel_stops_the_pool_promptly_and_leaves_no_worker(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def stop_at_tenth_file(report: LoadProgress) -> None:
        if report.files_done == 10:
            assert spawned_workers() != []  # the pool really is running
            cancel.set()
            cancelled_at.append(time.perf_counter())

    corpus_so_far = load_corpus([corpus], progress=stop_at_tenth_file, cancel=cancel, workers=2, pool_min_bytes=0)
    assert time.perf_counter() - cancelled_at[0] < 2.0
    assert spawned_workers() == []
    assert 0 < corpus_so_far.articles.height < 1500
    assert not snapshot_path([corpus]).exists()


def test_an_error_in_a_callback_stops_the_pool(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))

    def fail_on_third_file(report: LoadProgress) -> None:
        if report.files_done == 3:
            raise RuntimeError("the screen went away")

    with pytest.raises(RuntimeError, match="the screen went away"):
        load_corpus([corpus], progress=fail_on_third_file, workers=2, pool_min_bytes=0)
    assert spawned_workers() == []


def test_a_killed_worker_means_the_rest_is_parsed_here_with_the_same_result(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = Load(corpus, tmp_path / "here", monkeypatch, workers=1)
    pooled, warnings = load_killing_a_worker(corpus, tmp_path / "pooled", monkeypatch)
    assert [w.split(" (")[0] for w in warnings] == ["parsing pool failed"]
    assert pooled.articles.equals(here.corpus.articles)
    assert spawned_workers() == []
