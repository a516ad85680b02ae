"""The insight screens from the app: `t` (a keyword's trends and co-occurring keywords), `o`
(the corpus overview) and the keyword panel's distinctive mode (`d`), on the test corpus written
to disk (tests/tui/corpus.py), with the numbers worked out by hand from that corpus; and
snapshots of both screens at 80x24 and 120x40 (update with `--snapshot-update`, then look).

The corpus, by hand: 6 rows. Energy (2021-11-01, RIAC): natural gas, storage, Europe. Russia
(2021-10-15, TASS): pipeline, natural gas, Ankara. New Social Compact (2021-09-01, UN News):
leadership, gender equality. Environment (2021-12-05, no source): shipping, northern route.
A Cities teaser (no date, no source, no keywords). The markup article (no section, date or
source): [bold], body.
"""

from __future__ import annotations

import math
import threading
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal
from textual.pilot import Pilot
from textual.widgets import Sparkline

from core.keyword_index import KeywordIndex
from core.view import ROW_COLUMN
from tests.tui.corpus import TOTAL, make_app, ready, screen_text, settle, titles, wait_for
import tui.insight as insight
from tui.app import NewsdeskApp
from tui.screens.help import HelpScreen
from tui.screens.overview import OverviewScreen
from tui.screens.trends import TrendsScreen

SIZE = (120, 40)
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_trends(pilot: Pilot, *moves: str) -> TrendsScreen:
    """Focus the keyword panel, move its cursor, press `t`, wait for the numbers."""
    app = pilot.app
    await pilot.press("tab", "tab", *moves, "t")
    await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.stats_shown, what="trends")
    screen = app.screen
    assert isinstance(screen, TrendsScreen)
    return screen


async def open_overview(pilot: Pilot) -> OverviewScreen:
    app = pilot.app
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.stats_shown, what="overview")
    screen = app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


# --- trends -----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_t_shows_sections_timeline_and_cooccurring_keywords(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await open_trends(pilot)  # the cursor is on "natural gas" (2 articles)
        assert screen.keyword == "natural gas"
        text = screen_text(app)
        # Energy and Russia hold it, one article each, the whole of their section; four
        # sections (New Social Compact, Environment, Cities, none) do not.
        assert "2 of 6 articles (33%) have the keyword natural gas" in text
        assert screen.data is not None
        held = [row for row in screen.data.sections.rows() if row[2] > 0]
        assert held == [("Energy", None, 1, 1, 1.0), ("Russia", None, 1, 1, 1.0)]
        assert "4 sections with no article holding it" in text
        # Dates from Wed 2021-09-01 (ISO week 35) to Sun 2021-12-05 (week 48): 14 weeks, so
        # weeks are shown. Russia's 10-15 is week 41 (index 6), Energy's 11-01 week 44 (9).
        assert screen.period == "week"
        expected = [0.0] * 14
        expected[6] = expected[9] = 1.0
        assert list(screen.query_one(Sparkline).data or []) == expected
        assert "2021-W35 … 2021-W48 · 14 weeks · peak 2021-W41 (1 article)" in text
        # Each neighbour is in 1 of natural gas's 2 articles and in 1 article in all:
        # log-Dice = 14 + log2(2*1 / (2 + 1)) = 13.415; all tie, so by key.
        assert screen.neighbours == ["Ankara", "Europe", "pipeline", "storage"]
        assert round(14 + math.log2(2 / 3), 2) == 13.42
        assert text.count("13.42") == 4
        # Months are computed in a worker after the first paint, so `w` does not wait for them.
        await pilot.press("w")  # months: Sep 0, Oct 1, Nov 1, Dec 0
        assert screen.period == "month"
        await wait_for(pilot, lambda: "month" in screen.timelines, what="months")
        await pilot.pause()
        assert list(screen.query_one(Sparkline).data or []) == [0.0, 1.0, 1.0, 0.0]
        assert "2021-09 … 2021-12 · 4 months · peak 2021-10 (1 article)" in screen_text(app)
        await pilot.press("w")
        assert screen.period == "week" and list(screen.query_one(Sparkline).data or []) == expected


