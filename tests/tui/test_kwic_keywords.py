"""KWIC opened from the keyword panel with real keys: a keyword extraction took from a
possessive (`Korean People Army` from real Wikinews text writing `Korean People's Army`) is
found, and each line keeps the text's own spacing around the match (no space added before the
punctuation after it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.core.wikinews import write_articles
from tests.tui.corpus import make_app, ready, screen_text, wait_for
from tui.app import NewsdeskApp, create_app
from tui.screens.kwic import KwicScreen

SIZE = (120, 40)


async def kwic_of(pilot: Pilot, keyword: str) -> KwicScreen:
    """Focus the keyword panel, move its cursor down to `keyword` with `j`, press `c`."""
    app = pilot.app
    assert isinstance(app, NewsdeskApp)
    await pilot.press("tab", "tab")
    assert app.keyword_panel.has_focus
    await pilot.press(*["j"] * app.keyword_panel.keywords.index(keyword))
    assert app.keyword_panel.current_keyword == keyword
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(app.screen, KwicScreen), what="KWIC screen")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, KwicScreen)
    return screen


@pytest.mark.asyncio
async def test_a_keyword_without_its_possessive_is_found_in_the_text(tmp_path: Path) -> None:
    write_articles(tmp_path, "GUM_news_korea", "GUM_news_asylum")
    # The app extracts the keywords itself, with the real extractor.
    app = create_app([tmp_path], export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: "Korean People Army" in app.keyword_panel.keywords, timeout=60, what="keywords")
        screen = await kwic_of(pilot, "Korean People Army")
        assert screen.lines.height == 2
        text = screen_text(app)
        assert "KWIC: Korean People Army (2 lines)" in text
        assert "commander of the Korean People's Army [KPA] that the" in text
        assert '"Commanders of the Korean People\'s Army were hastily' in text


@pytest.mark.asyncio
async def test_the_match_keeps_the_punctuation_after_it(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await kwic_of(pilot, "Ankara")
        text = screen_text(app)
        assert "talks resume next week in Ankara, officials said on Monday." in text
        assert "Ankara ," not in text


@pytest.mark.asyncio
async def test_no_occurrence_is_said_in_the_screen(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        # "[bold]" is a keyword of the markup article whose text never holds it as words.
        await kwic_of(pilot, "[bold]")
        text = screen_text(app)
        assert "KWIC: [bold] (0 lines)" in text
        assert "No occurrences of “[bold]” in the view." in text
