"""Insight the user can act on and read, pressed with real keys on the test corpus
(tests/tui/corpus.py): the distinctive panel names its columns (it is ranked by G², which it
shows), `enter` on a section of the overview filters by it, `enter` on a period of a keyword's
trends filters by it, and the trends legend says what its numbers are."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.corpus import TOTAL, make_app, ready, screen_text, settle, titles, wait_for
from tui.app import NewsdeskApp
from tui.screens.overview import OverviewScreen
from tui.screens.trends import TrendsScreen

SIZE = (120, 40)


async def type_filter(pilot: Pilot, text: str) -> None:
    """Type `text` into the filter bar as a user does, and wait for its rows."""
    app = pilot.app
    assert isinstance(app, NewsdeskApp)
    await pilot.press("slash", *text, "enter")
    await wait_for(pilot, lambda: app.filtering.applied == text, what=f"filter {text}")
    await settle(pilot)


def panel_lines(app: NewsdeskApp) -> list[str]:
    """The keyword panel's lines as painted."""
    panel = app.keyword_panel
    return [strip.text for strip in (panel.render_line(y) for y in range(panel.header_rows + panel.row_count))]


# --- distinctive keywords ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "header", "storage"),
    [
        # The panel's width decides how many count columns stand beside the keyword; G², what
        # the list is sorted by, always does.
        ((80, 24), "    G² view keyword", "   5.4    1 storage"),
        ((120, 40), "    G² view rest keyword", "   5.4    1    0 storage"),
    ],
)
@pytest.mark.asyncio
async def test_distinctive_keywords_show_their_g2_under_a_header(
    tmp_path: Path, size: tuple[int, int], header: str, storage: str
) -> None:
    async with make_app(tmp_path).run_test(size=size) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        await type_filter(pilot, "section:energy")
        await pilot.press("tab", "tab", "d")
        await wait_for(pilot, lambda: panel.keywords == ["Europe", "storage", "natural gas"], what="distinctive")
        await pilot.pause()
        # c = 1 (Energy), d = 5: storage is 1 vs 0, natural gas 1 vs 1.
        g2_storage = 2 * (math.log(6) + 5 * math.log(5 / (25 / 6)))
        g2_gas = 2 * (math.log(1 / (1 / 3)) + math.log(1 / (10 / 6)) + 4 * math.log(4 / (20 / 6)))
        assert (f"{g2_storage:.1f}", f"{g2_gas:.1f}") == ("5.4", "2.6")
        lines = panel_lines(app)
        assert lines[0].rstrip() == header
        assert lines[2].rstrip() == storage
        assert lines[3].startswith("   2.6 ")
        assert header in screen_text(app) and storage in screen_text(app)
        # The view's keywords are counts, in order: no header there.
        await pilot.press("d")
        assert panel.mode == "view" and panel.header_rows == 0
        assert panel_lines(app)[0].split() == ["1", "natural", "gas"]


# --- overview: enter on a section ---------------------------------------------------------------


async def open_overview(pilot: Pilot) -> OverviewScreen:
    app = pilot.app
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.stats_shown, what="overview")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


def cursor_line(app: NewsdeskApp, style_class: str) -> str:
    """The text painted with the background of `style_class` on the screen."""
    background = app.screen.get_component_rich_style(style_class).bgcolor
    assert background is not None
    return "".join(
        segment.text
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        if segment.style is not None and segment.style.bgcolor == background
    )


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.asyncio
async def test_enter_on_a_section_bar_filters_by_that_section(tmp_path: Path, size: tuple[int, int]) -> None:
    async with make_app(tmp_path).run_test(size=size) as pilot:
        app = await ready(pilot)
        screen = await open_overview(pilot)
        # One article each, so by name; the articles without a section last.
        assert screen.sections_shown == ["Cities", "Energy", "Environment", "New Social Compact", "Russia", None]
        await pilot.press("j", "down", "j", "j", "k")
        await pilot.pause()
        assert "New Social Compact" in cursor_line(app, "overview--cursor")
        assert "Russia" not in cursor_line(app, "overview--cursor")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, OverviewScreen), what="overview closed")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="section filter")
        assert app.filter_bar.value == 'section:"New Social Compact"'
        assert titles(app) == ["Women in leadership must be the norm"]
        assert 'filter: section:"New Social Compact"' in screen_text(app)


