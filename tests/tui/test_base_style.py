"""The panes' cached base style follows a theme change (tui/widgets/base_style.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.corpus import make_app, ready, settle

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


async def test_a_theme_change_reaches_the_cached_base_style_of_every_pane(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        panes = (app.article_list, app.reader, app.keyword_panel)
        before = [pane.base_style for pane in panes]
        assert before == [pane.rich_style for pane in panes]
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(pilot)
        after = [pane.base_style for pane in panes]
        assert after == [pane.rich_style for pane in panes]
        assert all(old.bgcolor != new.bgcolor for old, new in zip(before, after, strict=True))
        # What is painted follows too: the reader's first line is drawn on the new background.
        assert list(app.reader.render_line(0))[0].style.bgcolor == after[1].bgcolor  # type: ignore[union-attr]

