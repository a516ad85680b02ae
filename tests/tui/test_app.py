"""Pilot tests of the dashboard: every binding and flow on a small corpus written to disk."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from textual.binding import Binding
from textual.geometry import Region
from textual.widgets import Static

from tests.tui.corpus import (
    CLICK_TEXT,
    MARKUP_TITLE,
    ROWS,
    TOTAL,
    make_app,
    ready,
    screen_text,
    settle,
    titles,
    wait_for,
)
from tui.app import NewsdeskApp
from tui.messages import KeywordsUpdated, ViewComputed
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.kwic import KwicScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.keyword_panel import KeywordPanel
from tui.widgets.reader import Reader

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


async def type_filter(pilot, text: str) -> None:
    await pilot.press("slash")
    await pilot.press(*[{" ": "space", '"': "quotation_mark", ":": "colon", "-": "minus"}.get(c, c) for c in text])


async def test_first_paint_reads_files_in_a_worker_and_shows_every_row(tmp_path: Path) -> None:
    app = make_app(tmp_path, keywords=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.article_list.row_count == TOTAL
        assert f"{TOTAL} of {TOTAL}" in app.status_bar.text
        assert app.reader.article_id == app.article_list.article_id_at(0)
        assert ROWS[0]["title"] in screen_text(app)
        assert isinstance(app.focused, ArticleList)


async def test_filter_narrows_live_and_escape_restores(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await type_filter(pilot, "pipeline")
        # Typing filters live: `pip` keeps the same one row, so wait for the whole word's view.
        await wait_for(pilot, lambda: app.applied_filter == "pipeline" and app.article_list.row_count == 1, what="live filter")
        assert titles(app) == ["Russia and Turkey talk pipelines"]
        assert f"1 of {TOTAL}" in app.status_bar.text
        assert "filter: pipeline" in app.status_bar.text
        await wait_for(pilot, lambda: app.reader.article_id == app.article_list.article_id_at(0), what="reader follows")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.article_list.row_count == TOTAL, what="cleared filter")
        assert app.filter_bar.value == ""
        assert app.applied_filter == ""


async def test_enter_applies_filter_and_focuses_the_list(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await type_filter(pilot, "section:energy")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 1)
        assert isinstance(app.focused, ArticleList)
        assert titles(app) == ["Energy markets brace for winter"]


async def test_ctrl_u_clears_the_filter_without_escape(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await type_filter(pilot, "arctic")
        await wait_for(pilot, lambda: app.article_list.row_count == 1)
        await pilot.press("ctrl+u")
        await wait_for(pilot, lambda: app.article_list.row_count == TOTAL)


async def test_bad_term_shows_inline_error_and_keeps_the_last_good_result(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await type_filter(pilot, "natural")
        await wait_for(pilot, lambda: app.article_list.row_count == 2)
        # Typing filters live: "natural pipeline" is a good filter of its own, shown before
        # the term turns bad, and it is the last good result the error must leave on screen.
        await pilot.press("space", *"pipeline")
        await wait_for(pilot, lambda: app.applied_filter == "natural pipeline", what="the last good filter")
        assert titles(app) == ["Russia and Turkey talk pipelines"]
        await pilot.press("colon", "x")
        await wait_for(pilot, lambda: app.filter_bar.error_text != "", what="inline error")
        assert "pipeline" in app.filter_bar.error_text
        await settle(pilot)
        assert titles(app) == ["Russia and Turkey talk pipelines"]
        assert app.applied_filter == "natural pipeline"
        assert "filter: natural pipeline" in app.status_bar.text
        await pilot.press(*["backspace"] * 11)
        await wait_for(pilot, lambda: app.filter_bar.error_text == "", what="error cleared")
        await wait_for(pilot, lambda: app.article_list.row_count == 2, what="natural's rows again")


async def test_stale_filter_results_are_dropped(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.request_view("arctic")
        app.request_view("natural")
        await settle(pilot)
        assert app.applied_filter == "natural"
        assert app.article_list.row_count == 2


async def test_a_refresh_keeps_the_article_the_cursor_moved_to_while_it_ran(tmp_path: Path) -> None:
    # Refreshes (more rows loaded, keywords found, bodies let go) run in a worker; the user may
    # move on before the rows arrive, and the list must not pull the cursor back.
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.request_view(app.applied_filter, keep_place=True)
        app.article_list.cursor = 3  # before the refreshed rows reach the UI thread
        moved_to = app.article_list.article_id_at(3)
        await settle(pilot)
        assert app.article_list.cursor == 3
        assert app.reader.article_id == moved_to


async def test_a_refresh_does_not_undo_a_filter_whose_rows_are_on_their_way(tmp_path: Path) -> None:
    # Keywords arriving (or bookmarks, or bodies let go) refresh the view; a refresh asked
    # for after a filter was typed, before its rows came, must refresh that filter.
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.apply_filter("pipeline")
        app.post_message(KeywordsUpdated(finished=False))  # before the rows reach the UI thread
        await settle(pilot)
        await settle(pilot)
        assert app.applied_filter == "pipeline"
        assert titles(app) == ["Russia and Turkey talk pipelines"]


async def test_cursor_keys_move_and_reader_follows(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        articles = app.article_list
        await pilot.press("j")
        assert articles.cursor == 1
        await pilot.press("down", "down")
        assert articles.cursor == 3
        await pilot.press("k", "up")
        assert articles.cursor == 1
        await pilot.press("G")
        assert articles.cursor == TOTAL - 1
        await pilot.press("g")
        assert articles.cursor == 0
        await pilot.press("pagedown")
        assert articles.cursor == TOTAL - 1
        await pilot.press("pageup")
        assert articles.cursor == 0
        await pilot.press("end")
        await pilot.pause()
        assert app.reader.article_id == articles.article_id_at(TOTAL - 1)
        await pilot.press("home")
        await pilot.pause()
        assert app.reader.article_id == articles.article_id_at(0)


async def test_enter_reads_and_n_p_move_through_the_list(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("enter")
        assert isinstance(app.focused, Reader)
        await pilot.press("n")
        await pilot.pause()
        assert app.article_list.cursor == 1
        assert app.reader.article_id == app.article_list.article_id_at(1)
        assert titles(app)[1] in app.reader.plain_text
        await pilot.press("n", "p", "p")
        await pilot.pause()
        assert app.article_list.cursor == 0
        assert titles(app)[0] in app.reader.plain_text
        assert isinstance(app.focused, Reader)


async def test_reader_shows_metadata_and_highlights_keywords(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        text = app.reader.render_article()
        assert "Energy markets brace for winter" in text.plain
        assert "Energy · RIAC · 2021-11-01 · en" in text.plain
        start = text.plain.index("Natural gas")
        styled = [span for span in text.spans if span.start == start and span.end == start + len("Natural gas")]
        assert styled, "keyword not highlighted in the body"


async def test_s_cycles_sort_orders_and_cursor_returns_to_first_row(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        relevance = titles(app)
        await pilot.press("j", "j")
        await pilot.press("s")
        await settle(pilot)
        assert app.sort == "title"
        assert titles(app) == sorted(relevance, key=str.lower)
        assert app.article_list.cursor == 0
        assert app.reader.article_id == app.article_list.article_id_at(0)
        await pilot.press("s")
        await settle(pilot)
        assert app.sort == "section"
        sections = app.article_list.frame.get_column("section").to_list()
        assert sections[:-1] == sorted(sections[:-1], key=str.lower) and sections[-1] is None
        await pilot.press("s")
        await settle(pilot)
        assert app.sort == "length"
        words = app.article_list.frame.get_column("words").to_list()
        assert words == sorted(words, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        assert app.sort == "date"
        assert titles(app)[0] == "Arctic shipping lanes open earlier"
        await pilot.press("s")
        await settle(pilot)
        assert app.sort == "relevance"
        assert titles(app) == relevance
        assert "sort: relevance" in app.status_bar.text


async def test_tab_and_shift_tab_move_between_panes(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("tab")
        assert isinstance(app.focused, Reader)
        await pilot.press("tab")
        assert isinstance(app.focused, KeywordPanel)
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(app.focused, ArticleList)
        await pilot.press("slash")
        assert app.focused is app.filter_bar.input


async def test_keyword_panel_aggregates_and_enter_filters_by_keyword(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        assert panel.keywords[0] == "natural gas"  # in two documents, the most
        await pilot.press("tab", "tab")
        assert isinstance(app.focused, KeywordPanel)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 2, what="kw filter")
        assert app.filter_bar.value == 'kw:"natural gas"'
        assert set(titles(app)) == {"Energy markets brace for winter", "Russia and Turkey talk pipelines"}
        assert isinstance(app.focused, ArticleList)
        await wait_for(pilot, lambda: "leadership" not in panel.keywords, what="panel follows the view")


async def test_the_keyword_panel_changes_in_the_same_update_as_the_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[int, list[str]]] = []
    handle = NewsdeskApp.on_view_computed

    def noting_what_is_shown(app: NewsdeskApp, message: ViewComputed) -> None:
        handle(app, message)
        shown.append((app.article_list.row_count, app.keyword_panel.keywords))

    monkeypatch.setattr(NewsdeskApp, "on_view_computed", noting_what_is_shown)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        assert "leadership" in app.keyword_panel.keywords
        app.apply_filter('kw:"natural gas"')
        await wait_for(pilot, lambda: shown[-1][0] == 2, what="the filtered rows")
        await settle(pilot)
        _, keywords = shown[-1]
        assert keywords == app.view.aggregate(app.article_list.frame).get_column("keyword").to_list()
        assert "leadership" not in keywords


async def test_a_toggles_the_articles_own_ranked_keywords(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        await pilot.press("j")  # Russia and Turkey talk pipelines
        await pilot.press("tab", "tab", "a")
        assert panel.mode == "article"
        assert panel.keywords == ["pipeline", "natural gas", "Ankara"]
        assert panel.border_title == "Keywords: article"
        await pilot.press("shift+tab", "shift+tab", "j")
        await pilot.pause()
        assert panel.keywords == ["leadership", "gender equality"]
        await pilot.press("tab", "tab", "a")
        assert panel.mode == "view"


async def test_c_opens_kwic_and_enter_opens_that_article(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("tab", "tab")  # keyword panel, cursor on "natural gas"
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, KwicScreen), what="KWIC screen")
        screen = app.screen
        assert isinstance(screen, KwicScreen)
        assert screen.lines.height == 3  # twice in the energy article, once in the pipeline one
        await pilot.press("j", "j")
        await pilot.pause()
        target = screen.article_id_at(2)
        assert app.article_list.row_of(target) is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, KwicScreen))
        assert app.reader.article_id == target
        assert "Russia and Turkey talk pipelines" in app.reader.plain_text
        assert isinstance(app.focused, Reader)


async def test_kwic_closes_with_escape_or_c(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        before = app.reader.article_id
        for close in ("escape", "c"):
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, KwicScreen))
            await pilot.press(close)
            await wait_for(pilot, lambda: not isinstance(app.screen, KwicScreen))
        assert app.reader.article_id == before


async def test_help_lists_every_binding_with_a_description(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        listed = {text for _, _, text in screen.rows}
        for group, bindings in app.binding_groups():
            for binding in bindings:
                assert binding.description, f"{binding.key} has no description"
                assert binding.description in listed
        keys = {keys for _, keys, _ in screen.rows}
        for key in ("/", "n", "p", "s", "c", "y", "e", "?", "q", "tab", "shift+tab", "j, down", "G, end", "escape"):
            assert key in keys, key
        text = str(screen.query_one("#help-text", Static).render())
        assert "Cycle" in text or "Sort" in text
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_every_app_binding_has_an_id_and_description() -> None:
    from tui.app import NewsdeskApp
    from tui.widgets.filter_bar import FilterBar

    for cls in (NewsdeskApp, ArticleList, Reader, KeywordPanel, FilterBar, KwicScreen, HelpScreen):
        for binding in cls.BINDINGS:
            assert binding.id and binding.description, (cls.__name__, binding.key)


async def test_y_copies_the_article_or_the_keyword(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("y")
        assert app.clipboard == f"Energy markets brace for winter\nRIAC\n\n{ROWS[0]['body']}"
        assert any("Copied article" in n.message for n in app._notifications)
        await pilot.press("j", "j", "j", "y")  # no source: no source line
        assert app.clipboard == f"Arctic shipping lanes open earlier\n\n{ROWS[3]['body']}"
        await pilot.press("tab", "tab", "y")  # the panel lists the view's keywords, best first
        assert app.clipboard == "natural gas"
        assert any("Copied keyword 'natural gas'" in n.message for n in app._notifications)


async def test_e_exports_the_filtered_view_to_csv(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await type_filter(pilot, "natural")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 2)
        await pilot.press("e")  # the prompt suggests newsdesk-export-<time>.csv: enter takes it
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: list(tmp_path.glob("newsdesk-export-*.csv")), what="export file")
        await settle(pilot)
        (target,) = tmp_path.glob("newsdesk-export-*.csv")
        exported = pl.read_csv(target)
        assert exported.height == 2
        assert "kw_top" not in exported.columns
        assert set(exported.get_column("title")) == set(titles(app))
        assert any(str(target) in n.message for n in app._notifications)


async def test_palette_runs_our_commands(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        commands = {command.title for command in app.palette_commands()}
        for expected in ("Sort by title", "Export view", "Help", "Filter by section: Energy", "Filter by source: TASS", "Clear filter"):
            assert expected in commands
        await pilot.press("ctrl+p")
        await pilot.press(*"sort by title")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.sort == "title"
        await pilot.press("ctrl+p")
        await pilot.press(*"filter by section new social")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="section filter")
        assert app.applied_filter == 'section:"New Social Compact"'


async def test_markup_looking_text_renders_literally_and_does_not_run_actions(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        row = titles(app).index(MARKUP_TITLE)
        assert MARKUP_TITLE in screen_text(app)
        app.article_list.cursor = row
        await pilot.pause()
        assert CLICK_TEXT in app.reader.plain_text
        assert "\x1b" not in app.reader.plain_text and "owned" not in app.reader.plain_text
        static = app.reader
        strips = static.render_lines(Region(0, 0, static.outer_size.width, static.outer_size.height))
        hits = [(y, "".join(s.text for s in strip).index("[@click")) for y, strip in enumerate(strips) if "[@click" in "".join(s.text for s in strip)]
        assert hits, "click text not on screen"
        y, x = hits[0]
        for strip in strips:
            for segment in strip:
                assert not (segment.style and segment.style.meta and "@click" in segment.style.meta), segment
        await pilot.click(static, offset=(x + 3, y))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert "[/]" in app.reader.plain_text


async def test_q_quits(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_narrow_terminal_shows_every_pane(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=(80, 24)) as pilot:
        app = await ready(pilot)
        assert app.screen.has_class("-narrow")
        for widget in (app.article_list, app.reader, app.keyword_panel, app.status_bar, app.filter_bar):
            assert widget.region.width > 0 and widget.region.height > 0, widget
        assert app.keyword_panel.region.width == 24
        assert ROWS[0]["title"] in screen_text(app)


async def test_list_takes_100k_rows_without_formatting_them(tmp_path: Path) -> None:
    import time

    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        n = 100_000
        frame = pl.DataFrame(
            {
                "id": [f"{i:016x}" for i in range(n)],
                "kind": ["article"] * n,
                "title": [f"Title {i}" for i in range(n)],
                "section": ["S"] * n,
                "words": pl.Series([i % 900 for i in range(n)], dtype=pl.UInt32),
                "kw_top": [""] * n,
            }
        )
        started = time.perf_counter()
        app.article_list.set_frame(frame)
        await pilot.pause()
        elapsed = time.perf_counter() - started
        assert elapsed < 1.0
        visible = app.article_list.scrollable_content_region.height
        assert len(app.article_list._line_cache) <= visible
        await pilot.press("G")
        await pilot.pause()
        assert f"Title {n - 1}" in screen_text(app)


async def test_refilling_the_list_does_not_lay_out_the_screen(tmp_path: Path) -> None:
    """A filter changes the list's row count; a layout pass for that would repaint every pane."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        shown = app.article_list.row_count
        app.article_list.set_frame(app.article_list.frame.head(2))
        assert not app.article_list._layout_required and not app.screen._layout_required
        assert app.article_list.virtual_size.height == 2 + 1  # the rows and the header line
        await pilot.pause()
        many = pl.concat([app.view.articles] * 40)  # more rows than the screen: it must scroll
        app.article_list.set_frame(many)  # a scrollbar appears: that one does lay out
        await pilot.pause()
        app.article_list.set_frame(many.head(shown * 20))
        assert not app.article_list._layout_required and not app.screen._layout_required
        await pilot.press("G")
        await pilot.pause()
        assert app.article_list.cursor == shown * 20 - 1
        assert app.article_list.scroll_y == app.article_list.max_scroll_y > 0


