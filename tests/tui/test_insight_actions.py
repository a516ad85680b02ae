"""Insight the user can act on and read, pressed with real keys on the test corpus
(tests/tui/corpus.py): the distinctive panel names its columns (it is ranked by G², which it
shows), `enter` on a section of the overview filters by it, `enter` on a period of a keyword's
trends filters by it, and the trends legend says what its numbers are."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.corpus import make_app, ready, screen_text, settle, wait_for
from tui.app import NewsdeskApp

SIZE = (120, 40)


async def type_filter(pilot: Pilot, text: str) -> None:
    """Type `text` into the filter bar as a user does, and wait for its rows."""
    app = pilot.app
    assert isinstance(app, NewsdeskApp)
    await pilot.press("slash", *text, "enter")
    await wait_for(pilot, lambda: app.filtering.applied == text, what=f"filter {text}")
    await settle(pilot)


def panel_lines(app: NewsdeskApp) -> list[str]:
    """The keyword panel's lines as painted."""
    panel = app.keyword_panel
    return [strip.text for strip in (panel.render_line(y) for y in range(panel.header_rows + panel.row_count))]


# --- distinctive keywords ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "header", "storage"),
    [
        # The panel's width decides how many count columns stand beside the keyword; G², what
        # the list is sorted by, always does.
        ((80, 24), "    G² view keyword", "   5.4    1 storage"),
        ((120, 40), "    G² view rest keyword", "   5.4    1    0 storage"),
    ],
)
@pytest.mark.asyncio
async def test_distinctive_keywords_show_their_g2_under_a_header(
    tmp_path: Path, size: tuple[int, int], header: str, storage: str
) -> None:
    async with make_app(tmp_path).run_test(size=size) as pilot:
        app = await ready(pilot)
        panel = app.keyword_panel
        await type_filter(pilot, "section:energy")
        await pilot.press("tab", "tab", "d")
        await wait_for(pilot, lambda: panel.keywords == ["Europe", "storage", "natural gas"], what="distinctive")
        await pilot.pause()
        # c = 1 (Energy), d = 5: storage is 1 vs 0, natural gas 1 vs 1.
        g2_storage = 2 * (math.log(6) + 5 * math.log(5 / (25 / 6)))
        g2_gas = 2 * (math.log(1 / (1 / 3)) + math.log(1 / (10 / 6)) + 4 * math.log(4 / (20 / 6)))
        assert (f"{g2_storage:.1f}", f"{g2_gas:.1f}") == ("5.4", "2.6")
        lines = panel_lines(app)
        assert lines[0].rstrip() == header
        assert lines[2].rstrip() == storage
        assert lines[3].startswith("   2.6 ")
        assert header in screen_text(app) and storage in screen_text(app)
        # The view's keywords are counts, in order: no header there.
        await pilot.press("d")
        assert panel.mode == "view" and panel.header_rows == 0
        assert panel_lines(app)[0].split() == ["1", "natural", "gas"]
