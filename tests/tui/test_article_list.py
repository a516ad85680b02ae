"""ArticleList on its own in a host app (Pilot): it says once when its rows are first painted."""

from __future__ import annotations

import polars as pl
import pytest
from textual.app import App, ComposeResult

from tui.widgets.article_list import ArticleList

pytestmark = pytest.mark.asyncio

FRAME = pl.DataFrame(
    {
        "id": ["a", "b"],
        "kind": ["article", "teaser"],
        "title": ["Harbour expansion approved", "Trams go north"],
        "section": ["City", None],
        "words": [120, 40],
        "kw_top": ["harbour", "trams"],
    }
)


class _Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.painted: list[int] = []
        """The list's row count each time it said its rows were painted."""

    def compose(self) -> ComposeResult:
        yield ArticleList()

    def on_article_list_rows_painted(self, message: ArticleList.RowsPainted) -> None:
        self.painted.append(self.query_one(ArticleList).row_count)


async def test_the_list_says_once_that_its_rows_are_painted_and_not_for_its_empty_message() -> None:
    app = _Host()
    async with app.run_test(size=(100, 10)) as pilot:
        articles = app.query_one(ArticleList)
        await pilot.pause()
        assert app.painted == []  # "Loading…" is on screen, no rows
        articles.set_frame(FRAME)
        await pilot.pause()
        await pilot.pause()
        assert app.painted == [2]
        articles.set_frame(FRAME.head(1))
        articles.cursor = 0
        await pilot.pause()
        await pilot.pause()
        assert app.painted == [2]
