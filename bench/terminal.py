"""Time a program in a real terminal: start it in a detached tmux pane and read its screen
until what it shows says it is done, as a person watching it would.

bench/tables.py uses this to time the dashboard and visidata side by side on one table the
way both are used, each drawing its screen while it loads: first rows (the first screen that
shows any) and all rows (the first screen that shows every one).
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

COLUMNS, LINES = 160, 45
POLL_SECONDS = 0.025
"""How often the screen is read: each read forks a tmux client, so every program watched
pays the same small tax for it."""

_servers = itertools.count()

RowsShown = Callable[[str], tuple[int, bool] | None]
"""From a screen's text, the rows it says are shown and whether loading has ended (None
when the screen says neither yet)."""


@dataclass(frozen=True)
class Watched:
    """Seconds from start to the first screen with rows, and to the screen with all of them."""

    first_rows_s: float
    all_rows_s: float
    rows: int


def tmux() -> str | None:
    """The tmux executable, or None when there is none."""
    return shutil.which("tmux")


def watch(command: Sequence[str], rows_shown: RowsShown, total: int, env: Mapping[str, str] | None = None,
          timeout: float = 120.0) -> Watched:
    """Run `command` in a fresh tmux server's pane of COLUMNS x LINES and read its screen every
    POLL_SECONDS until `rows_shown` finds `total` rows with loading ended; the server is then
    killed with the program in it."""
    # A server of its own each time: the last one may still be going away.
    socket = f"newsdesk-bench-{os.getpid()}-{next(_servers)}"
    base = ["tmux", "-L", socket, "-f", os.devnull]
    environment = [f"-e{name}={value}" for name, value in (env or {}).items()]
    first: float | None = None
    try:
        started = time.perf_counter()
        subprocess.run([*base, "new-session", "-d", "-x", str(COLUMNS), "-y", str(LINES), *environment,
                        *command], check=True)
        while (elapsed := time.perf_counter() - started) < timeout:
            screen = subprocess.run([*base, "capture-pane", "-p"], capture_output=True, text=True).stdout
            shown = rows_shown(screen)
            if shown is not None and shown[0] > 0:
                first = elapsed if first is None else first
                if shown[0] >= total and shown[1]:
                    return Watched(first, elapsed, shown[0])
            time.sleep(POLL_SECONDS)
        raise TimeoutError(f"{command[0]} did not show {total:,} rows in {timeout:.0f} s")
    finally:
        subprocess.run([*base, "kill-server"], stderr=subprocess.DEVNULL)


_DASHBOARD_STATUS = re.compile(r"\b([\d,]+) of ([\d,]+)\s+sort:")
_VISIDATA_ROWS = re.compile(r"(reading…)?\s+(\d+) rows \[")


def dashboard_rows(screen: str) -> tuple[int, bool] | None:
    """The dashboard's status line: `12 of 41,442  sort: ...`, loading ended once no
    `parsing` progress follows it."""
    for line in screen.splitlines():
        found = _DASHBOARD_STATUS.search(line)
        if found:
            return int(found.group(2).replace(",", "")), "parsing" not in line
    return None


def visidata_rows(screen: str) -> tuple[int, bool] | None:
    """visidata's bottom line: `36% reading…  15014 rows [1/1]`, loading ended once
    `reading…` has gone."""
    for line in reversed(screen.splitlines()):
        found = _VISIDATA_ROWS.search(line)
        if found:
            return int(found.group(2)), found.group(1) is None
    return None