@pytest.mark.asyncio
async def test_enter_on_the_articles_without_a_section_says_why_it_cannot_filter(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await open_overview(pilot)
        await pilot.press(*["j"] * 9)  # past the last bar: the cursor stays on it
        await pilot.pause()
        assert "(none)" in cursor_line(app, "overview--cursor")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: any("cannot be filtered by section" in told.message for told in app._notifications), what="the notice"
        )
        assert app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, OverviewScreen), what="closed")
        assert app.filter_bar.value == "" and app.article_list.row_count == TOTAL


# --- trends: enter on a period, the legend -------------------------------------------------------


async def open_trends(pilot: Pilot) -> TrendsScreen:
    """Focus the keyword panel (its cursor on "natural gas"), press `t`, wait for the numbers."""
    app = pilot.app
    await pilot.press("tab", "tab", "t")
    await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.stats_shown, what="trends")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, TrendsScreen)
    return screen


@pytest.mark.parametrize(
    ("keys", "term"),
    [
        # natural gas: Russia 2021-10-15 (ISO week 41), Energy 2021-11-01 (week 44, a Monday).
        (("tab", "j"), "date>=2021-11-01 date<=2021-11-07"),
        (("tab", "down", "k"), "date>=2021-10-11 date<=2021-10-17"),
        (("w", "tab", "G"), "date:2021-11"),
    ],
)
@pytest.mark.asyncio
async def test_enter_on_a_period_filters_by_its_dates(tmp_path: Path, keys: tuple[str, ...], term: str) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await open_trends(pilot)
        await wait_for(pilot, lambda: "month" in screen.timelines, what="months")
        assert screen.periods == ["2021-W41", "2021-W44"]  # only the weeks holding it
        text = screen_text(app)
        assert "week       with it  of all" in text and "2021-W44         1       1" in text
        await pilot.press(*keys)
        await pilot.pause()
        if "w" in keys:
            assert screen.periods == ["2021-10", "2021-11"]
            assert "2021-11          1       1" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrendsScreen), what="trends closed")
        await pilot.pause()
        assert app.filter_bar.value == term
        assert term in screen_text(app)


@pytest.mark.asyncio
async def test_enter_on_the_cooccurring_list_still_filters_by_the_keyword(tmp_path: Path) -> None:
    """The co-occurring keywords have the focus first, as before; tab goes to the periods and back."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_trends(pilot)
        await pilot.press("tab", "shift+tab", "j", "enter")  # Europe
        await wait_for(pilot, lambda: not isinstance(app.screen, TrendsScreen), what="trends closed")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="kw filter")
        assert app.filter_bar.value == 'kw:"Europe"'
        assert titles(app) == ["Energy markets brace for winter"]


@pytest.mark.asyncio
async def test_the_trends_legend_says_what_each_number_is(tmp_path: Path) -> None:
    # Wide enough for the legend's lines to be painted unwrapped.
    async with make_app(tmp_path).run_test(size=(200, 40)) as pilot:
        app = await ready(pilot)
        await open_trends(pilot)
        text = " ".join(screen_text(app).split())
        # Energy and Russia each have 1 article, all of their section's; the four other
        # sections (New Social Compact, Environment, Cities, no section) have none with it.
        assert re.search(r"Energy █+ 1 100%", text) and re.search(r"Russia █+ 1 100%", text)
        assert "bar and number: articles with the keyword; %: their share of the section's articles" in text
        assert "4 sections with no article holding it" in text
        assert "without it · % of the section" not in text
