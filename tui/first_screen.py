"""The first screen: the rows the list shows first when a corpus opens, before it is loaded.

A warm open paints what the list showed when the last session saved its state
(`core.first_screen`), without Polars; the loaded rows replace them. Until then the cursor
moves over them, and what acts on an article says the corpus is still opening
(`FirstScreens.still_opening`). Once loaded, the rows on screen are remembered, and
written (with the reading state, `tui.reading_state`) for the next open.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.first_screen import COLUMNS, FIRST_SCREEN_ROWS, FirstScreen, write_first_screen
from core.state import CorpusState
from core.sorts import is_sort

if TYPE_CHECKING:
    import polars as pl

    from tui.app import NewsdeskApp


def first_screen_of(frame: pl.DataFrame, text: str, sort: str, total: int, state: CorpusState) -> FirstScreen:
    """What the list shows first when the corpus opens next time, if `frame` is on screen
    now under filter `text` and `sort`, out of `total` articles."""
    import polars as pl

    top = frame.head(FIRST_SCREEN_ROWS)
    defaults: dict[str, object] = {"kind": "article"}
    columns = [
        # dates as ISO text: what JSON holds and the list prints
        (top.get_column(name).cast(pl.String) if name == "date" else top.get_column(name)).to_list()
        if name in top.columns
        else [defaults.get(name)] * top.height
        for name in COLUMNS
    ]
    rows = list(zip(*columns, strict=True))
    ids = {str(row[0]) for row in rows}
    return FirstScreen(
        rows=rows,
        read=frozenset(ids & set(state.read)),
        bookmarked=frozenset(ids & set(state.bookmarks)),
        shown=frame.height,
        total=total,
        filter=text,
        sort=sort,
    )


class FirstScreens:
    """The stored first screen this open paints, and the one the next open will."""

    def __init__(self, app: NewsdeskApp, stored: FirstScreen | None) -> None:
        self._app = app
        self.stored = stored
        """What the last session stored, painted until the corpus's own rows come (None: nothing)."""
        self._source: tuple[pl.DataFrame, str, str, int] | None = None
        self.dirty = False
        """The rows on screen changed (or their marks did) since the first screen was last written."""

    def show(self, screen: FirstScreen) -> None:
        """Paint the rows the last session stored until the corpus's own come."""
        app = self._app
        app.article_list.show_preview(screen)
        if is_sort(screen.sort):
            app.filtering.sort = screen.sort
        if screen.filter.strip():
            app.filter_bar.set_value(screen.filter, apply=False)
        app.status_bar.set(shown=screen.shown, total=screen.total, filter=screen.filter.strip(), sort=app.filtering.sort)

    def still_opening(self) -> bool:
        """The list shows the stored first screen: what acts on its rows waits for the corpus
        (a fraction of a second), and says so."""
        if not self._app.article_list.previewing:
            return False
        self._app.notify("Still opening the corpus: one moment.", timeout=2)
        return True

    def remember(self, frame: pl.DataFrame, text: str, sort: str, total: int) -> None:
        """The loaded corpus's rows now on screen (stored with the next save of the state, or on quit)."""
        self._source = (frame, text, sort, total)
        self.dirty = True

    @property
    def remembered(self) -> bool:
        """The loaded corpus's rows have been on screen."""
        return self._source is not None

    def next(self, state: CorpusState) -> FirstScreen | None:
        """What the list would show first if the corpus were opened now; None until the
        corpus is loaded and on screen."""
        return None if self._source is None else first_screen_of(*self._source, state)

    def write(self, paths: Sequence[Path], state: CorpusState) -> None:
        """Write the next first screen if it changed; it stays owed until the snapshot it
        belongs to exists."""
        screen = self.next(state) if self.dirty else None
        if screen is not None and write_first_screen(paths, screen):
            self.dirty = False
