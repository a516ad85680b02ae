"""A corpus over the in-memory limit keeps its bodies in the snapshot: the reader, text
filters, the concordance, copy and export still see every body (Pilot, real files)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import polars as pl
import pytest

from core.bodies import ROWS_PER_GROUP
from core.prefetch import SnapshotPrefetch
from core.snapshot import snapshot_path, wait_for_saves
from core.view import ROW_COLUMN
from tests.tui.corpus import ROWS, TOTAL, ready, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.screens.export import ExportScreen
from tui.screens.kwic import KwicScreen
from tui.startup import SEARCH_PREPARE_DELAY

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


def _app(tmp_path: Path) -> tuple[NewsdeskApp, Path]:
    root = write_corpus(tmp_path)
    return create_app([root], index=False, export_dir=tmp_path, bodies_in_memory_max_bytes=0), root


async def _bodies_dropped(pilot, app: NewsdeskApp) -> None:  # type: ignore[no-untyped-def]
    await ready(pilot)
    await wait_for(pilot, lambda: app.view.bodies_on_disk and app.view.search_ready, what="bodies on disk")


async def test_bodies_leave_memory_once_search_is_ready(tmp_path: Path) -> None:
    app, _ = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _bodies_dropped(pilot, app)
        assert "body" not in app.view.articles.columns
        assert "body" not in app.view.corpus.articles.columns
        assert app.article_list.row_count == TOTAL


async def test_a_parsed_corpus_is_shown_before_its_snapshot_is_written_and_its_bodies_go_after(
    tmp_path: Path, held_snapshot_saves: tuple[threading.Event, threading.Event]
) -> None:
    """The snapshot is written once the rows are on screen; the bodies move to it once it
    is (search preparation, due half a second after the first view, waits for that)."""
    writing, release = held_snapshot_saves
    app, _ = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.loaded and app.article_list.row_count == TOTAL, what="rows before the save")
        await wait_for(pilot, writing.is_set, what="the save, after the rows")
        assert app.loader.rows_shown.is_set()
        await pilot.pause(SEARCH_PREPARE_DELAY + 0.5)
        assert not app.view.search_ready
        release.set()
        await _bodies_dropped(pilot, app)
        assert "body" not in app.view.corpus.articles.columns


async def _shown_while_saving(pilot, app: NewsdeskApp, writing: threading.Event) -> None:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: app.loaded and writing.is_set(), what="rows shown, snapshot being saved")


def _let_the_save_fail(root: Path, release: threading.Event) -> None:
    """Put a file where the snapshots of `root` go, then let the held save go: it fails (really)."""
    folder = snapshot_path([root]).parent
    shutil.rmtree(folder)
    folder.write_text("in the way", encoding="utf-8")
    release.set()


async def test_a_snapshot_write_that_fails_after_the_rows_are_shown_is_one_notification(
    tmp_path: Path, held_snapshot_saves: tuple[threading.Event, threading.Event]
) -> None:
    """The failure is told from the saving thread, and the bodies it would have held stay."""
    writing, release = held_snapshot_saves
    app, root = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _shown_while_saving(pilot, app, writing)
        _let_the_save_fail(root, release)
        await wait_for(pilot, lambda: app.view.search_ready, what="search ready")
        told = [n.message for n in app._notifications if "snapshot" in n.message]
        assert len(told) == 1 and told[0].startswith("corpus snapshot not saved"), told
        assert not app.view.bodies_on_disk


async def test_a_snapshot_write_that_fails_after_the_app_has_exited_is_one_line_on_stderr(
    tmp_path: Path, held_snapshot_saves: tuple[threading.Event, threading.Event], capsys: pytest.CaptureFixture[str]
) -> None:
    writing, release = held_snapshot_saves
    app, root = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _shown_while_saving(pilot, app, writing)
    _let_the_save_fail(root, release)
    waiting = threading.Thread(target=wait_for_saves)
    waiting.start()
    waiting.join(10)
    assert not waiting.is_alive(), "the save never ended"
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: warning: corpus snapshot not saved") and err.count("\n") == 1, err


async def test_a_small_corpus_keeps_its_bodies(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    app = create_app([root], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.view.search_ready, what="search ready")
        assert not app.view.bodies_on_disk


async def test_reader_shows_each_body_read_from_the_snapshot(tmp_path: Path) -> None:
    app, _ = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _bodies_dropped(pilot, app)
        for row in range(TOTAL):
            app.article_list.cursor = row
            article = app.article_list.frame.row(row, named=True)
            expected = next((r["body"] for r in ROWS if r["title"] == article["title"]), None)
            first_line = (expected or "A body with").split("\n")[0][:40]
            await wait_for(pilot, lambda: first_line in " ".join(app.reader.lines), what=f"body of row {row}")


async def test_text_filter_kwic_copy_and_export_see_the_bodies(tmp_path: Path) -> None:
    app, _ = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _bodies_dropped(pilot, app)
        app.apply_filter("ankara")  # only in a body
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="body text filter")

        app.open_kwic("natural gas")
        await wait_for(pilot, lambda: isinstance(app.screen, KwicScreen), what="kwic screen")
        assert isinstance(app.screen, KwicScreen)
        assert app.screen.lines.get_column("match").to_list() == ["natural gas"]  # the filtered view's one
        await pilot.press("escape")

        await pilot.press("y")
        await wait_for(pilot, lambda: app.clipboard.endswith(ROWS[1]["body"]), what="copied body")

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: list(tmp_path.glob("newsdesk-export-*.csv")), what="export file")
        await app.workers.wait_for_complete()
        (target,) = tmp_path.glob("newsdesk-export-*.csv")
        exported = pl.read_csv(target)
        assert exported.get_column("body").to_list() == [ROWS[1]["body"]]
        assert ROW_COLUMN not in exported.columns


async def test_kwic_over_the_whole_corpus_matches_the_in_memory_one(tmp_path: Path) -> None:
    app, root = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _bodies_dropped(pilot, app)
        on_disk = app.view.kwic(app.article_list.frame, "natural gas")
    in_memory = create_app([root], index=False)
    async with in_memory.run_test(size=SIZE) as pilot:
        await ready(pilot)
        expected = in_memory.view.kwic(in_memory.article_list.frame, "natural gas")
    assert on_disk.height == 3
    assert on_disk.equals(expected)


async def test_a_deleted_snapshot_shows_a_one_line_message(tmp_path: Path) -> None:
    # More articles than one row group, so the last one's body is in a group never read:
    # the store keeps the last group it read, which outlives the file.
    root = tmp_path / "many"
    root.mkdir()
    count = ROWS_PER_GROUP + 4
    with (root / "articles.jsonl").open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"title": f"Report {n}", "body": f"Officials published report number {n} today."}) + "\n")
    app = create_app([root], index=False, bodies_in_memory_max_bytes=0)
    async with app.run_test(size=SIZE) as pilot:
        await _bodies_dropped(pilot, app)
        snapshot_path([root]).unlink()
        app.article_list.cursor = count - 1
        await wait_for(pilot, lambda: app.reader.article_id == app.article_list.article_id_at(count - 1), what="reader")
        await wait_for(pilot, lambda: "no longer in the cache" in " ".join(app.reader.lines), what="missing-body message")
        assert f"report number {count - 1}" not in " ".join(app.reader.lines)


async def test_a_warm_open_never_reads_the_bodies_into_memory(tmp_path: Path) -> None:
    first, root = _app(tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)  # writes the snapshot
    app = create_app([root], index=False, export_dir=tmp_path, bodies_in_memory_max_bytes=0)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "body" not in app.view.corpus.articles.columns  # read without its text
        app.apply_filter("ankara")  # a text filter before the search columns exist: they are made
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="body text filter")
        await wait_for(pilot, lambda: "Ankara" in " ".join(app.reader.lines), what="body read for the reader")


async def test_keywords_are_extracted_and_reread_with_the_bodies_on_disk(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    for _ in range(2):  # cold (bodies parsed), then warm (read without their text; keywords cached)
        app = create_app([root], bodies_in_memory_max_bytes=0)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            await wait_for(pilot, lambda: app.view.keywords.height > 0 and not app.workers, timeout=30, what="keywords")
            assert app.view.keywords.get_column("id").n_unique() >= 4


async def test_a_warm_open_takes_the_snapshot_read_ahead_at_start_up(tmp_path: Path) -> None:
    first, root = _app(tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)  # writes the snapshot
    prefetched = SnapshotPrefetch([root], 0)  # as the CLI starts it, before the app is built
    app = create_app([root], index=False, export_dir=tmp_path, bodies_in_memory_max_bytes=0, prefetched=prefetched)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.article_list.row_count == TOTAL
        assert "body" not in app.view.corpus.articles.columns
        assert app.view.corpus.articles is prefetched.result(print).articles  # the very frame read ahead
