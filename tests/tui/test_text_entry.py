"""Text typed into a field stays in that field: the filter key (`/`, or what the keymap maps
`app.filter` to) is text inside the filter bar, the export prompt and the command palette,
and does nothing on the screens pushed over the dashboard (overview, trends, help). Every
key is a real key press (Pilot `press`), a paste is a real `Paste` event."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import CommandInput, CommandPalette
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from core.config import load_config
from tests.tui.corpus import load_with_keywords, make_app, ready, settle, wait_for, write_corpus
from tests.tui.test_insight_screens import open_overview, open_trends
from tui.app import create_app
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.overview import OverviewScreen
from tui.screens.trends import TrendsScreen
from tui.text_entry import filter_key_applies
from tui.widgets.article_list import ArticleList

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
CONTROL_KEYS = {"\x7f": "backspace", "\x15": "ctrl+u", "\r": "enter"}
"""What the terminal driver names these bytes."""


async def burst(pilot: Pilot, text: str) -> None:
    """Type `text` as one burst, as a terminal delivers fast typing, a paste without
    bracketed paste, or keys batched over SSH: every key is handed to the driver, as
    `pilot.press` does, but without waiting for the app between two keys."""
    app = pilot.app
    assert app._driver is not None
    for character in text:
        event = events.Key(CONTROL_KEYS.get(character) or _character_to_key(character), character)
        event.set_sender(app)
        app._driver.send_message(event)
    await settle(pilot)


async def test_a_slash_typed_in_the_export_prompt_is_part_of_the_name(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
        await pilot.press("end", "ctrl+u", *"a/b.csv")
        field = app.screen.query_one("#export-path", Input)
        assert field.value == "a/b.csv"
        await pilot.press("ctrl+u")
        await burst(pilot, "a/b.csv")
        assert field.value == "a/b.csv"
        assert app.filter_bar.value == ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "a" / "b.csv").is_file(), what="the file in the folder typed")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert app.filter_bar.value == "" and app.applied_filter == ""


async def test_slash_in_the_overview_types_nothing_into_the_hidden_filter(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        overview = await open_overview(pilot)
        await pilot.press("slash")
        await settle(pilot)
        assert app.screen is overview and app.focused is not app.filter_bar.input
        # The rest of the burst are the screens' own keys: `t` opens the trends of the
        # keyword under the panel's cursor over the overview, `o` the overview over that.
        await pilot.press(*"nat")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen), what="t opens trends")
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen), what="o opens the overview")
        await pilot.press("enter", "q")
        await settle(pilot)
        assert app.is_running, "q closed a screen, it did not quit the app"
        assert len(app.screen_stack) > 1  # an insight screen is still open
        assert "nato" not in app.filter_bar.value and "nato" not in app.applied_filter


async def test_slash_iran_escape_in_trends_closes_trends_and_leaves_the_filter_alone(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_trends(pilot)
        await pilot.press("slash", *"iran", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, TrendsScreen), "escape closes the screen on top"
        assert app.filter_bar.value == "" and app.applied_filter == ""
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="q quits from the dashboard")
    assert app.return_code == 0


async def test_slash_on_the_help_screen_does_nothing(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.press("slash", *"iran")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert app.filter_bar.value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.focused, ArticleList)


async def test_a_slash_typed_in_the_palette_stays_in_the_palette(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"x/y")
        await settle(pilot)
        assert app.screen.query_one(CommandInput).value == "x/y"
        await pilot.press("ctrl+u")
        await burst(pilot, "x/y")
        assert app.screen.query_one(CommandInput).value == "x/y"
        assert app.filter_bar.value == ""
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, CommandPalette)
        assert app.filter_bar.value == ""


async def test_a_filter_typed_or_pasted_with_a_slash_keeps_it_in_place(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("slash", *"U.S./Russia")  # a terminal without bracketed paste types it
        assert app.filter_bar.value == "U.S./Russia"
        await pilot.press("ctrl+u")
        app.focused.post_message(events.Paste("U.S./Russia"))  # bracketed paste: one event
        await settle(pilot)
        assert app.filter_bar.value == "U.S./Russia"
        await pilot.press("ctrl+u", *"a/b", "slash", "c")
        assert app.filter_bar.value == "a/b/c"
        await pilot.press("ctrl+u")
        await burst(pilot, "U.S./Russia")
        assert app.filter_bar.value == "U.S./Russia"


async def test_the_filter_key_remapped_to_a_letter_is_that_letter_in_the_filter(tmp_path: Path) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text('[keys]\n"app.filter" = "f"\n', encoding="utf-8")
    root = write_corpus(tmp_path)
    app = create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path, config=load_config(config_file))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f", *"defense")
        assert app.filter_bar.value == "defense"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, ArticleList)
        await pilot.press("f", "ctrl+u", *"off/on")  # the letter still opens the filter from the list
        assert app.filter_bar.value == "off/on"
        await pilot.press("slash")  # `/` is not the filter key any more: a character like any
        assert app.filter_bar.value == "off/on/"


async def test_keys_typed_right_after_the_filter_key_reach_the_filter(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await burst(pilot, "/pe/e")  # p: previous article, e: export, if they leaked
        await pilot.press("enter")
        await settle(pilot)
        assert app.applied_filter == "pe/e"
        assert isinstance(app.screen.focused, ArticleList) and not isinstance(app.screen, ExportScreen)




async def test_the_palettes_filter_command_focuses_the_filter(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("ctrl+p", *"filter", "wait:300", "enter")
        await wait_for(pilot, lambda: app.focused is app.filter_bar.input, what="the filter focused")
        await pilot.press(*"a/b")
        assert app.filter_bar.value == "a/b"


async def test_editing_keys_in_a_burst_apply_in_the_order_typed(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("slash")
        await burst(pilot, "ab\x7fc")  # backspace between the letters
        assert app.filter_bar.value == "ac"
        await burst(pilot, "xyz\x15pipe")  # ctrl+u (the filter bar's clear) then a new filter
        assert app.filter_bar.value == "pipe"
        await pilot.press("e")  # typed: the filter has focus
        assert app.filter_bar.value == "pipee"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
        field = app.screen.query_one("#export-path", Input)
        await pilot.press("end")
        await burst(pilot, "\x15notes.md")  # clear the suggestion and type over it at once
        assert field.value == "notes.md"


class FindingPane(Static, can_focus=True):
    """A pane that binds `/` itself, as a pane that finds in its text would."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("slash", "find", "Find")]
    finds = 0

    def action_find(self) -> None:
        self.finds += 1


class PanesApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", priority=True, id="app.filter")
    ]

    def compose(self) -> ComposeResult:
        yield Input(id="filter")
        yield FindingPane("finds", id="finding")
        yield Label("no keys", id="plain")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return filter_key_applies(self) if action == "focus_filter" else True

    def action_focus_filter(self) -> None:
        self.screen.set_focus(self.query_one("#filter", Input))


async def test_a_pane_that_binds_the_filter_key_keeps_it() -> None:
    app = PanesApp()
    async with app.run_test() as pilot:
        pane = app.query_one(FindingPane)
        pane.focus()
        await pilot.press("slash")
        assert pane.finds == 1 and app.focused is pane
        app.query_one("#plain", Label).can_focus = True
        app.query_one("#plain", Label).focus()
        await pilot.press("slash")
        assert app.focused is app.query_one("#filter", Input)
        await pilot.press(*"a/b")
        assert app.query_one("#filter", Input).value == "a/b"


async def test_keys_typed_right_after_enter_in_the_filter_are_the_lists(tmp_path: Path) -> None:
    """`enter` applies the filter and moves to the list: keys typed after it in the same burst
    are the dashboard's (`?` opens help), not more filter text."""
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("slash")
        await burst(pilot, "news\r?")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help opened by the ? after enter")
        assert app.filter_bar.value == "news"
        await wait_for(pilot, lambda: app.applied_filter == "news", what="the filter applied")
