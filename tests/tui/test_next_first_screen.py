"""What the next open paints first (`tui.first_screen.first_screen_of`): the top rows of the
view on screen, with only their own read marks and stars, from a real Polars frame."""

from __future__ import annotations

import polars as pl

from core.first_screen import COLUMNS, FIRST_SCREEN_ROWS
from core.state import CorpusState
from tui.first_screen import first_screen_of


def test_the_next_first_screen_holds_the_top_rows_and_only_their_marks() -> None:
    height = FIRST_SCREEN_ROWS + 20
    frame = pl.DataFrame(
        {
            "id": [f"a{n}" for n in range(height)],
            "title": [f"Title {n}" for n in range(height)],
            "section": ["World"] * height,
            "words": list(range(height)),
            "body": ["not stored"] * height,
        }
    )  # no `kind` column: a corpus of articles only
    last = f"a{height - 1}"
    state = CorpusState(read={"a0", last}, bookmarks={"a1", last}, last_filter="", sort="title")

    screen = first_screen_of(frame, "section:World", "title", 1_000, state)

    assert len(screen.rows) == FIRST_SCREEN_ROWS
    assert screen.rows[1] == ("a1", "article", "Title 1", "World", 1, None)
    assert all(len(row) == len(COLUMNS) for row in screen.rows)
    assert screen.read == {"a0"} and screen.bookmarked == {"a1"}  # the last row is not on it
    assert (screen.shown, screen.total, screen.filter, screen.sort) == (height, 1_000, "section:World", "title")
