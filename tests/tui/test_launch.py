"""The `newsdesk` script starts without the cycle collector and switches it on again before
a command runs (the dashboard does so at its first view: tests/tui/test_progressive_load.py)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import gc_policy
from tui import launch

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_run_by_the_script_runs_with_cycle_collection_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "seeds.jsonl"
    monkeypatch.setattr(sys, "argv", ["newsdesk", "parse", str(ROOT / "seeds"), "--format", "jsonl", "-o", str(out)])
    collecting: list[bool] = []
    defer = gc_policy.defer_start_up

    def deferring_and_noting() -> None:
        defer()
        collecting.append(gc.isenabled())

    monkeypatch.setattr(gc_policy, "defer_start_up", deferring_and_noting)
    assert launch.main() == 0
    collecting.append(gc.isenabled())
    assert collecting == [False, True]  # off for start-up, on for the command
    assert len([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) == 11


@pytest.mark.parametrize("arguments", [["--help"], ["config", "--path"], ["config"]])
def test_commands_that_read_no_corpus_start_without_importing_polars(arguments: list[str], tmp_path: Path) -> None:
    # In a fresh interpreter: this one has imported Polars long ago.
    script = (
        "import contextlib, io, sys\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({arguments!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('polars' in sys.modules)\n"
    )
    env = {**os.environ, "NEWSDESK_CONFIG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stderr
