"""Run `newsdesk serve` as a real process for the browser and security tests.

The server runs in its own process group on a free loopback port; `start_serve` waits for
the line with the token URL it prints once it listens. `app_processes` reads /proc for the
app processes the server started (its direct children), so a test can check they are gone.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
URL_LINE = re.compile(r"^newsdesk serve: open (?P<url>https?://\S+/\?token=(?P<token>[A-Za-z0-9_-]+))$", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running `newsdesk serve`: its process, the printed URL and token, its output files."""

    process: subprocess.Popen[bytes]
    port: int
    url: str
    token: str
    stdout: Path
    stderr: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.stdout.read_text(errors="replace") + self.stderr.read_text(errors="replace")


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (server and the app sessions it started), then SIGKILL."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure no session process outlived it.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


def launch(tmp_path: Path, arguments: Sequence[str]) -> tuple[subprocess.Popen[bytes], Path, Path]:
    """`python -m tui.cli serve ARGUMENTS` in a new process group; stdout and stderr to files."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    stdout, stderr = tmp_path / "serve.out", tmp_path / "serve.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui.cli", "serve", *arguments],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    return process, stdout, stderr


@contextmanager
def start_serve(tmp_path: Path, arguments: Sequence[str], timeout: float = 30.0) -> Iterator[Served]:
    """`newsdesk serve ARGUMENTS --port N` running until the block ends (then its group is stopped)."""
    port = free_port()
    process, stdout, stderr = launch(tmp_path, [*arguments, "--port", str(port)])
    try:
        deadline = time.monotonic() + timeout
        while (found := URL_LINE.search(stdout.read_text(errors="replace"))) is None:
            if process.poll() is not None:
                raise AssertionError(f"newsdesk serve exited with {process.returncode}: {stderr.read_text()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"newsdesk serve printed no URL within {timeout:.0f} s")
            time.sleep(0.1)
        yield Served(process, port, found["url"], found["token"], stdout, stderr)
    finally:
        stop_group(process)


def app_processes(server_pid: int) -> list[int]:
    """The pids whose parent is `server_pid` (the app sessions it started), from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # Fields after the command name (which may hold spaces) in parentheses: state, ppid, ...
        if int(stat.rpartition(")")[2].split()[1]) == server_pid:
            children.append(int(entry.name))
    return children


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"
