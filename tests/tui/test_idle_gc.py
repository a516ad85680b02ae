"""The idle collector: automatic cycle collection is off while the dashboard runs, cycles are
still collected when the user pauses, and the collector is back on after exit (Pilot)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

import tui.idle_gc as idle_gc
from tests.tui.corpus import make_app, ready, wait_for

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


class Node:
    """An object that can be part of a reference cycle."""

    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref[Node]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


async def test_collection_moves_off_the_keystroke_path_and_back_on_at_exit(tmp_path: Path) -> None:
    assert gc.isenabled()
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        assert app.idle_collector.started
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def _pace(monkeypatch: pytest.MonkeyPatch, idle_seconds: float) -> None:
    """Collect after `idle_seconds` without input, looking often, with no wait between."""
    monkeypatch.setattr(idle_gc, "IDLE_SECONDS", idle_seconds)
    monkeypatch.setattr(idle_gc, "EVERY_SECONDS", 0.0)
    monkeypatch.setattr(idle_gc, "TICK_SECONDS", 0.05)


async def test_cycles_are_collected_when_the_user_pauses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pace(monkeypatch, 0.3)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        garbage = _cycle()
        assert garbage() is not None  # a cycle: reference counting alone does not free it
        await wait_for(pilot, lambda: garbage() is None, timeout=10, what="cycle collected")
        assert app.idle_collector.collections >= 1


async def test_no_collection_runs_while_keys_keep_coming(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pace(monkeypatch, 2.0)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await wait_for(pilot, lambda: app.idle_collector.collections >= 1, timeout=10, what="a collection while idle")
        await pilot.press("j")
        before = app.idle_collector.collections
        for _ in range(15):  # 1.5 s of keys, 0.1 s apart: never 2 s without one
            await pilot.press("j")
            await pilot.pause(0.1)
        assert app.idle_collector.collections == before
        await wait_for(pilot, lambda: app.idle_collector.collections > before, timeout=10, what="a collection once keys stop")