async def test_slash_focuses_the_filter_and_keys_typed_at_once_reach_it(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        # One burst, as a fast typist or SSH delivers it: the keys after `/` must not run
        # the list's or the app's bindings (p = previous, e = export ...).
        await pilot.press("slash", *"pipe", "slash", "x")
        assert app.filter_bar.value == "pipe/x"
        assert not list(tmp_path.glob("newsdesk-export-*.csv"))


async def test_keywords_are_indexed_in_the_background_and_fill_in(tmp_path: Path) -> None:
    from tests.tui.corpus import write_corpus
    from tui.app import create_app

    app = create_app([write_corpus(tmp_path)], export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: "indexed" in app.status_bar.text, timeout=60, what="indexing done")
        await settle(pilot)
        assert f"keywords: {TOTAL} indexed" in app.status_bar.text
        assert app.keyword_panel.keywords, "keyword panel still empty"
        assert any(app.article_list.frame.get_column("kw_top").to_list())
        keyword = app.keyword_panel.keywords[0]
        await pilot.press("tab", "tab", "enter")
        await wait_for(
            pilot,
            lambda: app.applied_filter == f'kw:"{keyword}"',
            what=f"kw filter for {keyword!r}; applied {app.applied_filter!r}, error {app.filter_bar.error_text!r}",
        )
        assert 0 < app.article_list.row_count <= TOTAL


async def test_mouse_click_moves_the_cursor_and_double_click_reads(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        # border (1) + header line (1): row 2 of the list is at y = 4 inside the widget
        await pilot.click(ArticleList, offset=(10, 4))
        await pilot.pause()
        assert app.article_list.cursor == 2
        assert app.reader.article_id == app.article_list.article_id_at(2)
        await pilot.click(ArticleList, offset=(10, 3), times=2)
        await pilot.pause()
        assert app.article_list.cursor == 1
        assert isinstance(app.focused, Reader)


async def test_mouse_click_moves_the_keyword_cursor_and_double_click_filters(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        # border (1): row 2 of the panel is at y = 3 inside the widget
        await pilot.click(KeywordPanel, offset=(8, 3))
        await pilot.pause()
        assert panel.cursor == 2
        assert app.applied_filter == ""  # one click only moves the cursor
        keyword = panel.keywords[1]
        await pilot.click(KeywordPanel, offset=(8, 2), times=2)
        await wait_for(pilot, lambda: app.applied_filter == f'kw:"{keyword}"', what="filter by the keyword")


async def test_refilling_the_keyword_panel_does_not_lay_out_the_screen(tmp_path: Path) -> None:
    """Each filter refills the panel; a layout pass for that would repaint every pane."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        frame = app.view.aggregate(None)
        assert frame.height >= 2
        many = pl.concat([frame] * 20)  # more than the panel shows: a scrollbar, kept across refills
        for _ in range(2):  # the scrollbar appears (a layout) and the panel settles
            panel.set_view_keywords(many)
            await pilot.pause()
        panel.set_view_keywords(many.reverse())  # another view, as many keywords (the top 200)
        assert not panel._layout_required and not app.screen._layout_required
        await pilot.pause()
        assert panel.keywords == [str(k) for k in many.reverse().get_column("keyword")]
        assert panel.virtual_size.height == many.height


async def test_text_search_is_prepared_after_load_and_filters_alike(tmp_path: Path) -> None:
    """The lower-cased text columns arrive in a worker after first paint; filters keep their rows."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await wait_for(pilot, lambda: app.view.search_ready, what="search prepared")
        app.apply_filter("PIPELINE")
        await wait_for(pilot, lambda: app.applied_filter == "PIPELINE", what="filter applied")
        assert titles(app) == ["Russia and Turkey talk pipelines"]


async def test_every_dashboard_key_has_a_palette_command(tmp_path: Path) -> None:
    """What a key does can also be found by name: every app key and the reader's own keys
    (but moving in and between panes, and quitting, which Textual's palette has) name a command
    whose help ends with the key."""
    from tui.keys import APP_BINDINGS
    from tui.widgets.reader import Reader

    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        helps = [command.help for command in app.palette_commands()]
        wanted = [
            binding
            for binding in [*APP_BINDINGS, *Reader.BINDINGS]
            if isinstance(binding, Binding)
            and binding.action not in ("focus_next", "focus_previous", "quit")
            and not binding.action.startswith(("scroll_", "page_"))  # moving in the pane
            and binding.id not in Reader.WHILE_FINDING
        ]
        missing = [
            binding.id
            for binding in wanted
            if not any(help == (binding.key_display or binding.key) or help.endswith(f"({binding.key_display or binding.key})") for help in helps)
        ]
        assert missing == [], missing


async def test_a_highlight_that_outlives_the_panes_is_ignored(tmp_path: Path) -> None:
    # At shutdown the list's last message can come after the panes have gone.
    app = make_app(tmp_path, keywords=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        article_list = app.article_list
        await app.keyword_panel.remove()
        await article_list.remove()
        app.post_message(ArticleList.Highlighted(article_list, 0, None))
        await pilot.pause()
    assert app.return_code in (None, 0)
