"""The `newsdesk` script starts without the cycle collector and switches it on again before
a command runs (the dashboard does so at its first view: tests/tui/test_progressive_load.py)."""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import pytest

from tui import launch

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_run_by_the_script_runs_with_cycle_collection_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "seeds.jsonl"
    monkeypatch.setattr(sys, "argv", ["newsdesk", "parse", str(ROOT / "seeds"), "--format", "jsonl", "-o", str(out)])
    collecting: list[bool] = []
    defer = launch.defer_collection

    def deferring_and_noting() -> None:
        defer()
        collecting.append(gc.isenabled())

    monkeypatch.setattr(launch, "defer_collection", deferring_and_noting)
    try:
        assert launch.main() == 0
        collecting.append(gc.isenabled())
    finally:
        gc.enable()
    assert collecting == [False, True]  # off for start-up, on for the command
    assert len([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) == 11
