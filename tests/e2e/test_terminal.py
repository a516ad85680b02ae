"""The real `newsdesk` command in a real terminal: tmux runs it, `send-keys` types, `capture-pane` reads.

Each test gets its own tmux server (`-L newsdesk-test-<random>`), a 120x40 window and a
corpus written to tmp_path (including an article whose title and body look like markup and
whose body held an OSC title-setting escape).
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.tui.corpus import CLICK_TEXT, MARKUP_TITLE, ROWS, TOTAL, write_corpus

REPO = Path(__file__).resolve().parents[2]
TMUX = shutil.which("tmux")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


class Terminal:
    """A tmux server with one session running a command."""

    def __init__(self, socket: str) -> None:
        self.socket = socket
        self.exit_code_file: Path | None = None
        """Where the pane's shell writes the command's exit code when it ends."""

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "main")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "main", "-l", text)

    def value(self, variable: str) -> str:
        return self.tmux("display-message", "-p", "-t", "main", variable).strip()

    def wait(self, predicate: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; screen:\n{screen}")
            time.sleep(0.1)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        return self.wait(lambda screen: text in screen, repr(text), timeout)


@pytest.fixture
def terminal(tmp_path: Path, isolated_dirs: Path) -> Iterator[Terminal]:
    corpus = write_corpus(tmp_path)
    term = Terminal(f"newsdesk-test-{uuid.uuid4().hex[:12]}")
    env = {"NEWSDESK_CACHE_DIR": str(isolated_dirs / "cache"), "NEWSDESK_STATE_DIR": str(isolated_dirs / "state")}
    # COLUMNS/LINES (pytest may export them) would override the terminal's real size.
    run = "env -u COLUMNS -u LINES " + " ".join(f"{k}={v}" for k, v in env.items()) + f" uv run newsdesk {corpus}"
    # The shell records the app's exit code: tmux may take its time reaping a pane's process.
    command = f"sh -c '{run}; echo $? > {tmp_path / 'exit-code'}'"
    term.exit_code_file = tmp_path / "exit-code"
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(REPO), command)
    term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
    try:
        term.wait_for(f"{TOTAL} of {TOTAL}", timeout=60)
        yield term
    finally:
        subprocess.run([TMUX or "tmux", "-L", term.socket, "kill-server"], capture_output=True, timeout=20)


def test_first_paint_shows_titles_and_counts(terminal: Terminal) -> None:
    screen = terminal.screen()
    for row in ROWS:
        assert row["title"] in screen
    assert "Reader" in screen and "Keywords" in screen


def test_filtering_by_keyboard(terminal: Terminal) -> None:
    terminal.keys("/")
    terminal.type("pipeline")
    screen = terminal.wait_for(f"1 of {TOTAL}")
    assert "Russia and Turkey talk pipelines" in screen
    assert "Energy markets brace for winter" not in screen
    terminal.keys("Enter")
    terminal.keys("Escape")  # focus is on the list now: escape does nothing there
    terminal.keys("/", "C-u")
    screen = terminal.wait_for(f"{TOTAL} of {TOTAL}")
    assert "Energy markets brace for winter" in screen


def test_question_mark_shows_help_and_escape_closes_it(terminal: Terminal) -> None:
    terminal.keys("?")
    screen = terminal.wait_for("Command palette")
    assert "Cycle" in screen or "Sort" in screen
    terminal.keys("Escape")
    terminal.wait(lambda s: "Command palette" not in s, "help closed")


def test_q_quits(terminal: Terminal) -> None:
    assert terminal.exit_code_file is not None
    terminal.keys("q")
    deadline = time.monotonic() + 20
    while not terminal.exit_code_file.exists() or not terminal.exit_code_file.read_text().strip():
        assert time.monotonic() < deadline, terminal.screen()
        time.sleep(0.1)
    assert terminal.exit_code_file.read_text().strip() == "0"


def test_resize_to_80x24_still_renders(terminal: Terminal) -> None:
    terminal.tmux("resize-window", "-t", "main", "-x", "80", "-y", "24")
    screen = terminal.wait(lambda s: max(len(line) for line in s.splitlines()) <= 80 and "Words" in s, "narrow layout")
    assert f"{TOTAL} of {TOTAL}" in screen
    assert "Energy markets brace for winter" in screen
    assert len(screen.splitlines()) <= 24


def test_markup_and_escapes_in_articles_show_literally(terminal: Terminal) -> None:
    title_before = terminal.value("#{pane_title}")
    assert MARKUP_TITLE in terminal.screen()
    terminal.keys("G")  # the markup article is the last row
    screen = terminal.wait_for(CLICK_TEXT)
    assert MARKUP_TITLE in screen
    assert "owned" not in screen
    terminal.keys("Enter", "n", "p")
    time.sleep(0.5)
    assert terminal.value("#{pane_dead}") == "0"
    assert terminal.value("#{pane_title}") == title_before
    assert "owned" not in terminal.value("#{pane_title}")
