"""The process's collection policy (`core.gc_policy`): off for start-up however the app is
started, on again with start-up's objects frozen once the first view is painted; then the
idle collector: automatic cycle collection is off while the dashboard runs, cycles are still
collected when the user pauses, and the collector is back on after exit (Pilot)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest

from core import gc_policy
from tests.tui.corpus import make_app, ready, wait_for
from tui.startup import StartUp

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parents[2]


class Node:
    """An object that can be part of a reference cycle."""

    def __init__(self) -> None:
        self.other: Node | None = None


def _cycle() -> weakref.ref[Node]:
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.mark.asyncio
async def test_collection_moves_off_the_keystroke_path_and_back_on_at_exit(tmp_path: Path) -> None:
    assert gc.isenabled()
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        assert app.idle_collector.started
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.mark.asyncio
async def test_an_app_from_the_tests_factory_starts_up_under_the_same_regime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collecting_at_mount: list[bool] = []
    begin = StartUp.begin

    def noting(startup: StartUp) -> None:
        collecting_at_mount.append(gc.isenabled())
        begin(startup)

    monkeypatch.setattr(StartUp, "begin", noting)
    assert gc.isenabled()
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        assert app.idle_collector.started
    assert collecting_at_mount == [False]  # off for start-up, as when the script starts it
    assert gc.isenabled() and gc.get_freeze_count() == 0  # and nothing for the test to undo


def test_start_up_over_freezes_what_start_up_made_and_switches_collection_on() -> None:
    gc_policy.defer_start_up()
    assert not gc.isenabled()
    made = [_cycle() for _ in range(100)]
    gc_policy.start_up_over()
    try:
        assert gc.isenabled() and gc.get_freeze_count() > 0
        assert all(ref() is not None for ref in made)  # frozen: not collected, though garbage
    finally:
        gc_policy.restore()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_start_up_over_leaves_alone_a_collector_it_did_not_switch_off() -> None:
    gc.disable()  # by someone else: not the policy's to switch on
    try:
        gc_policy.start_up_over()
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_python_m_tui_cli_as_serve_runs_it_starts_like_the_script(tmp_path: Path) -> None:
    # In a fresh interpreter, `python -m tui.cli` (what `newsdesk serve` runs per session):
    # collection off from the start, on for the command.
    script = (
        "import gc, runpy, sys\n"
        "from core import gc_policy\n"
        "states = []\n"
        "run_command = gc_policy.run_command\n"
        "def noting():\n"
        "    states.append(gc.isenabled())\n"
        "    run_command()\n"
        "    states.append(gc.isenabled())\n"
        "gc_policy.run_command = noting\n"
        "sys.argv = ['tui.cli', 'config', '--path']\n"
        "try:\n"
        "    runpy.run_module('tui.cli', run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(states, file=sys.stderr)\n"
    )
    env = {**os.environ, "NEWSDESK_CONFIG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "[False, True]", done.stderr


def _pace(monkeypatch: pytest.MonkeyPatch, idle_seconds: float) -> None:
    """Collect after `idle_seconds` without input, looking often, with no wait between."""
    monkeypatch.setattr(gc_policy, "IDLE_SECONDS", idle_seconds)
    monkeypatch.setattr(gc_policy, "EVERY_SECONDS", 0.0)
    monkeypatch.setattr(gc_policy, "TICK_SECONDS", 0.05)


@pytest.mark.asyncio
async def test_cycles_are_collected_when_the_user_pauses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _pace(monkeypatch, 0.3)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        garbage = _cycle()
        assert garbage() is not None  # a cycle: reference counting alone does not free it
        await wait_for(pilot, lambda: garbage() is None, timeout=10, what="cycle collected")
        assert app.idle_collector.collections >= 1


@pytest.mark.asyncio
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
