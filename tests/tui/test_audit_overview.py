"""The overview screen (`o`) shows the input audit's corpus total, counted in a worker thread:
"computing…" until it is ready, then every word of the files and where it went.

The test corpus (tests/tui/corpus.py) is a JSONL file of five rows and a plain-text article;
every cell of it maps onto a field and every line of the text is kept, so the total is the
words of all its cells and lines, all in records.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot

import core.audit
from core.sanitize import clean_text
from tests.tui.corpus import MARKUP_BODY, MARKUP_TITLE, ROWS, make_app, ready, wait_for
from tui.screens.overview import OverviewScreen

SIZE = (120, 40)


def summary_text(screen: OverviewScreen) -> str:
    pane = screen.query_one("#overview-summary")
    return str(pane.render())


async def open_overview(pilot: Pilot) -> OverviewScreen:
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, OverviewScreen) and pilot.app.screen.stats_shown, what="overview")
    screen = pilot.app.screen
    assert isinstance(screen, OverviewScreen)
    return screen


@pytest.mark.asyncio
async def test_o_shows_computing_then_the_corpus_total(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    counted_on: list[threading.Thread] = []
    audit_paths = core.audit.audit_paths

    def held(*args: object, **kwargs: object) -> core.audit.Audit:
        counted_on.append(threading.current_thread())
        assert release.wait(10), "the audit was never released"
        return audit_paths(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(core.audit, "audit_paths", held)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_overview(pilot)
        await wait_for(pilot, lambda: counted_on, what="the audit to start")
        assert counted_on[0] is not threading.main_thread()
        assert "computing…" in summary_text(screen)
        assert screen.audit_total is None
        release.set()
        await wait_for(pilot, lambda: screen.audit_total is not None, what="the audit total")
        await pilot.pause()
        total = screen.audit_total
        assert total is not None
        cells = sum(len(str(value).split()) for row in ROWS for value in row.values())
        # The body's OSC escape sequence is no word: cleaning removes it whole.
        text = len(MARKUP_TITLE.split()) + len(clean_text(MARKUP_BODY).split())
        assert (total.files, total.words, total.kept, total.dropped, total.unexplained) == (2, cells + text, cells + text, 0, 0)
        shown = summary_text(screen)
        assert "computing…" not in shown
        assert f"input       {cells + text:,}" in shown and "no reason   0" in shown


@pytest.mark.asyncio
async def test_closing_the_overview_cancels_the_audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    stopped: list[bool] = []
    audit_paths = core.audit.audit_paths

    def held(paths: list[Path], on_skip: object = None, cancelled: object = None) -> core.audit.Audit:
        assert release.wait(10), "the audit was never released"
        assert callable(cancelled)
        stopped.append(bool(cancelled()))
        return audit_paths(paths, cancelled=cancelled)

    monkeypatch.setattr(core.audit, "audit_paths", held)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_overview(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, OverviewScreen), what="the overview to close")
        release.set()
        await wait_for(pilot, lambda: stopped, what="the audit to look at its cancel flag")
        assert stopped == [True]
        assert screen.audit_total is None


@pytest.mark.asyncio
async def test_an_audit_that_fails_says_so_instead_of_computing_forever(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> core.audit.Audit:
        raise MemoryError

    monkeypatch.setattr(core.audit, "audit_paths", broken)
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = await open_overview(pilot)
        await wait_for(pilot, lambda: "not counted" in summary_text(screen), what="the failure on screen")
        assert "the audit failed (MemoryError)" in summary_text(screen)
        assert "computing…" not in summary_text(screen)
