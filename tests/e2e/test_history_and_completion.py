"""The filter history and export path completion through the real `newsdesk` command in tmux:
`up` in the filter bar brings back the filter entered before, and `tab` in the export prompt
completes a folder name the terminal sends as a real tab key; keys typed right after those
(and after `ctrl+u`) land after them, not before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_state_and_export import filter_to_one, start
from tests.e2e.tmux import TMUX
from tests.tui.corpus import TOTAL, write_corpus

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")


def test_up_recalls_a_filter_and_tab_completes_the_export_folder(tmp_path: Path, isolated_dirs: Path) -> None:
    corpus = write_corpus(tmp_path)
    out = tmp_path / "out"
    (out / "reports-2021").mkdir(parents=True)
    term = start(tmp_path, isolated_dirs, corpus, export_dir=out)
    try:
        filter_to_one(term)
        term.keys("/", "C-u")
        term.type("natural")  # at once: the clear runs before the typing, not after it
        term.keys("Enter")
        term.wait_for(f"2 of {TOTAL}")
        term.keys("/", "Up")  # "natural" is shown: the entry before it, and typing goes on from it
        term.type(" talk")
        term.wait(lambda screen: f"1 of {TOTAL}" in screen and "filter: pipeline talk" in screen, "pipeline recalled")
        term.keys("Enter")
        term.wait(lambda screen: "⏎ Read" in screen.splitlines()[-1], "the list focused")
        term.keys("e")
        term.wait_for("extension picks the format")
        term.keys("End", "C-u")
        term.wait(lambda screen: "newsdesk-export-" not in screen, "the suggested name cleared")
        term.type("rep")
        term.keys("Tab")
        term.type("x.md")
        term.wait_for("reports-2021/x.md")
        term.keys("Enter")
        term.wait_for("Exported 1 row to")
        text = (out / "reports-2021" / "x.md").read_text(encoding="utf-8")
        assert "Russia and Turkey talk pipelines" in text
    finally:
        term.kill_server()
