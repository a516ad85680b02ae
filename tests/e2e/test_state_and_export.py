"""Reading state and export through the real `newsdesk` command in tmux.

Persistence: bookmark, filter and sort, quit with `q`, start `newsdesk` again on the same
corpus with the same NEWSDESK_STATE_DIR: the filter, sort and bookmark are back on screen,
and the quit stored the first screen the second start paints (`core.first_screen`).
Export: `e`, accept the suggested name with `enter`, read the file back with Polars.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
import pytest

from core.first_screen import read_first_screen
from tests.e2e.tmux import TMUX, TmuxPane
from tests.tui.corpus import TOTAL, write_corpus

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


def start(tmp_path: Path, isolated_dirs: Path, corpus: Path, *, export_dir: Path) -> TmuxPane:
    """Run newsdesk on `corpus` in a new tmux server, from `export_dir` (where `e` suggests files)."""
    term = TmuxPane()
    env = {"NEWSDESK_CACHE_DIR": str(isolated_dirs / "cache"), "NEWSDESK_STATE_DIR": str(isolated_dirs / "state")}
    run = (
        "env -u COLUMNS -u LINES "
        + " ".join(f"{k}={v}" for k, v in env.items())
        + f" uv run --project {REPO} newsdesk {corpus}"
    )
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(export_dir), run)
    term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
    return term


def filter_to_one(term: TmuxPane, text: str = "pipeline") -> None:
    """Once the corpus is on screen, type `text` into the filter and apply it: one row left."""
    term.wait_for(f"{TOTAL} of {TOTAL}", timeout=60)
    term.keys("/")
    term.type(text)
    term.keys("Enter")
    term.wait_for(f"1 of {TOTAL}")


def quit_app(term: TmuxPane) -> None:
    term.keys("q")
    deadline = time.monotonic() + 20
    while term.value("#{pane_dead}") != "1":
        assert time.monotonic() < deadline, term.screen()
        time.sleep(0.1)


def test_bookmark_filter_and_sort_survive_a_restart(tmp_path: Path, isolated_dirs: Path) -> None:
    corpus = write_corpus(tmp_path)
    term = start(tmp_path, isolated_dirs, corpus, export_dir=tmp_path)
    try:
        term.wait_for(f"{TOTAL} of {TOTAL}", timeout=60)
        term.keys("j", "b")  # bookmark "Russia and Turkey talk pipelines"
        term.wait_for("Bookmarked")
        term.keys("s", "s", "s")  # relevance -> title -> section -> length
        term.wait_for("sort: length")
        term.keys("/")
        term.type("natural")
        term.keys("Enter")
        term.wait_for(f"2 of {TOTAL}")
        quit_app(term)
    finally:
        term.kill_server()
    first_screen = read_first_screen([corpus])  # the same NEWSDESK_CACHE_DIR as the command's
    assert first_screen is not None
    assert (first_screen.filter, first_screen.sort, first_screen.shown, len(first_screen.rows)) == ("natural", "length", 2, 2)
    assert len(first_screen.bookmarked) == 1

    term = start(tmp_path, isolated_dirs, corpus, export_dir=tmp_path)
    try:
        screen = term.wait_for(f"2 of {TOTAL}", timeout=60)  # the filter is applied again
        assert "sort: length" in screen
        assert "natural" in screen.splitlines()[0] or "filter: natural" in screen
        (line,) = [line for line in screen.splitlines() if "Russia and Turkey talk pipelines" in line and "★" in line]
        assert line
        assert not [line for line in screen.splitlines() if "Energy markets brace" in line and "★" in line]
    finally:
        term.kill_server()


def test_e_enter_exports_the_view_where_newsdesk_runs(tmp_path: Path, isolated_dirs: Path) -> None:
    corpus = write_corpus(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    term = start(tmp_path, isolated_dirs, corpus, export_dir=out)
    try:
        filter_to_one(term)
        term.keys("e")
        term.wait_for("extension picks the format")
        term.keys("Enter")
        term.wait_for("Exported 1 row to")
        (target,) = out.glob("newsdesk-export-*.csv")
        frame = pl.read_csv(target)
        assert frame.get_column("title").to_list() == ["Russia and Turkey talk pipelines"]
        assert "keywords" in frame.columns
    finally:
        term.kill_server()
