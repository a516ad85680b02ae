"""Pilot tests of saved filters: `ctrl+s` in the filter bar names the filter (asking before
replacing a name in use), `F` lists them to apply or delete (after a second `d`), the palette
recalls them, and they are the user's: another corpus sees them. Every key is a real press."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import OptionList

from core.saved_filters import SavedFilterStore, saved_filters_path
from tests.tui.corpus import load_with_keywords, ready, settle, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.screens.saved_filters import SavedFiltersScreen, SaveFilterScreen

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


def open_app(root: Path, tmp_path: Path) -> NewsdeskApp:
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)


def stored() -> dict[str, str]:
    return SavedFilterStore(print).load()


async def save_as(pilot, app: NewsdeskApp, text: str, name: str) -> SaveFilterScreen:
    """Type filter `text`, press ctrl+s and type `name`, enter; returns the prompt."""
    await pilot.press("slash", "ctrl+u", *text)
    await wait_for(pilot, lambda: app.applied_filter == text, what=f"{text!r} applied")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.screen, SaveFilterScreen), what="name prompt")
    prompt = app.screen
    assert isinstance(prompt, SaveFilterScreen)
    await pilot.press(*name, "enter")
    return prompt


async def test_save_replace_recall_and_delete(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    app = open_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await save_as(pilot, app, "natural", "gas")
        await wait_for(pilot, lambda: stored() == {"gas": "natural"}, what="saved")
        assert not isinstance(app.screen, SaveFilterScreen)

        prompt = await save_as(pilot, app, "pipeline", "gas")  # a name in use: asked first
        assert isinstance(app.screen, SaveFilterScreen)
        assert prompt.message == "gas exists: press enter again to replace it, escape to cancel"
        await pilot.press("enter")
        await wait_for(pilot, lambda: stored() == {"gas": "pipeline"}, what="replaced")

        await save_as(pilot, app, "gas", "gas")
        await pilot.press("escape")  # asked, and cancelled: nothing changes
        await wait_for(pilot, lambda: not isinstance(app.screen, SaveFilterScreen))
        await save_as(pilot, app, "leadership", "lead")
        await wait_for(pilot, lambda: stored() == {"gas": "pipeline", "lead": "leadership"}, what="second name")

        await pilot.press("ctrl+u", "enter")  # empty filter, list focused
        await wait_for(pilot, lambda: app.applied_filter == "")
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedFiltersScreen), what="picker")
        picker = app.screen
        options = picker.query_one(OptionList)
        assert [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)] == ["gas — pipeline", "lead — leadership"]
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.applied_filter == "leadership", what="recalled from F")
        assert app.filter_bar.value == "leadership"
        assert app.focused is app.article_list
        assert app.state.history[0] == "leadership"

        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"Filter: gas")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.applied_filter == "pipeline", what="recalled from the palette")

        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedFiltersScreen))
        picker = app.screen
        assert isinstance(picker, SavedFiltersScreen)
        await pilot.press("d")
        assert picker.message == "Delete gas? Press d again to delete it, escape to keep it."
        await pilot.press("escape")  # kept
        assert picker.message == "" and isinstance(app.screen, SavedFiltersScreen)
        await pilot.press("d", "down", "d")  # moving on asks again, about the other one
        assert picker.message.startswith("Delete lead?")
        await pilot.press("delete")
        await wait_for(pilot, lambda: stored() == {"gas": "pipeline"}, what="deleted")
        assert picker.names == ["gas"]
        await pilot.press("escape")
        await settle(pilot)


async def test_saved_filters_are_shared_by_every_corpus(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "first")
    app = open_app(first, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await save_as(pilot, app, "natural", "gas")
        await wait_for(pilot, lambda: stored() == {"gas": "natural"})
        await settle(pilot)
    other = open_app(write_corpus(tmp_path / "second"), tmp_path)
    async with other.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("F", "enter")
        await wait_for(pilot, lambda: other.applied_filter == "natural", what="recalled in another corpus")


async def test_names_and_texts_from_the_file_are_shown_as_plain_text(tmp_path: Path) -> None:
    path = saved_filters_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "filters": {"[bold]x[/] \x1b]0;owned\x07": "kw:\"[@click=app.quit]\""}}), encoding="utf-8")
    app = open_app(write_corpus(tmp_path), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedFiltersScreen))
        options = app.screen.query_one(OptionList)
        assert str(options.get_option_at_index(0).prompt) == '[bold]x[/] — kw:"[@click=app.quit]"'
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"bold")
        await settle(pilot)
        assert any("Filter: [bold]x[/]" in command.title for command in app.palette_commands())
        await pilot.press("escape")
        assert app.is_running


async def test_nothing_to_save_and_nothing_saved_are_said(tmp_path: Path) -> None:
    app = open_app(write_corpus(tmp_path), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "ctrl+u", "ctrl+s")
        assert any("Nothing to save" in n.message for n in app._notifications)
        await pilot.press("enter", "F")
        assert any("No saved filters yet" in n.message for n in app._notifications)
        assert not isinstance(app.screen, (SaveFilterScreen, SavedFiltersScreen))
        assert not saved_filters_path().exists()


async def test_the_palette_saves_the_filter_too(tmp_path: Path) -> None:
    app = open_app(write_corpus(tmp_path), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "ctrl+u", *"shipping", "enter")
        await wait_for(pilot, lambda: app.applied_filter == "shipping")
        await pilot.press("ctrl+p", *"Save filter as")
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SaveFilterScreen), what="name prompt from the palette")
        await pilot.press(*"arctic", "enter")
        await wait_for(pilot, lambda: stored() == {"arctic": "shipping"}, what="saved from the palette")


async def test_a_filter_that_does_not_parse_is_not_saved(tmp_path: Path) -> None:
    app = open_app(write_corpus(tmp_path), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "ctrl+u", *"words>abc")
        await wait_for(pilot, lambda: app.filter_bar.error_text != "", what="the error shown")
        await pilot.press("ctrl+s")
        assert any("does not parse" in n.message for n in app._notifications)
        assert not isinstance(app.screen, SaveFilterScreen)


async def test_another_dashboards_save_shows_at_the_next_look(tmp_path: Path) -> None:
    """The list shows the copy in memory at once (no file is read on the UI thread) and reads
    the file again behind it: what another dashboard saved meanwhile is there the next time."""
    app = open_app(write_corpus(tmp_path), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await save_as(pilot, app, "natural", "gas")
        await wait_for(pilot, lambda: stored() == {"gas": "natural"}, what="saved")
        await settle(pilot)
        other = SavedFilterStore(print)  # another dashboard
        other.load()
        other.save({"gas": "natural", "lead": "leadership"})
        await pilot.press("ctrl+u", "enter")  # empty filter, list focused
        await wait_for(pilot, lambda: app.applied_filter == "")
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedFiltersScreen), what="picker")
        assert app.screen.names == ["gas"]  # type: ignore[attr-defined]  # the copy in memory, at once
        await pilot.press("escape")
        await wait_for(pilot, lambda: "lead" in app.saved_filters.filters, what="the other dashboard's filter read")
        await pilot.press("F")
        await wait_for(pilot, lambda: isinstance(app.screen, SavedFiltersScreen), what="picker again")
        picker = app.screen
        assert isinstance(picker, SavedFiltersScreen) and picker.names == ["gas", "lead"]
