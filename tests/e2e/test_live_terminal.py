"""The real `newsdesk` in a real terminal follows its folder: a page written into the folder
while it runs shows its title, and the status bar counts it as new."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.tmux import TMUX, TmuxPane
from tests.live.pages import write_page

REPO = Path(__file__).resolve().parents[2]
NEW_TITLE = "Rail strike ends after a week of talks"

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


def test_a_page_written_into_the_folder_appears(tmp_path: Path, isolated_dirs: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "old.jsonl", "Grain deal extended", "Ports reopen after the storm")
    term = TmuxPane()
    env = {"NEWSDESK_CACHE_DIR": str(isolated_dirs / "cache"), "NEWSDESK_STATE_DIR": str(isolated_dirs / "state")}
    run = "env -u COLUMNS -u LINES " + " ".join(f"{k}={v}" for k, v in env.items()) + f" uv run newsdesk {folder}"
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(REPO), run)
    try:
        term.wait_for("2 of 2", timeout=60)
        # The watch starts once the corpus is on screen: a page written before it is in place
        # is not seen, so the page is written again (a scraper rewriting it) until it shows.
        deadline = time.monotonic() + 60
        while NEW_TITLE not in term.screen():
            assert time.monotonic() < deadline, f"{NEW_TITLE!r} never appeared:\n{term.screen()}"
            write_page(folder / "new.jsonl", NEW_TITLE)
            try:
                term.wait_for(NEW_TITLE, timeout=5)
            except AssertionError:
                continue
        screen = term.wait_for("+1 new")
        assert "3 of 3" in screen
    finally:
        term.kill_server()