@pytest.mark.asyncio
async def test_trends_counts_with_the_views_keyword_index(tmp_path: Path) -> None:
    """`t` hands the screen the corpus frames and the keyword index the view built for them:
    that index is what makes co-occurrence cheap at 100k articles."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_trends(pilot)
        assert screen.index_found


@pytest.mark.parametrize("which", ["trends", "overview"])
@pytest.mark.asyncio
async def test_a_screen_without_the_views_index_counts_the_same_over_the_strings(tmp_path: Path, which: str) -> None:
    """A screen uses only the index it is handed, and only when it is of its frames: given
    none, or one of another keywords frame, it counts over the strings, to the same numbers."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        fast = await (open_trends(pilot) if which == "trends" else open_overview(pilot))
        assert fast.index_found
        keyword = fast.keyword if isinstance(fast, TrendsScreen) else ""
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, type(fast)), what="closed")
        corpus = app.view.corpus
        other = KeywordIndex(corpus.articles.get_column("id"), corpus.keywords.clone())
        for index in (None, other):
            screen: TrendsScreen | OverviewScreen = (
                TrendsScreen(keyword, corpus.articles, corpus.keywords, index=index)
                if which == "trends"
                else OverviewScreen(corpus.articles, corpus.keywords, index=index)
            )
            app.insight.open_computed(screen)
            await wait_for(pilot, lambda: app.screen is screen and screen.stats_shown, what="screen without the index")
            assert not screen.index_found
            if isinstance(screen, TrendsScreen):
                assert isinstance(fast, TrendsScreen) and screen.data is not None and fast.data is not None
                assert (screen.data.key, screen.data.docs, screen.data.period) == (fast.data.key, fast.data.docs, fast.data.period)
                for name in ("sections", "timeline", "cooccurring"):
                    assert_frame_equal(getattr(screen.data, name), getattr(fast.data, name))
            else:
                assert isinstance(fast, OverviewScreen) and screen.overview is not None and fast.overview is not None
                assert screen.overview.indexed == fast.overview.indexed == 5
                assert_frame_equal(screen.overview.top_keywords, fast.overview.top_keywords)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is not screen, what="closed")


@pytest.mark.asyncio
async def test_enter_on_a_cooccurring_keyword_filters_by_it(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_trends(pilot)
        await pilot.press("j", "enter")  # Europe
        await wait_for(pilot, lambda: not isinstance(app.screen, TrendsScreen), what="trends closed")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="kw filter")
        assert app.filter_bar.value == 'kw:"Europe"'
        assert titles(app) == ["Energy markets brace for winter"]


@pytest.mark.parametrize("key", ["escape", "q", "t"])
@pytest.mark.asyncio
async def test_trends_closes_without_filtering(tmp_path: Path, key: str) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_trends(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: not isinstance(app.screen, TrendsScreen), what="closed")
        await settle(pilot)
        assert app.is_running and app.applied_filter == "" and app.article_list.row_count == TOTAL


