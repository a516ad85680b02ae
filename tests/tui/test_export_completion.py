"""Pilot tests of path completion in the export prompt: typed with real keys, `tab` or `right`
accepts the completion, folders end in `/`, `~` is expanded, names that are not plain text
are never offered, and the file is written where the completed path says."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.tui.corpus import make_app, ready, settle, wait_for
from tui.app import NewsdeskApp
from tui.path_completion import PathSuggester, list_names
from tui.screens.export import ExportScreen

SIZE = (120, 40)


def shown(field: Input) -> str:
    """The input's line as painted: the text and the dimmed completion after it."""
    return "".join(segment.text for segment in field.render_line(0)).rstrip()


async def open_prompt(pilot, app: NewsdeskApp) -> Input:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
    await pilot.press("end", "ctrl+u")
    return app.screen.query_one("#export-path", Input)


@pytest.mark.asyncio
async def test_tab_and_right_complete_folders_and_the_export_is_written_there(tmp_path: Path) -> None:
    (tmp_path / "reports-2021").mkdir()
    (tmp_path / "reports-2021" / "energy").mkdir()
    (tmp_path / "Reports-upper").mkdir()
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        field = await open_prompt(pilot, app)
        await pilot.press(*"rep")  # relative to the export folder, case for case
        await wait_for(pilot, lambda: shown(field) == "reports-2021/", what="completion shown")
        await pilot.press("tab")
        assert field.value == "reports-2021/"
        await pilot.press("e")
        await wait_for(pilot, lambda: shown(field) == "reports-2021/energy/")
        await pilot.press("right")
        assert field.value == "reports-2021/energy/"
        await pilot.press(*"view.csv", "enter")
        target = tmp_path / "reports-2021" / "energy" / "view.csv"
        await wait_for(pilot, lambda: target.exists() and not isinstance(app.screen, ExportScreen), what="export written")
        assert target.read_text(encoding="utf-8").startswith("id,")

        await open_prompt(pilot, app)
        await settle(pilot)  # the export folder is listed as the prompt opens
        await pilot.press(*"rep", "tab", *"burst.csv", "enter")  # typed without a pause
        burst = tmp_path / "reports-2021" / "burst.csv"
        await wait_for(pilot, lambda: burst.exists() and not isinstance(app.screen, ExportScreen), what="burst export written")

        field = await open_prompt(pilot, app)
        await pilot.press(*str(tmp_path / "R"))  # an absolute path
        await wait_for(pilot, lambda: field.value.endswith("/R") and shown(field).endswith("/Reports-upper/"))
        await pilot.press("tab")
        assert field.value == f"{tmp_path}/Reports-upper/"
        await pilot.press("escape")
        await settle(pilot)


@pytest.mark.asyncio
async def test_tilde_is_expanded_for_the_listing_and_kept_in_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        field = await open_prompt(pilot, app)
        await pilot.press("~")
        await wait_for(pilot, lambda: shown(field) == "~/")
        await pilot.press("tab")
        assert field.value == "~/"
        await pilot.press("D")
        await wait_for(pilot, lambda: shown(field) == "~/Documents/")
        await pilot.press("tab", *"out.md", "enter")
        await wait_for(pilot, lambda: (home / "Documents" / "out.md").exists(), what="written under ~")


@pytest.mark.asyncio
async def test_names_that_are_not_plain_text_are_never_offered(tmp_path: Path) -> None:
    hostile = os.fsencode(tmp_path) + b"/rep\x1b]0;owned\x07.csv"
    with open(hostile, "wb"):
        pass
    (tmp_path / "rep\u202eexe.txt").write_text("", encoding="utf-8")
    (tmp_path / "report.csv").write_text("", encoding="utf-8")
    assert list_names(tmp_path) == ("report.csv",)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        field = await open_prompt(pilot, app)
        await pilot.press(*"rep")
        await wait_for(pilot, lambda: shown(field) == "report.csv")
        await pilot.press("tab")
        assert field.value == "report.csv"


def test_the_listing_is_bounded_and_hidden_names_need_a_dot(tmp_path: Path) -> None:
    for number in range(50):
        (tmp_path / f"f{number:03}").write_text("", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    assert len(list_names(tmp_path, limit=10)) == 10
    suggester = PathSuggester(tmp_path, limit=1000)

    async def suggest(*values: str) -> list[str | None]:
        return [await suggester.get_suggestion(value) for value in values]

    assert asyncio.run(suggest("f04", "F04", ".h", "h", "missing/fo", "f049")) == [
        "f040",
        None,  # case for case
        ".hidden/",
        None,  # a hidden name only when the segment starts with a dot
        None,
        None,  # nothing longer to offer
    ]
