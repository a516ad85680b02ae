"""Pilot tests of reading state: read marks, bookmarks, the last filter and sort survive a restart.

Each test quits the app and opens a new one on the same paths; conftest points
NEWSDESK_STATE_DIR at the test's own directory, so both apps share the state file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.corpus import TOTAL, load_with_keywords, ready, settle, titles, wait_for, write_corpus
from core.state import StateStore
from tui.app import NewsdeskApp, create_app
from tui.messages import ViewComputed
from tui.widgets.reader import Reader

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


def open_app(tmp_path: Path) -> NewsdeskApp:
    root = write_corpus(tmp_path)
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)


def row_text(app: NewsdeskApp, title: str) -> str:
    """The list's painted line showing `title` (the header is line 0)."""
    row = titles(app).index(title)
    return "".join(segment.text for segment in app.article_list.render_line(row + 1))


def title_style(app: NewsdeskApp, row: int):
    """The style the list paints the title of `row` with (row not under the cursor)."""
    strip = app.article_list.render_row(row, app.article_list.scrollable_content_region.width, app.article_list.rich_style, False)
    segments = list(strip)
    return segments[2].style


async def test_marks_bookmarks_filter_and_sort_survive_a_restart(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first, second = app.article_list.article_id_at(0), app.article_list.article_id_at(1)
        unread_style = title_style(app, 0)
        await pilot.press("enter")  # read the first article
        await wait_for(pilot, lambda: isinstance(app.focused, Reader))
        assert app.state.read == {first}
        assert title_style(app, 0) != unread_style  # the read row is dimmed
        assert title_style(app, 1) == unread_style
        await pilot.press("shift+tab", "j", "b")  # bookmark the second one
        assert app.state.bookmarks == {second}
        assert "★" in row_text(app, titles(app)[1])
        assert "★" not in row_text(app, titles(app)[0])
        await pilot.press("s", "s", "s")  # relevance -> title -> section -> length
        await pilot.press("slash", *"natural", "enter")
        await wait_for(pilot, lambda: app.applied_filter == "natural" and app.sort == "length")
        await settle(pilot)
        await pilot.press("q")
    assert app.return_code == 0

    again = open_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: again.applied_filter == "natural", what="filter restored and applied")
        assert again.filter_bar.value == "natural"
        assert again.sort == "length"
        assert "length" in again.status_bar.text
        assert again.state.read == {first}
        assert again.state.bookmarks == {second}
        assert titles(again) == ["Russia and Turkey talk pipelines", "Energy markets brace for winter"]  # longest first, not the corpus order
        assert "★" in row_text(again, "Russia and Turkey talk pipelines")
        assert "★" not in row_text(again, "Energy markets brace for winter")


async def test_b_toggles_and_kind_bookmarked_keeps_the_bookmarked(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("j", "b", "j", "j", "b", "b")  # the third one is bookmarked and unbookmarked
        bookmarked = app.article_list.article_id_at(1)
        assert app.state.bookmarks == {bookmarked}
        assert any("Bookmarked" in n.message for n in app._notifications)
        assert any("Removed the bookmark" in n.message for n in app._notifications)
        await pilot.press("slash", *"kind:bookmarked", "enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="kind:bookmarked")
        assert app.article_list.article_id_at(0) == bookmarked
        await pilot.press("b")  # removing the bookmark drops it from a kind:bookmarked view
        await wait_for(pilot, lambda: app.article_list.row_count == 0, what="unbookmarked row gone")
        await pilot.press("slash", "ctrl+u", "enter")
        await wait_for(pilot, lambda: app.article_list.row_count == TOTAL)


async def test_state_is_saved_while_reading_without_quitting(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("b")
        bookmarked = app.article_list.article_id_at(0)
        store = StateStore(app.paths, lambda text: None)
        await wait_for(pilot, lambda: bookmarked in store.load().bookmarks, timeout=5, what="debounced save")
        await pilot.press("j", "b")
        second = app.article_list.article_id_at(1)
        await wait_for(pilot, lambda: store.load().bookmarks == {bookmarked, second}, timeout=5, what="second save")


async def test_corrupt_state_is_moved_aside_with_a_notification(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    store = StateStore([root], lambda text: None)
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text("{not json", encoding="utf-8")
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert any("moved aside" in n.message for n in app._notifications)
        assert app.article_list.row_count == TOTAL
        assert app.state.bookmarks == set()
    assert list(store.path.parent.glob("*.corrupt-*"))


async def test_every_view_shown_after_a_restart_is_the_restored_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state is read and handed over before the stored rows are: no frame of the corpus
    unfiltered or in another order comes first."""
    root = write_corpus(tmp_path)
    app = create_app([root], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s", "s", "s")  # relevance -> title -> section -> length
        await pilot.press("slash", *"natural", "enter")
        await wait_for(pilot, lambda: app.applied_filter == "natural" and app.sort == "length")
        await settle(pilot)
        await pilot.press("q")

    views: list[tuple[str, str]] = []
    handle = NewsdeskApp.on_view_computed

    def noting_the_view(shown: NewsdeskApp, message: ViewComputed) -> None:
        views.append((message.text, message.sort))
        handle(shown, message)

    monkeypatch.setattr(NewsdeskApp, "on_view_computed", noting_the_view)
    again = create_app([root], index=False)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: again.applied_filter == "natural", what="filter restored and applied")
        await settle(pilot)
    assert views and set(views) == {("natural", "length")}
