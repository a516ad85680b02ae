"""One large table read by worker processes: the same rows, languages, skips and snapshot as in
one process, rows shown before it is read, and all of them before the languages the workers
leave out; a cancel, a failing batch or a dead worker leaves no worker behind and loses no row."""

from __future__ import annotations

import csv
import io
import json
import shutil
import threading
from pathlib import Path

import pytest

from core.ingest import load_corpus
from core.progress import LoadProgress
from tests.core.legacy_tables import LAST_TITLE, write_legacy_table
from tests.core.pool_loads import (
    Load,
    load_killing_a_worker,
    realtext_rows,
    spawned_workers,
    write_jsonl,
)

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads child processes from /proc")

def _csv(path: Path, rows: list[dict[str, object]]) -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)  # bodies hold blank lines: newlines inside quotes, never a boundary
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tables")
    rows = realtext_rows(2500)
    return {"jsonl": write_jsonl(root / "export.jsonl", rows), "csv": _csv(root / "export.csv", rows)}


@pytest.mark.parametrize("kind", ["jsonl", "csv"])
def test_workers_read_a_large_table_into_the_rows_one_process_reads(
    tables: dict[str, Path], kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tables[kind]
    assert path.stat().st_size > 4 * 2**20  # the first batch and several later ones
    here = Load(path, tmp_path / "here", monkeypatch, workers=1)
    pooled = Load(path, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    assert pooled.warnings == here.warnings == []
    assert pooled.skipped == here.skipped == []
    assert pooled.corpus.articles.height == here.corpus.articles.height > 2400
    assert pooled.corpus.articles.equals(here.corpus.articles)
    languages = dict(pooled.corpus.articles.group_by("language").len().rows())
    assert languages.get("en", 0) > 1000 and languages.get("ru", 0) > 1000
    partial = [r for r in pooled.reports if r.partial is not None and r.files_done == 0]
    assert partial and 0 < partial[0].partial.articles.height < pooled.corpus.articles.height
    assert spawned_workers() == []
    # The reopen reads the snapshot the pooled load wrote, as after a load in one process.
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "pooled"))
    assert load_corpus([path], workers=2, pool_min_bytes=0).articles.equals(here.corpus.articles)


def test_a_large_jsonl_of_no_objects_gives_its_reason_from_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "none.jsonl"
    path.write_text("not json at all\n" * 2**18, encoding="utf-8")  # 4 MiB: the first batch and later ones
    pooled = Load(path, tmp_path / "cache", monkeypatch, workers=2, pool_min_bytes=0)
    assert len(pooled.corpus) == 0
    assert [s.reason for s in pooled.skipped] == ["no JSON objects found"]
    assert spawned_workers() == []


