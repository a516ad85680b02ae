"""ArticleList: a virtual list of articles (a `RowList`: Textual's line API).

It holds the Polars frame it is handed and formats a row only when that row is painted, so
showing 100k rows costs the same as showing 20. The first line of the viewport is a fixed
column header.

Columns: bookmark (`★`), kind marker (`•` article, `◦` teaser, dimmed once read), title,
section, date, words, top keywords. The section, date and keywords columns drop out when the
widget is narrow; the date column is there only when the corpus has a dated article (`dated`).
A teaser's `age` (`3 hours ago`, relative to a scrape nobody dated) is not a date and never
shows in it. Read marks and bookmarks are sets of ids the app hands over (`read_ids`,
`bookmarked_ids`): a painted row costs two set lookups.

Before its first frame, it can show the first screen the last session stored
(`show_preview`, `core.first_screen`): plain lists of values, so this module imports
without Polars, and the first frame replaces them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from tui.widgets.row_list import RowList, fit_cells

if TYPE_CHECKING:
    import polars as pl

    from core.first_screen import FirstScreen

_KIND_MARKERS = {"article": "•", "teaser": "◦"}
_BOOKMARK = "★"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Cell widths of the columns for one widget width (0 = column hidden)."""

    marker: int
    title: int
    section: int
    date: int
    words: int
    keywords: int


DATE_WIDTH = 10
"""Cells of a date (`2021-06-15`)."""


