"""`e` over an existing file in the real terminal: the prompt asks, a second enter replaces
the file, and the file keeps its 0600 mode."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.e2e.test_state_and_export import start
from tests.e2e.tmux import TMUX
from tests.tui.corpus import TOTAL, write_corpus

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


def test_e_asks_before_replacing_and_keeps_the_mode(tmp_path: Path, isolated_dirs: Path) -> None:
    corpus = write_corpus(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    notes = out / "notes.csv"
    notes.write_text("# private notes\n", encoding="utf-8")
    notes.chmod(0o600)
    term = start(tmp_path, isolated_dirs, corpus, export_dir=out)
    try:
        term.wait_for(f"{TOTAL} of {TOTAL}", timeout=60)
        term.keys("e")
        term.wait_for("extension picks the format")
        term.type("notes")  # over the selected name: the folder and the .csv stay
        term.wait(lambda screen: f"{out}/notes.csv " in screen, "the typed name")
        term.keys("Enter")
        term.wait_for("notes.csv exists: press enter again to replace it")
        assert notes.read_text(encoding="utf-8") == "# private notes\n"
        term.keys("Enter")
        term.wait_for(f"Exported {TOTAL} rows to")
        assert notes.read_text(encoding="utf-8").startswith("id,")
        assert stat.S_IMODE(notes.stat().st_mode) == 0o600
    finally:
        term.kill_server()
