"""`y` in a real terminal: the app's OSC 52 write reaches tmux, which keeps it as a paste buffer.

tmux with `set-clipboard on` accepts OSC 52 from the program in the pane and stores the text
as its newest paste buffer (`show-buffer` prints it), the same path the copy takes through
SSH into the user's own terminal. The option is set in the server's config file, so it is
on before the app starts.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TMUX, TmuxPane
from tests.tui.corpus import ROWS, TOTAL, write_corpus

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


@pytest.fixture
def pane(tmp_path: Path, isolated_dirs: Path) -> Iterator[TmuxPane]:
    corpus = write_corpus(tmp_path)
    config = tmp_path / "tmux.conf"
    config.write_text("set-option -g set-clipboard on\n", encoding="utf-8")
    term = TmuxPane()
    env = {"NEWSDESK_CACHE_DIR": str(isolated_dirs / "cache"), "NEWSDESK_STATE_DIR": str(isolated_dirs / "state")}
    run = "env -u COLUMNS -u LINES " + " ".join(f"{k}={v}" for k, v in env.items()) + f" uv run newsdesk {corpus}"
    term.tmux("-f", str(config), "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(REPO), run)
    term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
    try:
        assert term.tmux("show-options", "-g", "-s", "set-clipboard").split() == ["set-clipboard", "on"]
        term.wait_for(f"{TOTAL} of {TOTAL}", timeout=60)
        yield term
    finally:
        term.kill_server()


def wait_for_buffer(pane: TmuxPane, predicate, what: str, timeout: float = 15.0) -> str:
    """Poll tmux's newest paste buffer until `predicate(buffer)` holds."""
    deadline = time.monotonic() + timeout
    buffer = ""
    while time.monotonic() < deadline:
        try:
            buffer = pane.tmux("show-buffer")
        except RuntimeError:  # no buffer yet
            buffer = ""
        if predicate(buffer):
            return buffer
        time.sleep(0.1)
    raise AssertionError(f"waiting for {what} in tmux's paste buffer; it holds {buffer!r}; screen:\n{pane.screen()}")


def test_y_copies_the_article_then_the_keyword_into_tmux(pane: TmuxPane) -> None:
    first = ROWS[0]
    pane.keys("y")
    buffer = wait_for_buffer(pane, lambda text: text.startswith(first["title"]), "the article")
    assert buffer == f"{first['title']}\n{first['source']}\n\n{first['body']}"
    pane.wait_for("Copied article")

    pane.keys("Tab", "Tab")  # list -> reader -> keyword panel
    copied: list[str] = []
    deadline = time.monotonic() + 60
    while not copied:  # keywords are extracted in the background: y copies the article until then
        assert time.monotonic() < deadline, pane.screen()
        pane.keys("y")
        time.sleep(0.5)
        copied = re.findall(r"Copied keyword '([^']+)'", pane.screen())
    keyword = copied[-1]  # what the app says it copied: the keyword under the panel's cursor
    wait_for_buffer(pane, lambda text: text == keyword, f"the keyword {keyword!r}")
