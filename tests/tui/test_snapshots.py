"""Snapshot tests (pytest-textual-snapshot): how the main, help and KWIC screens look.

The corpus and its keywords are fixed, indexing is off (no rates in the status bar), and the
focused pane holds no blinking cursor, so the screens are deterministic. Update with
`uv run pytest tests/tui/test_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.corpus import make_app, ready, settle, wait_for
from tui.screens.kwic import KwicScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _main(pilot: Pilot) -> None:
    await ready(pilot)


async def _help(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def _kwic(pilot: Pilot) -> None:
    await ready(pilot)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, KwicScreen), what="KWIC screen")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_main)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_help)


@pytest.mark.parametrize("size", SIZES)
def test_kwic_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=_kwic)


@pytest.mark.parametrize("theme", ["textual-light", "ansi-dark", "ansi-light"])
def test_main_screen_themes(snap_compare, tmp_path: Path, theme: str) -> None:
    async def run_before(pilot: Pilot) -> None:
        pilot.app.theme = theme
        await ready(pilot)

    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_main_screen_no_color(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(tmp_path)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=_main)
