"""The open dashboard follows its folder: real files written into a real folder while the app
runs (Pilot). New files' articles appear, a changed file's rows change, a deleted file's rows
leave; the cursor, its place on screen and the filter stay; new articles are counted, kept by
`is:new` and reached with `+`; a burst of files is merged in one batch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.live.pages import write_page
from tests.tui.corpus import ready, titles, wait_for
from tui.app import NewsdeskApp, create_app

pytestmark = pytest.mark.asyncio
TIMEOUT = 30.0
OLD = [f"Report {number:02}" for number in range(40)]


@asynccontextmanager
async def _watching(
    tmp_path: Path, *titles: str, index: bool = False, **options: Any
) -> AsyncIterator[tuple[Path, NewsdeskApp, Pilot]]:
    """The dashboard open on a folder holding one page of `titles`, once it is watched."""
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "old.jsonl", *titles)
    app = create_app([folder], index=index, **options)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await wait_for(pilot, app.live.watching.is_set, TIMEOUT, "the folder watched")
        yield folder, app, pilot


async def _filter(pilot: Pilot, text: str) -> None:
    await pilot.press("slash", "end", "ctrl+u", *text, "enter")


async def test_new_changed_and_deleted_files_reach_the_list_in_place(tmp_path: Path) -> None:
    async with _watching(tmp_path, *OLD) as (folder, app, pilot):
        app.set_sort("title")
        await _filter(pilot, "report")
        await wait_for(pilot, lambda: app.filtering.applied == "report" and titles(app)[0] == "Report 00", TIMEOUT)
        app.article_list.focus()
        await pilot.press(*["j"] * 30)
        await wait_for(pilot, lambda: app.article_list.cursor == 30, TIMEOUT, "cursor down")
        cursor_id = app.article_list.article_id_at(30)
        on_screen = 30 - round(app.article_list.scroll_y)
        assert app.article_list.scroll_y > 0

        # Temporary and hidden files first: the batch that brings new.jsonl would bring them.
        write_page(folder / ".hidden.jsonl", "Hidden report")
        write_page(folder / "draft.jsonl.part", "Unfinished report")
        write_page(folder / "new.jsonl", "A report on ports reopening", "Rail strike ends")
        await wait_for(pilot, lambda: "+2 new" in app.status_bar.text, TIMEOUT, "+2 new")
        assert titles(app)[0] == "A report on ports reopening"  # sorted in, filter kept
        assert "Rail strike ends" not in titles(app)
        assert app.filtering.applied == "report" and "filter: report" in app.status_bar.text
        assert app.article_list.article_id_at(app.article_list.cursor) == cursor_id
        assert app.article_list.cursor == 31
        assert app.article_list.cursor - round(app.article_list.scroll_y) == on_screen
        every = app.view.articles.get_column("title").to_list()
        assert "Hidden report" not in every and "Unfinished report" not in every
        assert app.live.batches == 1

        write_page(folder / "new.jsonl", "A report on ports closing", "Rail strike ends")
        await wait_for(pilot, lambda: titles(app)[0] == "A report on ports closing", TIMEOUT, "the changed row")
        assert "A report on ports reopening" not in app.view.articles.get_column("title").to_list()
        assert "+2 new" in app.status_bar.text
        assert app.article_list.article_id_at(app.article_list.cursor) == cursor_id

        await pilot.press("plus")  # the next new article in the list: from the top again
        await wait_for(pilot, lambda: app.article_list.cursor == 0, TIMEOUT, "+ to the new article")

        await _filter(pilot, "is:new")
        await wait_for(pilot, lambda: app.filtering.applied == "is:new", TIMEOUT)
        assert titles(app) == ["A report on ports closing", "Rail strike ends"]

        await _filter(pilot, "report")
        await wait_for(pilot, lambda: app.filtering.applied == "report", TIMEOUT)
        app.article_list.focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: app.article_list.cursor == 0, TIMEOUT)
        (folder / "new.jsonl").unlink()
        await wait_for(pilot, lambda: "new" not in app.status_bar.text.split("sort:")[1], TIMEOUT, "new rows gone")
        assert titles(app)[0] == "Report 00"
        assert app.article_list.article_id_at(app.article_list.cursor) == app.article_list.article_id_at(0)
        assert app.view.total == len(OLD)


async def test_an_article_on_an_old_and_a_new_page_stays_one_record(tmp_path: Path) -> None:
    async with _watching(tmp_path, "Grain deal extended", "Ports reopen after the storm") as (folder, app, pilot):
        write_page(folder / "new.jsonl", "Grain deal extended", "Rail strike ends")
        await wait_for(pilot, lambda: "+1 new" in app.status_bar.text, TIMEOUT, "the new article")
        articles = app.view.articles
        assert sorted(articles.get_column("title")) == ["Grain deal extended", "Ports reopen after the storm", "Rail strike ends"]
        grain = articles.row(articles.get_column("title").to_list().index("Grain deal extended"), named=True)
        assert grain["copies"] == 2 and grain["path"].endswith("old.jsonl")


async def test_a_burst_of_files_is_merged_once(tmp_path: Path) -> None:
    async with _watching(tmp_path, "Grain deal extended") as (folder, app, pilot):
        for number in range(300):
            write_page(folder / f"burst-{number:03}.jsonl", f"Burst article {number}")
        await wait_for(pilot, lambda: "+300 new" in app.status_bar.text, TIMEOUT, "the burst merged")
        assert app.live.batches == 1
        assert app.view.total == 301


async def test_new_articles_of_a_corpus_whose_bodies_stay_on_disk_are_read_and_searched(tmp_path: Path) -> None:
    async with _watching(tmp_path, *OLD[:6], bodies_in_memory_max_bytes=0) as (folder, app, pilot):
        await wait_for(pilot, lambda: app.view.bodies_on_disk and app.view.search_ready, TIMEOUT, "bodies on disk")
        (folder / "new.jsonl").write_text(
            '{"title": "Rail strike ends", "body": "Drivers voted to return to work in Leeds on Monday."}\n', encoding="utf-8"
        )
        await wait_for(pilot, lambda: "+1 new" in app.status_bar.text, TIMEOUT, "the new article")
        app.article_list.focus()
        await pilot.press("plus")
        await wait_for(pilot, lambda: "Leeds" in " ".join(app.reader.lines), TIMEOUT, "the new body in the reader")
        await pilot.press("k")  # an old article: its body is still read from the snapshot
        await wait_for(pilot, lambda: "Report 05." in " ".join(app.reader.lines), TIMEOUT, "an old body")
        await _filter(pilot, "leeds")
        await wait_for(pilot, lambda: titles(app) == ["Rail strike ends"], TIMEOUT, "the new body searched")


async def test_a_half_written_page_is_read_again_when_it_is_finished(tmp_path: Path) -> None:
    async with _watching(tmp_path, "Grain deal extended") as (folder, app, pilot):
        page = folder / "new.jsonl"
        page.write_text('{"title": "Rail strike ends", "bo', encoding="utf-8")  # the scraper is mid-write
        await wait_for(pilot, lambda: app.live.batches >= 1, TIMEOUT, "the half-written page's batch")
        assert app.view.total == 1
        assert "1 file skipped" in app.status_bar.text
        write_page(page, "Rail strike ends")
        await wait_for(pilot, lambda: "Rail strike ends" in titles(app), TIMEOUT, "the finished page")
        assert "+1 new" in app.status_bar.text
        assert "skipped" not in app.status_bar.text


async def test_new_articles_get_their_keywords(tmp_path: Path) -> None:
    async with _watching(tmp_path, "Grain deal extended", index=True) as (folder, app, pilot):
        await wait_for(pilot, app.loader.indexed.is_set, TIMEOUT, "the first indexing")
        write_page(folder / "new.jsonl", "Pipeline talks resume in Ankara")
        await wait_for(pilot, lambda: "+1 new" in app.status_bar.text, TIMEOUT, "the new article")
        (new_id,) = app.live.new_ids
        await wait_for(pilot, lambda: app.view.article_keywords(new_id).height > 0, TIMEOUT, "its keywords")
        keywords = app.view.article_keywords(new_id).get_column("keyword").to_list()
        assert any("pipeline" in keyword.lower() for keyword in keywords), keywords


async def test_an_empty_folder_fills_as_pages_arrive(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    app = create_app([folder], index=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: app.loaded, TIMEOUT, "the empty corpus")
        await wait_for(pilot, app.live.watching.is_set, TIMEOUT, "the folder watched")
        (folder / "2024").mkdir()
        write_page(folder / "2024" / "first.jsonl", "Grain deal extended")
        await wait_for(pilot, lambda: titles(app) == ["Grain deal extended"], TIMEOUT, "the first page")
        assert "1 of 1" in app.status_bar.text and "+1 new" in app.status_bar.text