def test_a_csv_whose_later_batch_does_not_parse_is_skipped_with_its_reason_and_no_worker_left(
    tables: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.csv"
    text = tables["csv"].read_text(encoding="utf-8")
    path.write_text(text + 'late,"a quote that never closes\n' + text.split("\n", 1)[1], encoding="utf-8")
    here = Load(path, tmp_path / "here", monkeypatch, workers=1)
    pooled = Load(path, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    assert [s.reason.split(" (")[0] for s in here.skipped] == ["not a readable CSV file"]
    assert pooled.skipped == here.skipped
    assert pooled.corpus.articles.equals(here.corpus.articles)
    assert spawned_workers() == []


def test_a_cancel_while_workers_read_a_table_stops_them(
    tables: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))
    cancel = threading.Event()
    seen: list[list[int]] = []

    def cancel_after_first_rows(report: LoadProgress) -> None:
        workers = spawned_workers()
        if workers and not cancel.is_set():  # the first rows are on screen; the user quits
            seen.append(workers)
            cancel.set()

    corpus = load_corpus([tables["jsonl"]], progress=cancel_after_first_rows, cancel=cancel, workers=2, pool_min_bytes=0)
    assert seen  # the workers were running when the load was cancelled
    assert 0 < corpus.articles.height < 2400
    assert spawned_workers() == []


@pytest.mark.parametrize("languages_due", [False, True], ids=["while rows are made", "while languages are decided"])
def test_a_killed_worker_means_the_rest_of_the_table_is_read_here_with_the_same_rows(
    tables: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, languages_due: bool
) -> None:
    path = tables["jsonl"]
    here = Load(path, tmp_path / "here", monkeypatch, workers=1)
    killed_load, warnings = load_killing_a_worker(
        path, tmp_path / "killed", monkeypatch, when=lambda report: report.languages_due == languages_due
    )
    assert [w.split(" (")[0] for w in warnings] == ["parsing pool failed"]
    assert killed_load.articles.equals(here.corpus.articles)
    assert spawned_workers() == []


def test_a_table_under_the_pools_minimum_is_read_here(
    tables: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[list[int]] = []
    load_corpus([tables["jsonl"]], progress=lambda report: seen.append(spawned_workers()), workers=2)
    assert len(seen) > 2 and all(workers == [] for workers in seen)


def test_hostile_lines_in_a_later_batch_cost_what_they_cost_in_one_process(
    tables: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = tables["jsonl"].read_text(encoding="utf-8").splitlines()
    hostile = [
        '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}",  # past the parser's depth
        '{"title": "A number of 5,000 digits", "body": "Grain talks resume.", "url": ' + "7" * 5000 + "}",
        json.dumps({"\x1b]52;c;UFdORUQ=\x1b\\": "x", "title": "Keys are data", "body": "Grain talks resume."}),
        '{"title": "A lone surrogate \\ud800", "body": "Grain talks resume."}',
    ]
    middle = len(lines) * 3 // 4  # well past the first batch
    path = tmp_path / "hostile.jsonl"
    path.write_text("\n".join(lines[:middle] + hostile + lines[middle:]) + "\n", encoding="utf-8")
    here = Load(path, tmp_path / "here", monkeypatch, workers=1)
    pooled = Load(path, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    assert pooled.warnings == here.warnings == []
    assert pooled.skipped == here.skipped == []
    assert pooled.corpus.articles.equals(here.corpus.articles)
    titles = set(pooled.corpus.articles.get_column("title"))
    assert {"A number of 5,000 digits", "Keys are data"} <= titles
    assert spawned_workers() == []


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_workers_read_a_legacy_encoded_table_in_the_first_batchs_codec(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cp1251 table whose later batches are mostly ASCII: a worker given such a batch alone
    would read it as cp1250 (`Ďóňčí` for `Путин`); it is given the first batch's codec."""
    path, _ = write_legacy_table(tmp_path, suffix, ferries=40_000)
    here = Load(path, tmp_path / "here", monkeypatch, workers=1)
    pooled = Load(path, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    assert pooled.skipped == here.skipped == []
    assert pooled.corpus.articles.equals(here.corpus.articles)
    assert LAST_TITLE in set(pooled.corpus.articles.get_column("title"))


def test_every_row_is_reported_before_the_languages_workers_leave_out_and_the_load_ends_with_them(
    tables: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Files before the table in the walk: its rows do not start the load's.
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "export.jsonl"
    shutil.copyfile(tables["jsonl"], path)
    for number, row in enumerate(realtext_rows(7)):
        (folder / f"a-{number}.txt").write_text(f"{row['title']}\n\n{row['text']}\n", encoding="utf-8")
    here = Load(folder, tmp_path / "here", monkeypatch, workers=1)
    pooled = Load(folder, tmp_path / "pooled", monkeypatch, workers=2, pool_min_bytes=0)
    assert not any(report.languages_due for report in here.reports)
    due = [report for report in pooled.reports if report.languages_due]
    assert len(due) == 1 and due[0].partial is not None
    rows_first = due[0].partial.articles
    # All the rows, in their order, before the workers' languages: the first batch's, made
    # here, have theirs already.
    assert rows_first.get_column("id").equals(here.corpus.articles.get_column("id"))
    missing = rows_first.get_column("language").null_count()
    assert 0 < missing < rows_first.height
    assert rows_first.head(7).get_column("language").null_count() == 0  # the plain files' rows
    assert rows_first.drop("language").equals(here.corpus.articles.drop("language"))
    assert pooled.corpus.articles.get_column("language").null_count() == 0
    assert pooled.corpus.articles.equals(here.corpus.articles)
    # The snapshot is saved with them, the repeats' languages included.
    assert pooled.stored_articles.equals(here.stored_articles)
    assert pooled.stored_sightings.equals(here.stored_sightings)
    assert spawned_workers() == []

