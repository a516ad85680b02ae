"""Pilot tests, real keys only: `u` toggles read, `is:` filters follow it, `S` reverses the sort
(kept across a restart), date filters and the date column, an age that is not a date, and the
overview's read counts.

conftest points NEWSDESK_STATE_DIR at the test's own directory, so apps opened one after the
other (and a StateStore standing for another dashboard) share one state file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.state import StateStore
from tests.core.dated_corpus import write_dated_corpus
from tests.tui.corpus import ROWS, TOTAL, load_with_keywords, ready, screen_text, settle, titles, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.screens.overview import OverviewScreen
from tui.widgets.reader import Reader

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
DATED = {row["title"]: row["date"] for row in ROWS if "date" in row}
TEASER = next(row["title"] for row in ROWS if row.get("kind") == "teaser")


def open_app(tmp_path: Path) -> NewsdeskApp:
    root = write_corpus(tmp_path)
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)


def row_text(app: NewsdeskApp, row: int) -> str:
    """The list's painted line of `row` (the header is line 0)."""
    return "".join(segment.text for segment in app.article_list.render_line(row + 1))


def header_text(app: NewsdeskApp) -> str:
    return "".join(segment.text for segment in app.article_list.render_line(0))


async def type_filter(pilot, text: str) -> None:
    """Focus the filter, clear it and type `text` key by key, then apply it."""
    await pilot.press("slash", "ctrl+u", *text, "enter")


