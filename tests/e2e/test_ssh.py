"""`newsdesk` over a real SSH connection, in a real terminal, and what it costs on the wire.

The test starts OpenSSH's sshd on 127.0.0.1 (a free port, a throwaway host key and user key
made here, `AcceptEnv NEWSDESK_*` so the remote app gets this test's cache/state dirs), then
runs `ssh -tt ... 'cd REPO && UV run newsdesk CORPUS'` inside tmux (own `-L` socket,
120x40), filters, reads and quits with `send-keys`, reading the screen with `capture-pane`.

Bytes on the terminal: `tmux pipe-pane` appends everything the pane receives (what came
through ssh) to a file; after the screen settles, the file's growth for one `j` and one
`pagedown` is what one cursor move and one page down cost. See BYTE_BUDGET for the bounds.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.serving import stop_group
from tests.e2e.tmux import TMUX, TmuxPane
from tests.tui.corpus import TOTAL, write_corpus

REPO = Path(__file__).resolve().parents[2]
SSHD = "/usr/sbin/sshd"
SSH = shutil.which("ssh")
SSH_KEYGEN = shutil.which("ssh-keygen")
UV = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to its own binary

FULL_REPAINT = 15_000
"""Bytes of one full 120x40 frame of this corpus (measured ~15.2 KB: one paint of every row)."""
BYTE_BUDGET = 4_096
"""Upper bound for one `j` or one `pagedown` at 120x40 (README "Remote use" has the numbers).

Measured 1.6 KB (`j`) and 1.7 KB (`pagedown`) with 256 colours (TERM=screen in tmux), 2.1
and 2.2 KB with COLORTERM=truecolor: the list re-sends only the two rows whose cursor state
changed (~540 B) and the reader repaints the lines of the new article. 4 KB leaves room for
truecolor and longer articles and is a quarter of a full repaint: a move that triggered a
re-layout or a full repaint (as a `Static` reader or a `repaint=True` cursor did) fails.
"""
LIST_ROW_BUDGET = 1_024
"""The list's own share of a cursor move: its two changed rows (~540 B measured)."""


