"""A large JSON-lines table begun in worker processes at launch (`core.table_head_start`): the
load takes the pool over and reads the rows it reads without one; a table changed since
launch is read as it is now; a dead worker costs time only; and what no load takes is
stopped, leaving no worker and no folder behind. Only one large JSON-lines file is begun."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from core import table_head_start
from tests.core.legacy_tables import write_legacy_table
from tests.core.pool_loads import Load, realtext_rows, spawned_workers, write_jsonl

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("table") / "export.jsonl", realtext_rows(2500))


@pytest.fixture(autouse=True)
def own_temp_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the workers' folders go, to see that none is left; nothing begun outlives a test."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    table_head_start.abandon()


@pytest.fixture
def claims(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each claim the load made found the pool begun at launch (the real claim runs)."""
    seen: list[bool] = []
    claim = table_head_start.claim

    def watched(jobs):  # type: ignore[no-untyped-def]
        taken = claim(jobs)
        seen.append(taken is not None)
        return taken

    monkeypatch.setattr(table_head_start, "claim", watched)
    return seen


def _wait_for_workers() -> list[int]:
    deadline = time.monotonic() + 30
    while not (workers := spawned_workers()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return workers


def _wait_for_a_batch(temp: Path) -> None:
    """Until a worker has written a batch's sightings into its folder under `temp`."""
    deadline = time.monotonic() + 30
    while not any(temp.glob("*/*.arrow")) and time.monotonic() < deadline:
        time.sleep(0.02)


def test_the_load_takes_the_pool_begun_at_launch_and_reads_the_same_rows(
    table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims: list[bool], own_temp_folder: Path
) -> None:
    here = Load(table, tmp_path / "here", monkeypatch, workers=1)
    table_head_start.begin([table], 2, 0)
    assert _wait_for_workers()  # begun before the load asks for anything
    begun = Load(table, tmp_path / "begun", monkeypatch, workers=2, pool_min_bytes=0)
    assert claims == [True]
    assert begun.warnings == here.warnings == []
    assert begun.skipped == here.skipped == []
    assert begun.corpus.articles.height == here.corpus.articles.height > 2400
    assert begun.corpus.articles.equals(here.corpus.articles)
    partial = [r for r in begun.reports if r.partial is not None and r.files_done == 0]
    assert partial and 0 < partial[0].partial.articles.height < begun.corpus.articles.height
    assert begun.stored_articles.equals(here.stored_articles)
    assert spawned_workers() == []
    assert list(own_temp_folder.iterdir()) == []
    assert table_head_start.abandon() is False  # taken: nothing left to stop


def test_a_table_changed_after_launch_is_read_as_it_is_now(
    table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims: list[bool], own_temp_folder: Path
) -> None:
    path = tmp_path / "growing.jsonl"
    path.write_bytes(table.read_bytes())
    table_head_start.begin([path], 2, 0)
    assert _wait_for_workers()
    with path.open("a", encoding="utf-8") as out:  # a scraper appends while the app starts
        out.write('{"title": "Appended after launch", "body": "Harbour talks resume at dawn."}\n')
    begun = Load(path, tmp_path / "begun", monkeypatch, workers=2, pool_min_bytes=0)
    here = Load(path, tmp_path / "here", monkeypatch, workers=1)
    assert claims == [False]
    assert begun.corpus.articles.equals(here.corpus.articles)
    assert begun.corpus.articles.get_column("title").to_list()[-1] == "Appended after launch"
    assert spawned_workers() == []
    assert list(own_temp_folder.iterdir()) == []


def test_a_worker_killed_before_the_load_costs_time_only(
    table: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, claims: list[bool], own_temp_folder: Path
) -> None:
    here = Load(table, tmp_path / "here", monkeypatch, workers=1)
    table_head_start.begin([table], 2, 0)
    workers = _wait_for_workers()
    # Killed once a batch is made, so after its pool was handed every batch: killed while
    # the jobs were still being handed, the pool would not be begun at all (nothing to claim).
    _wait_for_a_batch(own_temp_folder)
    os.kill(workers[0], signal.SIGKILL)
    begun = Load(table, tmp_path / "begun", monkeypatch, workers=2, pool_min_bytes=0)
    assert claims == [True]
    assert begun.corpus.articles.equals(here.corpus.articles)
    assert any("parsing pool failed" in warning for warning in begun.warnings)
    assert spawned_workers() == []


def test_what_no_load_takes_is_stopped_with_its_folder(table: Path, own_temp_folder: Path) -> None:
    table_head_start.begin([table], 2, 0)
    assert _wait_for_workers()
    assert list(own_temp_folder.iterdir())  # where the workers write
    assert table_head_start.abandon() is True
    assert spawned_workers() == []
    assert list(own_temp_folder.iterdir()) == []


@pytest.mark.parametrize(
    "case", ["two files", "a folder", "a csv", "a json array", "under the minimum", "a link", "cp1251", "one worker"]
)
def test_nothing_is_begun_but_for_one_large_utf8_json_lines_file(table: Path, tmp_path: Path, case: str) -> None:
    paths, workers, minimum = [table], 2, 0
    if case == "two files":
        paths = [table, table.with_name("other.jsonl")]
    elif case == "a folder":
        paths = [table.parent]
    elif case == "a csv":
        paths = [tmp_path / "export.csv"]
        paths[0].write_text("title,body\n" + "Grain talks,Resume at dawn.\n" * 50_000, encoding="utf-8")
    elif case == "a json array":
        paths = [tmp_path / "export.json"]
        paths[0].write_text("[" + table.read_text(encoding="utf-8").replace("\n", ",")[:-1] + "]", encoding="utf-8")
    elif case == "under the minimum":
        minimum = table.stat().st_size + 1
    elif case == "a link":
        paths = [tmp_path / "link.jsonl"]
        paths[0].symlink_to(table)
    elif case == "cp1251":
        paths = [write_legacy_table(tmp_path, ".jsonl", 0)[0]]
    elif case == "one worker":
        workers = 1
    table_head_start.begin(paths, workers, minimum)
    assert table_head_start.abandon() is False
    assert spawned_workers() == []