def _layout(width: int, dated: bool = False) -> _Layout:
    marker, words = 3, 7
    section = 16 if width >= 70 else 0
    date = DATE_WIDTH if dated and width >= 50 else 0
    keywords = max(24, width // 4) if width >= 100 else 0
    others = sum(cells + 1 for cells in (section, date, keywords) if cells)
    title = max(8, width - marker - words - others)
    return _Layout(marker, title, section, date, words, keywords)


class ArticleList(RowList):
    """The list of articles in the current view.

    | Key | Action |
    | :- | :- |
    | `j`, `down` | Cursor down. |
    | `k`, `up` | Cursor up. |
    | `g`, `home` | First row. |
    | `G`, `end` | Last row. |
    | `pageup` / `pagedown` | Up / down one page. |
    | `enter` | Read the article under the cursor. |
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "First row", show=False, id="list.first"),
        Binding("G,end", "last", "Last row", show=False, id="list.last"),
        Binding("pageup", "page_up_rows", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down_rows", "Page down", show=False, id="list.page_down"),
        Binding("enter", "select", "Read", id="list.select"),
    ]

    COMPONENT_CLASSES = {
        "article-list--header",
        "article-list--cursor",
        "article-list--teaser",
        "article-list--muted",
        "article-list--empty",
        "article-list--read",
        "article-list--bookmark",
    }
    """
    | Class | Description |
    | :- | :- |
    | `article-list--header` | The column header line. |
    | `article-list--cursor` | The row under the cursor. |
    | `article-list--teaser` | Rows that are teasers rather than articles. |
    | `article-list--muted` | Secondary columns (section, words, keywords). |
    | `article-list--empty` | The message shown when there are no rows. |
    | `article-list--read` | The kind marker and title of an article already read. |
    | `article-list--bookmark` | The bookmark star. |
    """

    HEADER_ROWS: ClassVar[int] = 1
    EMPTY_CLASS: ClassVar[str] = "article-list--empty"

    class Highlighted(Message):
        """The cursor moved to a row (also sent after the list is refilled)."""

        def __init__(self, article_list: ArticleList, row: int, article_id: str | None) -> None:
            super().__init__()
            self.article_list = article_list
            """The list that sent the message."""
            self.row = row
            """Row index in the current frame."""
            self.article_id = article_id
            """Id of the article under the cursor, None when the list is empty."""

        @property
        def control(self) -> ArticleList:
            return self.article_list

    class Selected(Message):
        """`enter` was pressed on a row."""

        def __init__(self, article_list: ArticleList, row: int, article_id: str) -> None:
            super().__init__()
            self.article_list = article_list
            """The list that sent the message."""
            self.row = row
            """Row index in the current frame."""
            self.article_id = article_id
            """Id of the selected article."""

        @property
        def control(self) -> ArticleList:
            return self.article_list

    class RowsPainted(Message):
        """Rows were painted for the first time (sent once, and once more for the first
        frame's rows after a preview's): they are on screen when this is handled, which a
        callback after the next refresh does not promise."""

        def __init__(self, preview: bool) -> None:
            super().__init__()
            self.preview = preview
            """The rows painted were the stored first screen's (`show_preview`)."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._rows_painted = False
        self._frame: pl.DataFrame | None = None
        self._preview: FirstScreen | None = None
        self._columns: dict[str, pl.Series | Sequence[object]] = {}
        self.empty_message = "Loading…"
        self.read_ids: set[str] | frozenset[str] = frozenset()
        """Ids of the articles read (their rows are dimmed); the app's set, not a copy."""
        self.bookmarked_ids: set[str] | frozenset[str] = frozenset()
        """Ids of the bookmarked articles (their rows show a star); the app's set, not a copy."""
        self.dated = False
        """The list has a date column (some article of the corpus has a date)."""

    # -- data ---------------------------------------------------------------------------------

    @property
    def frame(self) -> pl.DataFrame:
        """The frame being shown (empty before the first, and while a preview is shown)."""
        if self._frame is None:
            import polars as pl

            return pl.DataFrame()
        return self._frame

    @property
    def previewing(self) -> bool:
        """The rows shown are the stored first screen (`show_preview`), not a frame yet."""
        return self._preview is not None

    @property
    def row_count(self) -> int:
        """Number of rows in the list."""
        if self._preview is not None:
            return len(self._preview.rows)
        return 0 if self._frame is None else self._frame.height

    def show_preview(self, preview: FirstScreen) -> None:
        """Show the rows of the first screen stored by the last session until the first
        frame comes (`set_frame`): the same rows, read marks and stars, without Polars."""
        self._preview = preview
        self._columns = {name: [row[index] for row in preview.rows] for index, name in enumerate(preview.columns)}
        self.read_ids = preview.read
        self.bookmarked_ids = preview.bookmarked
        self.dated = any(self._columns.get("date", ()))
        self.rows_replaced(0)

    def set_frame(
        self, frame: pl.DataFrame, *, keep_id: str | None = None, keep_scroll: bool = False, dated: bool | None = None
    ) -> None:
        """Show `frame`; the cursor goes to row 0 (or stays on `keep_id` when it is still there).
        With `keep_scroll`, the cursor's row stays where it is on screen (rows came or went
        around it), else the view centres it. `dated`: show the date column (the corpus has
        dates); None: when `frame` has a date.

        O(1) in the number of rows: nothing is formatted until a row is painted.
        """
        import polars as pl

        if self._preview is not None:
            self._preview = None
            self._rows_painted = False  # the frame's first paint is reported too
        self._frame = frame
        self._columns = {
            name: frame.get_column(name)
            for name in ("id", "kind", "title", "section", "date", "words", "kw_top")
            if name in frame.columns
        }
        if dated is None:
            dated = "date" in frame.columns and frame.get_column("date").null_count() < frame.height
        self.dated = dated
        row = 0
        if keep_id is not None and frame.height:
            found = frame.select(pl.arg_where(pl.col("id") == keep_id)).to_series()
            if found.len():
                row = int(found[0])
        on_screen = self.cursor - round(self.scroll_y)
        self.rows_replaced(row, scroll=max(0, row - on_screen) if keep_scroll else None)

    def article_id_at(self, row: int) -> str | None:
        """Id of the article at `row`, None when out of range."""
        if 0 <= row < self.row_count:
            return str(self._columns["id"][row])
        return None

    def refresh_article(self, article_id: str) -> None:
        """Repaint the row of `article_id` (its read mark or bookmark changed)."""
        self._line_cache.clear()
        row = self.row_of(article_id)
        if row is not None:
            self._refresh_row(row)

    def row_of(self, article_id: str) -> int | None:
        """Row of `article_id` in the current frame, None when not shown."""
        if self._frame is None or not self._frame.height:
            return None
        import polars as pl

        found = self._frame.select(pl.arg_where(pl.col("id") == article_id)).to_series()
        return int(found[0]) if found.len() else None

    # -- cursor -------------------------------------------------------------------------------

    def cursor_moved(self, row: int) -> None:
        self.post_message(self.Highlighted(self, row, self.article_id_at(row)))

    def action_select(self) -> None:
        article_id = self.article_id_at(self.cursor)
        if article_id is not None:
            self.post_message(self.Selected(self, self.cursor, article_id))

    # -- rendering ----------------------------------------------------------------------------

    def render_header(self, y: int, width: int, base: Style) -> Strip:
        layout = _layout(width, self.dated)
        style = base + self.get_component_rich_style("article-list--header")
        parts = [" " * layout.marker, fit_cells("Title", layout.title)]
        if layout.section:
            parts.append(" " + fit_cells("Section", layout.section))
        if layout.date:
            parts.append(" " + fit_cells("Date", layout.date))
        parts.append(f"{'Words':>{layout.words}}")
        if layout.keywords:
            parts.append(" " + fit_cells("Keywords", layout.keywords))
        return Strip([Segment(fit_cells("".join(parts), width), style)], width)

    def render_row(self, row: int, width: int, base: Style, is_cursor: bool) -> Strip:
        if not self._rows_painted:
            self._rows_painted = True
            # Made on the list's own queue: made here, mid-paint, the message would count the
            # screen as its sender and stop bubbling there. It is handled after the paint.
            preview = self.previewing
            self.call_later(lambda: self.post_message(self.RowsPainted(preview)))
        layout = _layout(width, self.dated)
        columns = self._columns
        kind = str(columns["kind"][row]) if "kind" in columns else "article"
        article_id = str(columns["id"][row])
        style = base
        if kind == "teaser":
            style += self.get_component_rich_style("article-list--teaser")
        muted = style + self.get_component_rich_style("article-list--muted")
        title_style, marker_style = style, muted
        if article_id in self.read_ids:
            read = self.get_component_rich_style("article-list--read")
            title_style, marker_style = style + read, muted + read
        star_style = style + self.get_component_rich_style("article-list--bookmark")
        if is_cursor:
            cursor = self.get_component_rich_style("article-list--cursor")
            style, muted, star_style = style + cursor, muted + cursor, star_style + cursor
            title_style, marker_style = title_style + cursor, marker_style + cursor
        star = _BOOKMARK if article_id in self.bookmarked_ids else " "
        segments = [
            Segment(star, star_style),
            Segment(fit_cells(_KIND_MARKERS.get(kind, "?"), layout.marker - 1), marker_style),
            Segment(fit_cells(columns["title"][row], layout.title), title_style),
        ]
        if layout.section:
            segments.append(Segment(" " + fit_cells(columns["section"][row], layout.section), muted))
        if layout.date:
            date = columns["date"][row] if "date" in columns else None
            segments.append(Segment(" " + fit_cells(str(date or ""), layout.date), muted))
        words = columns["words"][row] if "words" in columns else None
        segments.append(Segment(f"{'' if words is None else words:>{layout.words}}", muted))
        if layout.keywords:
            keywords = columns["kw_top"][row] if "kw_top" in columns else ""
            segments.append(Segment(" " + fit_cells(keywords, layout.keywords), muted))
        used = sum(segment.cell_length for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments, width).crop(0, width)
