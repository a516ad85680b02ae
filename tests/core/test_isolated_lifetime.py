"""The Parquet reader's child process never outlives the process that started it, even when
its stdin stays open (another process inherited the pipe) or it is busy with a file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

REPO = Path(__file__).resolve().parents[2]

PARENT = """
import subprocess, sys, time
from core import isolated
print(len(isolated.read_parquet_isolated(open(sys.argv[1], "rb").read(), "t.parquet")), flush=True)
child = isolated._child
holder = subprocess.Popen(["sleep", "60"], pass_fds=(child.process.stdin.fileno(),))
print(child.process.pid, holder.pid, flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def test_the_reader_child_ends_when_its_parent_is_killed_though_its_stdin_stays_open(tmp_path: Path) -> None:
    table = tmp_path / "t.parquet"
    pl.DataFrame({"title": ["A headline"], "body": ["A body of a few words."]}).write_parquet(table)
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(table)], cwd=REPO, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    child = holder = 0
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline() == "1\n"
        child, holder = map(int, parent.stdout.readline().split())
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(child), "the reader child outlived its killed parent"
    finally:
        for pid in (child, holder):
            if pid and _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
            parent.wait()