@pytest.mark.asyncio
async def test_trends_of_a_markup_keyword_is_literal(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        moves = ["j"] * panel.keywords.index("[bold]")
        screen = await open_trends(pilot, *moves)
        assert screen.keyword == "[bold]"
        text = screen_text(app)
        assert "Trends: [bold]" in text
        assert "1 of 6 articles (17%) have the keyword [bold]" in text
        assert "(none)" in text  # the markup article has no section
        assert screen.neighbours == ["body"]
        # The corpus has dates, the keyword's one article has none.
        assert "No dated article has it (dates: 2021-W35 … 2021-W48)." in text


@pytest.mark.asyncio
async def test_t_without_keywords_only_warns(tmp_path: Path) -> None:
    async with make_app(tmp_path, keywords=False).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("tab", "tab", "t")
        await settle(pilot)
        assert not isinstance(app.screen, TrendsScreen)
        assert any("No keyword under the keyword cursor" in str(n.message) for n in app._notifications)


# --- overview ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_o_shows_the_corpus_overview(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await open_overview(pilot)
        overview = screen.overview
        assert overview is not None
        # 6 rows: 5 articles and the teaser; sections Energy, Russia, New Social Compact,
        # Environment, Cities; sources RIAC, TASS, UN News; 4 dated; 5 with keywords.
        assert (overview.rows, overview.articles, overview.teasers) == (6, 5, 1)
        assert (overview.sections, overview.sources, overview.dated, overview.indexed) == (5, 3, 4, 5)
        assert (overview.duplicate_rows, overview.extra_sightings) == (0, 0)
        text = screen_text(app)
        for line in (
            "rows        6  articles and teasers",
            "teasers     1",
            "dated       4  2021-09-01 … 2021-12-05",
            "indexed     5  rows with keywords",
            "repeated    0  rows seen more than once",
            "extra       0  sightings folded into them",
            "Every page was seen once.",
        ):
            assert line in text
        # Every section has one row (1/6 = 17%); no source is the biggest group (3 rows).
        assert overview.by_section.get_column("docs").to_list() == [1] * 6
        assert overview.by_source.rows()[0] == (None, 3, 0.5)
        assert overview.top_keywords.row(0)[:3] == ("natural gas", "natural gas", 2)
        assert "2 natural gas" in text
        assert "1 [bold]" in text  # keyword text shown as it is, not as markup
        assert screen.index_found  # the top keywords came from the keyword panel's index


@pytest.mark.parametrize("which", ["trends", "overview"])
@pytest.mark.asyncio
async def test_a_screen_opens_with_its_numbers(tmp_path: Path, which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The numbers are computed before the screen is pushed: its first paint has them."""
    monkeypatch.setattr(insight, "OPEN_GRACE_SECONDS", 30.0)  # however slow this machine is
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        kind = TrendsScreen if which == "trends" else OverviewScreen
        painted: list[bool] = []  # per paint of the screen: were its numbers drawn?
        display = app._display

        def display_and_note(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            if renderable is not None and isinstance(screen, kind):
                painted.append(screen.stats_shown)
            display(screen, renderable)

        app._display = display_and_note  # type: ignore[method-assign]
        await (open_trends(pilot) if which == "trends" else open_overview(pilot))
        await settle(pilot)
        assert painted and all(painted)
        assert "Computing…" not in screen_text(app)


@pytest.mark.parametrize("which", ["trends", "overview"])
@pytest.mark.asyncio
async def test_slow_numbers_open_the_screen_at_once_and_fill_it_in(tmp_path: Path, which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    kind = TrendsScreen if which == "trends" else OverviewScreen
    release = threading.Event()
    compute = kind.compute

    def slow_compute(self):  # type: ignore[no-untyped-def]
        release.wait(10)
        return compute(self)

    monkeypatch.setattr(kind, "compute", slow_compute)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press(*(("tab", "tab", "t") if which == "trends" else ("o",)))
        await wait_for(pilot, lambda: isinstance(app.screen, kind) and "Computing…" in screen_text(app), what="screen before its numbers")
        assert not app.screen.stats_shown  # type: ignore[attr-defined]
        release.set()
        await wait_for(pilot, lambda: app.screen.stats_shown, what="numbers")  # type: ignore[attr-defined]
        await settle(pilot)
        assert "Computing…" not in screen_text(app)


@pytest.mark.asyncio
async def test_numbers_that_fail_show_one_line_and_no_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self):  # type: ignore[no-untyped-def]
        raise ValueError("no statistics today")

    monkeypatch.setattr(OverviewScreen, "compute", broken)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.pause(insight.OPEN_GRACE_SECONDS + 0.1)
        assert not isinstance(app.screen, OverviewScreen)
        assert any("no statistics today" in str(note.message) for note in app._notifications)


@pytest.mark.asyncio
async def test_the_latest_screen_asked_for_is_the_one_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(insight, "OPEN_GRACE_SECONDS", 30.0)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.action_overview()
        app.action_overview()  # a second press before the first one's numbers: one screen
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), what="overview")
        await settle(pilot)
        assert sum(isinstance(screen, OverviewScreen) for screen in app.screen_stack) == 1


@pytest.mark.parametrize("key", ["escape", "q", "o"])
@pytest.mark.asyncio
async def test_overview_closes(tmp_path: Path, key: str) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_overview(pilot)
        await pilot.press(key)
        await wait_for(pilot, lambda: not isinstance(app.screen, OverviewScreen), what="closed")
        assert app.is_running


# --- distinctive mode of the keyword panel ----------------------------------------------------


@pytest.mark.asyncio
async def test_d_shows_what_sets_the_view_apart(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        await pilot.press("tab", "tab", "d")
        await settle(pilot)
        assert panel.mode == "distinctive" and panel.border_title == "Keywords: distinctive"
        assert panel.keywords == []  # the whole corpus has no rest to compare with
        assert "Filter the view first" in screen_text(app)
        app.apply_filter("section:energy")
        # c = 1 (Energy), d = 5, so the floor is 1. storage and Europe are 1 vs 0 (G2 5.41,
        # tied, so by key), natural gas 1 vs 1 (G2 2.63).
        await wait_for(pilot, lambda: panel.keywords == ["Europe", "storage", "natural gas"], what="distinctive")
        assert panel.distinctive_indexed  # counted with the view's keyword index
        g2_storage = 2 * (math.log(6) + 5 * math.log(5 / (25 / 6)))
        g2_gas = 2 * (math.log(1 / (1 / 3)) + math.log(1 / (10 / 6)) + 4 * math.log(4 / (20 / 6)))
        assert g2_storage > g2_gas
        await pilot.press("a")
        assert panel.mode == "article"
        await pilot.press("d")
        assert panel.mode == "distinctive"
        await pilot.press("d")
        assert panel.mode == "view"


@pytest.mark.asyncio
async def test_d_counts_over_the_ids_without_a_keyword_index_of_the_corpus(tmp_path: Path) -> None:
    """The app hands the panel the view's keyword index and the rows' positions; a subset
    without them, with an index of other frames, or with positions beyond the index's
    articles (a corpus replaced meanwhile) is counted over the ids: the same list."""
    expected = ["Europe", "storage", "natural gas"]
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        app.apply_filter("section:energy")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="filter")
        await pilot.press("tab", "tab", "d")
        await wait_for(pilot, lambda: panel.distinctive_indexed is not None, what="distinctive")
        assert panel.distinctive_indexed and panel.keywords == expected
        corpus, frame = app.view.corpus, app.article_list.frame
        ids, rows = frame.get_column("id"), frame.get_column(ROW_COLUMN)
        other = KeywordIndex(corpus.articles.get_column("id"), corpus.keywords.clone())
        for index, positions in ((None, None), (other, rows), (app.view.keyword_index, rows + TOTAL)):
            panel.set_subset(corpus, ids, index, positions)
            await wait_for(pilot, lambda: panel.distinctive_indexed is not None, what="distinctive again")
            assert panel.distinctive_indexed is False and panel.keywords == expected
        panel.set_subset(corpus, ids, app.view.keyword_index, rows)
        await wait_for(pilot, lambda: panel.distinctive_indexed is not None, what="distinctive with the index")
        assert panel.distinctive_indexed and panel.keywords == expected


# --- discoverability --------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_help_and_palette_list_the_insight_actions(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        assert isinstance(app, NewsdeskApp)
        commands = {command.title for command in app.palette_commands()}
        assert {"Keyword trends", "Corpus overview", "Distinctive keywords"} <= commands
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = {(keys, text) for _, keys, text in app.screen.rows}
        assert {("t", "Trends"), ("o", "Overview"), ("d", "Distinctive keywords")} <= rows
        assert ("escape, q, t", "Close") in rows and ("escape, q, o", "Close") in rows


# --- snapshots --------------------------------------------------------------------------------


async def _trends(pilot: Pilot) -> None:
    await ready(pilot)
    await open_trends(pilot)
    await settle(pilot)


async def _overview(pilot: Pilot) -> None:
    await ready(pilot)
    await open_overview(pilot)
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_trends_screen_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_trends)


@pytest.mark.parametrize("size", SIZES)
def test_overview_screen_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_overview)


async def _distinctive(pilot: Pilot) -> None:
    app = await ready(pilot)
    panel = app.keyword_panel
    await pilot.press("tab", "tab", "d")
    app.apply_filter("section:energy")
    await wait_for(pilot, lambda: panel.keywords == ["Europe", "storage", "natural gas"], what="distinctive")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_distinctive_mode_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_distinctive)