async def test_u_toggles_read_and_the_unread_survives_another_dashboards_save(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        first = app.article_list.article_id_at(0)
        await pilot.press("u")
        assert app.state.read == {first}
        assert any("read" in n.message and "unread" not in n.message for n in app._notifications)
        store = StateStore(app.paths, lambda text: None)
        await wait_for(pilot, lambda: first in store.load().read, what="the read mark saved")
        # Another dashboard loaded the state while the article was read, and saves later.
        other = StateStore(app.paths, lambda text: None)
        other_state = other.load()
        assert first in other_state.read
        await pilot.press("u")  # unread again
        assert app.state.read == set()
        assert any("unread" in n.message for n in app._notifications)
        await wait_for(pilot, lambda: first not in store.load().read, what="the unread saved")
        other_state.bookmarks.add("from-the-other-one")
        assert other.save(other_state)
        assert first not in store.load().read  # the other's save did not put the mark back
        assert "from-the-other-one" in store.load().bookmarks
        await pilot.press("enter")  # reading it marks it read, as before
        await wait_for(pilot, lambda: isinstance(app.focused, Reader))
        assert app.state.read == {first}


async def test_is_unread_and_is_read_views_follow_u(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        all_titles = titles(app)
        await pilot.press("u", "j", "u")  # the first two are read
        read = set(all_titles[:2])
        await type_filter(pilot, "is:unread")
        await wait_for(pilot, lambda: app.applied_filter == "is:unread", what="is:unread")
        assert titles(app) == all_titles[2:]
        await wait_for(pilot, lambda: app.focused is app.article_list, what="enter goes to the list")
        marked = titles(app)[0]
        await pilot.press("u")  # read now: it leaves the unread view
        await wait_for(pilot, lambda: marked not in titles(app), what="the read row leaves is:unread")
        assert titles(app) == all_titles[3:]
        await type_filter(pilot, "is:read")
        await wait_for(pilot, lambda: app.applied_filter == "is:read", what="is:read")
        assert set(titles(app)) == read | {marked}
        await wait_for(pilot, lambda: app.focused is app.article_list, what="enter goes to the list")
        gone = titles(app)[0]
        await pilot.press("u")  # unread now: it leaves the read view
        await wait_for(pilot, lambda: gone not in titles(app), what="the unread row leaves is:read")
        assert set(titles(app)) == (read | {marked}) - {gone}
        await type_filter(pilot, "is:bookmarked OR is:read -is:unread")
        await wait_for(pilot, lambda: app.applied_filter.startswith("is:bookmarked"), what="is:bookmarked")
        assert set(titles(app)) == (read | {marked}) - {gone}


async def test_is_bookmarked_and_kind_bookmarked_are_one_filter(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("j", "b")
        starred = titles(app)[1]
        for text in ("is:bookmarked", "kind:bookmarked"):
            await type_filter(pilot, text)
            await wait_for(pilot, lambda text=text: app.applied_filter == text, what=text)
            assert titles(app) == [starred]


async def test_s_then_S_reverses_the_date_sort_and_the_direction_is_kept(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    newest_first = sorted(DATED, key=DATED.__getitem__, reverse=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s", "s", "s", "s")  # relevance -> title -> section -> length -> date
        await wait_for(pilot, lambda: app.sort == "date" and titles(app)[: len(DATED)] == newest_first, what="date sort")
        assert "sort: date ↓" in app.status_bar.text
        await pilot.press("S")
        oldest_first = newest_first[::-1]
        await wait_for(pilot, lambda: titles(app)[: len(DATED)] == oldest_first, what="reversed")
        assert "sort: date ↑" in app.status_bar.text
        assert set(titles(app)[len(DATED) :]) >= {TEASER}  # undated rows stay last
        await type_filter(pilot, "date>2021-09")  # after September 2021: from October 1
        await wait_for(pilot, lambda: app.applied_filter == "date>2021-09", what="date filter")
        assert titles(app) == [title for title in oldest_first if DATED[title] >= "2021-10-01"]
        await settle(pilot)
        await pilot.press("q")

    again = open_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: again.applied_filter == "date>2021-09", what="filter restored")
        assert again.sort == "-date" and "sort: date ↑" in again.status_bar.text
        assert titles(again) == [title for title in oldest_first if DATED[title] >= "2021-10-01"]
        await pilot.press("s")  # the next sort starts in its own direction
        await wait_for(pilot, lambda: again.sort == "relevance", what="next sort")
        assert "sort: relevance ↓" in again.status_bar.text


async def test_a_bad_date_is_an_inline_error_and_the_rows_stay(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await type_filter(pilot, "date:2021-11")
        await wait_for(pilot, lambda: app.applied_filter == "date:2021-11", what="good date filter")
        kept = titles(app)
        assert kept == ["Energy markets brace for winter"]
        await pilot.press("slash", "end", *"-31", "enter")  # date:2021-11-31: no such day
        await wait_for(pilot, lambda: "not a day of the calendar" in screen_text(app), what="inline error")
        assert titles(app) == kept


async def test_the_list_has_a_date_column_only_when_the_corpus_has_dates(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Date" in header_text(app)
        shown = titles(app)
        for row, title in enumerate(shown):
            line = row_text(app, row)
            if title in DATED:
                assert DATED[title] in line
            else:
                assert not re.search(r"\d{4}-\d\d-\d\d", line), line  # no date on an undated row
    root = tmp_path / "undated"
    root.mkdir()
    (root / "a.txt").write_text("A plain article\n\nWith a body and no date at all.\n", encoding="utf-8")
    undated = create_app([root], index=False, export_dir=tmp_path)
    async with undated.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "Date" not in header_text(undated) and "Words" in header_text(undated)


async def test_a_teasers_age_is_shown_as_an_age_not_a_date(tmp_path: Path) -> None:
    root = write_dated_corpus(tmp_path / "corpus")
    app = create_app([root], index=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        frame = app.article_list.frame
        teasers = frame.get_column("kind").to_list()
        row = teasers.index("teaser")
        age = frame.get_column("age")[row]
        assert age and "ago" in age
        assert "Date" in header_text(app)
        assert age not in row_text(app, row)  # not in the date column
        await type_filter(pilot, "kind:teaser")
        await wait_for(pilot, lambda: app.applied_filter == "kind:teaser", what="teasers")
        age = app.article_list.frame.get_column("age")[0]
        assert "Date" in header_text(app)  # the corpus has dates, this view has none: the column stays
        assert age not in row_text(app, 0)
        await type_filter(pilot, "kind:teaser date<=9999")  # no date term matches an age
        await wait_for(pilot, lambda: app.applied_filter == "kind:teaser date<=9999", what="dated teasers")
        assert app.article_list.row_count == 0
        await type_filter(pilot, "kind:teaser")
        await wait_for(pilot, lambda: app.applied_filter == "kind:teaser" and app.article_list.row_count, what="teasers")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.focused, Reader))
        assert f"{age} (age)" in app.reader.plain_text


async def test_the_overview_counts_read_unread_and_bookmarked(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("u", "j", "u", "b", "j", "b")
        assert len(app.state.read) == 2 and len(app.state.bookmarks) == 2
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.overview is not None, what="overview")
        await settle(pilot)
        text = screen_text(app)
        assert re.search(rf"\bread +2 +{TOTAL - 2} unread\b", text), text
        assert re.search(r"\bbookmarked +2\b", text), text


async def test_u_and_S_are_in_the_help_the_palette_and_the_binding_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tui.cli import main
    from tui.screens.help import HelpScreen

    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        rows = {keys: text for _, keys, text in app.screen.rows}
        assert "unread" in rows["u"] and "Reverse" in rows["S"]
        await pilot.press("escape")
        commands = {command.title for command in app.palette_commands()}
        assert {"Mark read or unread", "Reverse sort", "Filter: unread", "Filter: read", "Filter: bookmarked"} <= commands
    assert main(["config", "--bindings"]) == 0
    listed = {line.split()[0]: line.split()[1] for line in capsys.readouterr().out.splitlines()}
    assert listed["app.toggle_read"] == "u" and listed["app.reverse_sort"] == "S"


async def test_without_colour_a_read_row_is_still_told_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = open_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.no_color
        await pilot.press("u", "j")  # the first row read, the cursor off it

        def title_style(row: int):  # noqa: ANN202
            article_list = app.article_list
            strip = article_list.render_row(row, article_list.scrollable_content_region.width, article_list.rich_style, False)
            return list(strip)[2].style

        assert title_style(0).dim and not title_style(1).dim
        await pilot.press("k", "u", "j")  # unread again
        assert not title_style(0).dim
