"""Progressive open: parse progress in the status bar, and rows shown while a load runs."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from core.corpus import RawArticle, build_corpus
from core import ingest
from core.errors import SkipHandler
from core.progress import LoadProgress
from tests.core.pool_loads import realtext_rows, spawned_workers, write_jsonl
from tests.tui.corpus import TOTAL, make_app, ready, titles, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.messages import CorpusLoaded, LoadProgressed
from tui.screens.overview import OverviewScreen
from tui.startup import FIRST_VIEW_WAIT_SECONDS
from tui.widgets.status_bar import StatusBar


@contextlib.asynccontextmanager
async def _loading(tmp_path: Path) -> AsyncIterator[tuple[NewsdeskApp, Pilot]]:
    """The app on its corpus, then as if its load were still running: reports are shown."""
    app = make_app(tmp_path, keywords=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.loader.loaded = False
        yield app, pilot


def _report_rows(app: NewsdeskApp, word: str, rows: int, report: LoadProgress) -> None:
    """What the load worker does with the rows found so far: install them, then `report` them."""
    found = build_corpus(
        [RawArticle(title=f"{word} {n}", body=f"Body {n} of a {word.lower()} article.", path="x.txt") for n in range(rows)]
    )
    app.view.set_corpus(found)
    app.post_message(LoadProgressed(replace(report, partial=found)))


@pytest.mark.asyncio
async def test_status_bar_shows_parse_progress_with_rate_and_time_left(tmp_path: Path) -> None:
    app = make_app(tmp_path, keywords=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        _check_progress_text(app.status_bar)


def _check_progress_text(bar: StatusBar) -> None:
    bar.set(parsing=True, parse_done=1200, parse_total=20000, parse_mb_per_s=4.25, parse_seconds_left=75, total=5)
    assert "parsing 1,200/20,000 files 4.2 MB/s ~75s left" in bar.text
    bar.set(parsing=False, indexing=True, index_done=100, index_total=700, docs_per_s=120.0)
    assert "parsing" not in bar.text
    assert "keywords 100/700 120 docs/s ~5s left" in bar.text


@pytest.mark.asyncio
async def test_rows_found_so_far_show_before_the_load_ends_and_the_cursor_keeps_its_article(tmp_path: Path) -> None:
    async with _loading(tmp_path) as (app, pilot):
        _report_rows(app, "Early", 3, LoadProgress(2, 9, 2_000_000, 9_000_000, 1.0, None))
        await pilot.pause(0.3)
        assert titles(app) == ["Early 0", "Early 1", "Early 2"]
        assert "parsing 2/9 files 2.0 MB/s ~4s left" in app.status_bar.text
        await pilot.press("G")
        await pilot.pause(0.1)
        kept = app.article_list.article_id_at(app.article_list.cursor)
        _report_rows(app, "Early", 6, LoadProgress(5, 9, 5_000_000, 9_000_000, 2.0, None))
        await pilot.pause(0.3)
        assert len(titles(app)) == 6
        assert app.article_list.article_id_at(app.article_list.cursor) == kept
        assert app.reader.article_id == kept


@pytest.mark.asyncio
async def test_rows_are_shown_even_when_a_report_without_rows_follows_at_once(tmp_path: Path) -> None:
    # A pool hands back many files at a time: a report with rows is followed by reports
    # without, queued together. Only reports without rows may be merged away.
    async with _loading(tmp_path) as (app, pilot):
        _report_rows(app, "Pooled", 4, LoadProgress(50, 90, 5_000_000, 9_000_000, 1.0, None))
        for done in range(51, 55):
            app.post_message(LoadProgressed(LoadProgress(done, 90, 5_000_000, 9_000_000, 1.0, None)))
        await pilot.pause(0.3)
        assert titles(app) == [f"Pooled {n}" for n in range(4)]
        assert "parsing 54/90 files" in app.status_bar.text


@pytest.mark.asyncio
async def test_the_count_in_the_status_bar_comes_with_the_rows_not_before(tmp_path: Path) -> None:
    # A terminal test read "5 of 5" while the list was still empty: the count ran a frame ahead.
    async with _loading(tmp_path) as (app, pilot):
        _report_rows(app, "Grown", 7, LoadProgress(5, 9, 5_000_000, 9_000_000, 2.0, None))
        seen: list[tuple[int, int]] = []
        deadline = time.monotonic() + 5
        while app.article_list.row_count != 7 and time.monotonic() < deadline:
            seen.append((app.status_bar.status.total, app.article_list.row_count))
            await asyncio.sleep(0)
        assert app.article_list.row_count == 7
        assert len(seen) > 1  # the rows took a worker's round trip: there was a moment to look
        assert [counted for counted in seen if counted[0] == 7] == []
        assert "7 of 7" in app.status_bar.text


@pytest.mark.asyncio
async def test_the_end_of_parsing_is_shown_with_the_last_reports_rows_not_before(tmp_path: Path) -> None:
    # A terminal test read "7 of 7" with parsing over while the last report's rows were on their way.
    async with _loading(tmp_path) as (app, pilot):
        _report_rows(app, "Early", 7, LoadProgress(5, 9, 5_000_000, 9_000_000, 2.0, None))
        await wait_for(pilot, lambda: app.article_list.row_count == 7 and "parsing 5/9" in app.status_bar.text)
        _report_rows(app, "Whole", 12, LoadProgress(9, 9, 9_000_000, 9_000_000, 3.0, None))
        seen: list[tuple[bool, int]] = []
        deadline = time.monotonic() + 5
        while app.article_list.row_count != 12 and time.monotonic() < deadline:
            seen.append(("parsing" in app.status_bar.text, app.article_list.row_count))
            await asyncio.sleep(0)
        assert app.article_list.row_count == 12
        assert len(seen) > 1  # the rows took a worker's round trip: there was a moment to look
        assert [shown for shown in seen if not shown[0]] == []
        assert "parsing" not in app.status_bar.text
        assert "12 of 12" in app.status_bar.text


@pytest.mark.asyncio
async def test_all_rows_in_with_languages_to_come_end_parsing_and_say_languages_are_being_detected(tmp_path: Path) -> None:
    async with _loading(tmp_path) as (app, pilot):
        _report_rows(app, "Whole", 12, LoadProgress(8, 9, 9_000_000, 9_000_000, 3.0, None, languages_due=True))
        await wait_for(pilot, lambda: app.article_list.row_count == 12, what="all the rows")
        assert app.loader.all_rows and not app.loader.loaded
        assert "12 of 12" in app.status_bar.text
        assert "parsing" not in app.status_bar.text
        assert "detecting languages…" in app.status_bar.text
        # The overview does not count languages it has not got.
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.overview is not None, what="overview")
        languages = str(app.screen.query_one("#overview-languages", Static).render())
        assert "Still detecting languages" in languages
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, OverviewScreen), what="overview closed")
        app.post_message(CorpusLoaded(app.view.corpus, []))
        await wait_for(pilot, lambda: app.loader.loaded, what="the load's end")
        assert "detecting languages" not in app.status_bar.text


@pytest.mark.asyncio
async def test_a_large_table_shows_all_its_rows_while_workers_detect_their_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = write_jsonl(tmp_path / "export.jsonl", realtext_rows(4000))
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))
    # Worker processes for this table, as for one of hundreds of megabytes on any machine.
    monkeypatch.setattr(ingest, "POOL_MIN_BYTES", 0)
    monkeypatch.setattr(ingest, "worker_count", lambda: 2)
    app = create_app([table], index=False, export_dir=tmp_path)
    seen: list[tuple[str, bool, bool]] = []
    async with app.run_test(size=(120, 40)) as pilot:
        deadline = time.monotonic() + 60
        while not app.loader.loaded and time.monotonic() < deadline:
            seen.append((app.status_bar.text, app.loader.all_rows, app.loader.loaded))
            await pilot.pause(0.01)
        await wait_for(pilot, lambda: app.loader.loaded and app.article_list.row_count == app.view.total, what="the load")
        articles = app.view.corpus.articles
        assert articles.height > 3800
        assert articles.get_column("language").null_count() == 0
        assert "detecting languages" not in app.status_bar.text
    detecting = [text for text, all_rows, _ in seen if "detecting languages…" in text]
    assert detecting, "the languages were never shown as being detected"
    assert all(all_rows for text, all_rows, _ in seen if "detecting languages…" in text)
    assert not [text for text in detecting if "parsing" in text]
    assert spawned_workers() == []


async def _warm_open_noting_at_the_walk(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    note: Callable[[NewsdeskApp], object],
) -> list[object]:
    """Open the corpus twice (the first open writes the snapshot); what `note` says of the
    second app as its load worker starts walking the folder."""
    root = write_corpus(tmp_path)
    async with create_app([root], index=False).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
    app = create_app([root], index=False)
    noted: list[object] = []
    walk = ingest.signed_files

    def noting(paths: Sequence[Path], report: SkipHandler, *rest: object) -> object:
        noted.append(note(app))
        return walk(paths, report, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest, "signed_files", noting)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
    return noted


@pytest.mark.asyncio
async def test_a_warm_open_walks_the_folder_only_once_the_stored_rows_are_painted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows_at_walk = await _warm_open_noting_at_the_walk(tmp_path, monkeypatch, lambda app: app.article_list.row_count)
    assert rows_at_walk == [TOTAL]


@pytest.mark.asyncio
async def test_collection_deferred_for_start_up_is_on_again_once_the_first_view_is_painted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app defers collection for start-up however it is started (here: the tests' factory).
    collecting_at_walk = await _warm_open_noting_at_the_walk(
        tmp_path, monkeypatch, lambda app: (gc.isenabled(), gc.get_freeze_count() > 0)
    )
    assert collecting_at_walk == [(True, True)]  # on, with what start-up made frozen out of it
    assert gc.isenabled() and gc.get_freeze_count() == 0  # and back to the default once the app exits


@pytest.mark.asyncio
async def test_start_up_ends_even_when_the_list_paints_no_rows(tmp_path: Path) -> None:
    """A terminal too short for the list: its rows are never painted, so it never says so."""
    app = create_app([write_corpus(tmp_path)], index=False)
    async with app.run_test(size=(80, 6)) as pilot:
        await wait_for(pilot, lambda: app.loaded and app.article_list.row_count == TOTAL, what="corpus loaded")
        assert app.article_list.size.height == 0
        await wait_for(pilot, lambda: app.started_up, timeout=FIRST_VIEW_WAIT_SECONDS + 2, what="start-up over")
