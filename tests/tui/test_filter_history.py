"""Pilot tests of the filter history: `up`/`down` in the filter bar walk the filters applied,
as a shell does, across a restart (the state file in the test's own state dir) and with two
dashboards on one corpus. Every filter is typed with real keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.state import StateStore
from tests.tui.corpus import load_with_keywords, ready, settle, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


def open_app(root: Path, tmp_path: Path) -> NewsdeskApp:
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)


async def enter_filter(pilot, app: NewsdeskApp, text: str) -> None:
    """Focus the filter bar, clear it, type `text` and press enter."""
    await pilot.press("slash", "ctrl+u", *text, "enter")
    await wait_for(pilot, lambda: app.applied_filter == text, what=f"filter {text!r} applied")


async def walk(pilot, app: NewsdeskApp, key: str, expected: str) -> None:
    await pilot.press(key)
    assert app.filter_bar.value == expected
    await wait_for(pilot, lambda: app.applied_filter == expected, what=f"{expected!r} applied after {key}")


async def test_up_and_down_walk_the_history_and_it_survives_a_restart(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    app = open_app(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await enter_filter(pilot, app, "natural")
        await enter_filter(pilot, app, "pipeline")
        await enter_filter(pilot, app, "natural")  # again: moved to the front, not twice
        await pilot.press("slash", "ctrl+u", *"leader")  # half typed, not entered
        await wait_for(pilot, lambda: app.applied_filter == "leader")
        await walk(pilot, app, "up", "natural")
        await walk(pilot, app, "up", "pipeline")
        await pilot.press("up")  # the oldest: stays
        assert app.filter_bar.value == "pipeline"
        await walk(pilot, app, "down", "natural")
        await walk(pilot, app, "down", "leader")  # what was typed comes back
        await pilot.press("down")
        assert app.filter_bar.value == "leader"
        await pilot.press(*"ship", "enter")
        await wait_for(pilot, lambda: app.applied_filter == "leadership")
        await settle(pilot)
        await pilot.press("q")
    assert StateStore([root], lambda text: None).load().history == ["leadership", "natural", "pipeline"]

    again = open_app(root, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: again.filter_bar.value == "leadership", what="last filter restored")
        await pilot.press("slash")
        await walk(pilot, again, "up", "natural")  # the entry equal to the text shown is skipped
        await walk(pilot, again, "up", "pipeline")
        await walk(pilot, again, "down", "natural")
        await pilot.press(*" gas", "enter")  # an edited recall is a new entry
        await wait_for(pilot, lambda: again.applied_filter == "natural gas")
        assert again.state.history[:2] == ["natural gas", "leadership"]


async def test_two_dashboards_histories_are_merged(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    a, b = open_app(root, tmp_path), open_app(root, tmp_path)
    async with a.run_test(size=SIZE) as pilot_a, b.run_test(size=SIZE) as pilot_b:
        await ready(pilot_a)
        await ready(pilot_b)
        await enter_filter(pilot_a, a, "natural")
        await enter_filter(pilot_b, b, "pipeline")
        await enter_filter(pilot_a, a, "shipping")
        await settle(pilot_a)
        await pilot_a.press("q")
        await settle(pilot_b)
        await pilot_b.press("q")  # B quits later, never having seen A's filters
    history = StateStore([root], lambda text: None).load().history
    # Each save puts its dashboard's new filters first: where B's one lands depends on when
    # each saved (a second after the change, or on quit), never whether it is kept.
    assert sorted(history) == ["natural", "pipeline", "shipping"]
    assert history.index("shipping") < history.index("natural")  # A's own order

    third = open_app(root, tmp_path)
    async with third.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "ctrl+u")
        for entry in history:
            await walk(pilot, third, "up", entry)