def _missing() -> str | None:
    if sys.platform != "linux":
        return "the SSH end-to-end test runs on Linux"
    for name, path in (("sshd (openssh-server)", SSHD if os.access(SSHD, os.X_OK) else None), ("ssh", SSH), ("ssh-keygen", SSH_KEYGEN), ("tmux", TMUX), ("uv", UV)):
        if path is None:
            return f"{name} is not installed (the CI script installs it)"
    if os.geteuid() != 0:
        return "sshd must run as root to log a user in (CI runs as root)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SshServer:
    """A running sshd and the client options that reach it."""

    port: int
    key: Path
    log: Path
    process: subprocess.Popen[bytes]

    def client_command(self, remote: str, env: dict[str, str]) -> list[str]:
        assert SSH is not None
        return [
            SSH, "-tt", "-F", "/dev/null", "-i", str(self.key), "-p", str(self.port),
            "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
            "-o", "SetEnv=" + " ".join(f"{k}={v}" for k, v in env.items()),
            "root@127.0.0.1", remote,
        ]  # fmt: skip


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[SshServer]:
    """OpenSSH's sshd on 127.0.0.1 with keys made for this test; stopped at the end."""
    assert SSH_KEYGEN is not None
    home = tmp_path / "sshd"
    home.mkdir()
    for name in ("host_key", "user_key"):
        subprocess.run([SSH_KEYGEN, "-q", "-t", "ed25519", "-N", "", "-C", "newsdesk-test", "-f", str(home / name)], check=True, timeout=30)
    (home / "authorized_keys").write_text((home / "user_key.pub").read_text())
    port = free_port()
    config = home / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {home / 'host_key'}",
                f"PidFile {home / 'sshd.pid'}",
                f"AuthorizedKeysFile {home / 'authorized_keys'}",
                "PermitRootLogin yes",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "StrictModes no",
                "UsePAM no",
                "AcceptEnv NEWSDESK_* COLORTERM",
                "PrintMotd no",
                "PrintLastLog no",
                "",
            ]
        )
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation directory
    log = home / "sshd.log"
    with log.open("wb") as out:
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                pytest.skip(f"sshd could not start (exit {process.returncode}): {log.read_text()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"sshd did not listen within 20 s: {log.read_text()[-500:]}") from None
                time.sleep(0.1)
        yield SshServer(port=port, key=home / "user_key", log=log, process=process)
    finally:
        stop_group(process)


def rows_painted(chunk: bytes) -> dict[int, int]:
    """Screen row (1-based) -> bytes written on it, from the cursor-position escapes in `chunk`."""
    painted: dict[int, int] = {}
    row: int | None = None
    for part in re.split(rb"(\x1b\[\d+;\d+H)", chunk):
        position = re.fullmatch(rb"\x1b\[(\d+);\d+H", part)
        if position is not None:
            row = int(position.group(1))
        elif row is not None and part:
            painted[row] = painted.get(row, 0) + len(part)
    return painted


def settled_size(path: Path, quiet: float = 0.6, timeout: float = 15.0) -> int:
    """The file's size once it has stopped growing for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    size, since = -1, time.monotonic()
    while True:
        now_size = path.stat().st_size if path.exists() else 0
        if now_size != size:
            size, since = now_size, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return size
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} kept growing for {timeout} s (at {size} bytes)")
        time.sleep(0.05)


def list_titles(screen: str) -> list[str]:
    """Titles of the article list's rows, top to bottom (the list is the first bordered pane)."""
    lines = screen.splitlines()
    start = next(i for i, line in enumerate(lines) if "Title" in line and line.startswith("│")) + 1
    titles = []
    for line in lines[start:]:
        if not line.startswith("│") or not line[1:].strip("│ "):
            break
        titles.append(line[3:].split("  ")[0].strip())
    return titles


def reader_title(screen: str) -> str:
    """The first line inside the Reader pane: the title of the article it shows."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if "Reader" in line and line.startswith("╭"))
    return lines[top + 1].split("│")[1].strip()


@pytest.fixture
def remote_app(sshd: SshServer, tmp_path: Path, isolated_dirs: Path) -> Iterator[tuple[TmuxPane, Path]]:
    """`newsdesk CORPUS` over ssh in tmux, first paint done; yields the terminal and the byte log."""
    corpus = write_corpus(tmp_path)
    env = {"NEWSDESK_CACHE_DIR": str(isolated_dirs / "cache"), "NEWSDESK_STATE_DIR": str(isolated_dirs / "state"), "NEWSDESK_CONFIG_DIR": str(isolated_dirs / "config")}
    remote = f"cd {REPO} && {UV} run --frozen newsdesk {corpus}"
    term = TmuxPane()
    wire = tmp_path / "wire.bin"
    command = " ".join(_quote(part) for part in sshd.client_command(remote, env))
    # The pane's shell records ssh's exit code: tmux may take its time reaping the process.
    exit_code = tmp_path / "exit-code"
    shell = f"env -u COLUMNS -u LINES {command}; echo $? > {_quote(str(exit_code))}"
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", f"sh -c {_quote(shell)}")
    term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
    term.tmux("pipe-pane", "-o", "-t", "main", f"cat >> {_quote(str(wire))}")
    try:
        term.wait(lambda s: f"{TOTAL} of {TOTAL}" in s and "indexed" in s, "first paint over ssh", timeout=60)
        yield term, wire
    finally:
        term.kill_server()


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


def test_filter_read_and_quit_over_ssh_with_small_updates(remote_app: tuple[TmuxPane, Path], sshd: SshServer) -> None:
    term, wire = remote_app
    first_paint = settled_size(wire)
    screen = term.screen()
    rows = list_titles(screen)
    assert len(rows) == TOTAL and reader_title(screen) == rows[0], screen
    lines = screen.splitlines()
    first_list_row = next(i for i, line in enumerate(lines) if "Title" in line and line.startswith("│")) + 2  # 1-based
    list_rows = range(first_list_row, first_list_row + TOTAL)

    def measure(key: str, target: str) -> tuple[int, dict[int, int]]:
        before = settled_size(wire)
        term.keys(key)
        term.wait(lambda s: reader_title(s) == target, f"the reader on {target!r} after {key}")
        after = settled_size(wire)
        return after - before, rows_painted(wire.read_bytes()[before:after])

    move, move_rows = measure("j", rows[1])  # one cursor move: row 1 -> row 2
    page, page_rows = measure("PageDown", rows[-1])  # one page: all rows fit, so row 2 -> the last
    print(
        f"\nbytes over ssh at 120x40: first paint (load, index, paint) {first_paint}, "
        f"cursor move (j) {move} (list rows {sum(move_rows.get(r, 0) for r in list_rows)}), "
        f"page down {page} (list rows {sum(page_rows.get(r, 0) for r in list_rows)}); "
        f"rows re-sent by j: {sorted(move_rows)}"
    )
    for name, total, painted, changed in (("j", move, move_rows, {1, 2}), ("pagedown", page, page_rows, {2, TOTAL})):
        assert 0 < total < BYTE_BUDGET, f"{name} sent {total} bytes (budget {BYTE_BUDGET}, full repaint ~{FULL_REPAINT})"
        # Only the list rows whose cursor state changed are re-sent, never the whole list.
        sent = {r - first_list_row + 1 for r in list_rows if painted.get(r, 0) > 0}
        assert sent == changed, f"{name} re-sent list rows {sorted(sent)}, expected {sorted(changed)}"
        assert sum(painted.get(r, 0) for r in list_rows) < LIST_ROW_BUDGET
        assert len(painted) < 40, f"{name} repainted every screen row"

    # Filter, read, quit.
    term.keys("/")
    term.type("pipeline")
    term.keys("Enter")
    screen = term.wait(lambda s: f"1 of {TOTAL}" in s, "the filtered list")
    assert "Energy markets brace for winter" not in screen
    term.keys("Enter")  # read the article under the cursor
    screen = term.wait(lambda s: reader_title(s) == "Russia and Turkey talk pipelines" and "Ankara" in s, "the reader")
    term.keys("q")
    exit_code = wire.with_name("exit-code")
    deadline = time.monotonic() + 30
    while not (exit_code.exists() and exit_code.read_text().strip()):
        assert time.monotonic() < deadline, f"q did not end the ssh session; screen:\n{term.screen()}"
        time.sleep(0.1)
    status = exit_code.read_text().strip()
    assert status == "0", f"exit status {status}; screen:\n{term.screen()}\nsshd log:\n{sshd.log.read_text()[-800:]}"
