"""Text typed in the real terminal stays where it is typed: a `/` inside a folder name in the
export prompt and inside a filter, typed in one burst (`send-keys -l`, as fast typing or a
paste without bracketed paste arrives) and pasted (tmux `paste-buffer -p`, bracketed paste)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_state_and_export import start
from tests.e2e.tmux import TMUX, TmuxPane
from tests.tui.corpus import TOTAL, write_corpus

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


def filter_line(screen: str) -> str:
    """The filter bar: the screen's first line."""
    return screen.splitlines()[0]


@pytest.fixture
def term(tmp_path: Path, isolated_dirs: Path) -> Iterator[TmuxPane]:
    corpus = write_corpus(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    pane = start(tmp_path, isolated_dirs, corpus, export_dir=out)
    try:
        pane.wait_for(f"{TOTAL} of {TOTAL}", timeout=60)
        yield pane
    finally:
        pane.kill_server()


def test_a_folder_typed_in_the_export_prompt_is_where_the_file_goes(term: TmuxPane, tmp_path: Path) -> None:
    (tmp_path / "out" / "a").mkdir()
    term.keys("e")
    term.wait_for("extension picks the format")
    term.keys("End", "C-u")  # then the name at once: the field clears before it takes the name
    term.type("a/b.csv")  # relative to the folder the app runs in
    screen = term.wait(lambda text: "a/b.csv" in text, "the typed name")
    assert "/ab.csv" not in screen
    term.keys("Enter")
    term.wait_for(f"Exported {TOTAL} rows to")
    assert (tmp_path / "out" / "a" / "b.csv").read_text(encoding="utf-8").startswith("id,")
    assert "a/b" not in filter_line(term.screen()) and f"{TOTAL} of {TOTAL}" in term.screen()


def test_a_filter_with_a_slash_is_typed_and_pasted_as_it_is(term: TmuxPane) -> None:
    term.keys("/")
    term.type("U.S./Russia")
    screen = term.wait(lambda text: "U.S./Russia" in filter_line(text), "the typed filter")
    assert "/U.S.Russia" not in screen
    term.keys("C-u")
    term.wait(lambda text: "Russia" not in filter_line(text), "the cleared filter")
    term.tmux("set-buffer", "-b", "typed", "pipe/line")
    term.tmux("paste-buffer", "-p", "-b", "typed", "-t", "main")
    term.wait(lambda text: "pipe/line" in filter_line(text), "the pasted filter")
    term.keys("C-u")
    term.type("pipeline")
    term.wait(lambda text: f"1 of {TOTAL}" in text, "the filter applies")
