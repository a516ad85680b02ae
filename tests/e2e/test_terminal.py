"""The real `newsdesk` command in a real terminal: tmux runs it, `send-keys` types, `capture-pane` reads.

Each test gets its own tmux server (`-L newsdesk-test-<random>`), a 120x40 window and a
corpus written to tmp_path (including an article whose title and body look like markup and
whose body held an OSC title-setting escape).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TMUX, TmuxPane
from tests.tui.corpus import CLICK_TEXT, MARKUP_TITLE, ROWS, TOTAL, write_corpus

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


class Terminal(TmuxPane):
    """The app's pane, and where its shell writes the app's exit code."""

    exit_code_file: Path | None = None


@pytest.fixture
def terminal(tmp_path: Path, isolated_dirs: Path) -> Iterator[Terminal]:
    corpus = write_corpus(tmp_path)
    term = Terminal()
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
        term.kill_server()


def test_first_paint_shows_titles_and_counts(terminal: Terminal) -> None:
    screen = terminal.screen()
    for row in ROWS:
        assert row["title"] in screen
    assert "Reader" in screen and "Keywords" in screen


def test_filtering_by_keyboard(terminal: Terminal) -> None:
    terminal.keys("/")
    terminal.type("pipeline")
    # The list changes first and the reader follows a frame later: wait for both.
    screen = terminal.wait(
        lambda text: f"1 of {TOTAL}" in text and "Energy markets brace for winter" not in text,
        "the one matching row, in the list and the reader",
    )
    assert "Russia and Turkey talk pipelines" in screen
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
