"""ArticleList: a virtual list of articles on Textual's line API.

It holds the Polars frame it is handed and formats a row only when that row is painted
(`render_line`), keeping the rendered strips in an LRU cache, so showing 100k rows costs the
same as showing 20. The cursor is a reactive with `repaint=False`: moving it refreshes just
the two changed lines. The first line of the viewport is a fixed column header.

Columns: bookmark (`★`), kind marker (`•` article, `◦` teaser, dimmed once read), title,
section, words, top keywords. The section and keywords columns drop out when the widget is
narrow. Read marks and bookmarks are sets of ids the app hands over (`read_ids`,
`bookmarked_ids`): a painted row costs two set lookups.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.sanitize import clean_text

_HEADER_ROWS = 1
_KIND_MARKERS = {"article": "•", "teaser": "◦"}
_BOOKMARK = "★"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Cell widths of the columns for one widget width (0 = column hidden)."""

    marker: int
    title: int
    section: int
    words: int
    keywords: int


def _layout(width: int) -> _Layout:
    marker, words = 3, 7
    section = 16 if width >= 70 else 0
    keywords = max(24, width // 4) if width >= 100 else 0
    title = max(8, width - marker - words - (section + 1 if section else 0) - (keywords + 1 if keywords else 0))
    return _Layout(marker, title, section, words, keywords)


def _cell(text: str | None, width: int) -> str:
    """`text` made safe and one line, truncated with an ellipsis or padded to `width` cells."""
    value = clean_text(text or "").replace("\n", " ").replace("\t", " ")
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


class ArticleList(ScrollView, can_focus=True):
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

    cursor: reactive[int] = reactive(0, repaint=False, always_update=True)
    """Index of the row under the cursor (in the current frame)."""

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

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._frame: pl.DataFrame = pl.DataFrame()
        self._columns: dict[str, pl.Series] = {}
        self._line_cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self.empty_message = "Loading…"
        """What the list says when it has no rows."""
        self.read_ids: set[str] | frozenset[str] = frozenset()
        """Ids of the articles read (their rows are dimmed); the app's set, not a copy."""
        self.bookmarked_ids: set[str] | frozenset[str] = frozenset()
        """Ids of the bookmarked articles (their rows show a star); the app's set, not a copy."""

    # -- data ---------------------------------------------------------------------------------

    @property
    def frame(self) -> pl.DataFrame:
        """The frame being shown."""
        return self._frame

    @property
    def row_count(self) -> int:
        """Number of rows in the list."""
        return self._frame.height

    def set_frame(self, frame: pl.DataFrame, *, keep_id: str | None = None) -> None:
        """Show `frame`; the cursor goes to row 0 (or stays on `keep_id` when it is still there).

        O(1) in the number of rows: nothing is formatted until a row is painted.
        """
        self._frame = frame
        self._columns = {
            name: frame.get_column(name)
            for name in ("id", "kind", "title", "section", "words", "kw_top")
            if name in frame.columns
        }
        self._line_cache.clear()
        size = Size(self.size.width, frame.height + _HEADER_ROWS)
        if size != self.virtual_size:
            # Assigning `virtual_size` asks for a layout pass of the whole screen (every pane
            # re-rendered) on each filter; the list's box does not change, only its scroll
            # range, so update that alone, as the reader does. (A scrollbar appearing or going
            # still lays out.)
            self.set_reactive(ArticleList.virtual_size, size)
            self._scroll_update(size)
        row = 0
        if keep_id is not None and frame.height:
            found = frame.select(pl.arg_where(pl.col("id") == keep_id)).to_series()
            if found.len():
                row = int(found[0])
        self.scroll_to(y=max(0, row - self._page_rows() // 2) if row else 0, animate=False, immediate=True)
        self.cursor = row
        self.refresh()

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
        if not self.row_count:
            return None
        found = self._frame.select(pl.arg_where(pl.col("id") == article_id)).to_series()
        return int(found[0]) if found.len() else None

    # -- cursor -------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.row_count - 1)) if self.row_count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted(self, new, self.article_id_at(new)))

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - _HEADER_ROWS)

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        page = self._page_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        y = row - round(self.scroll_y) + _HEADER_ROWS
        if _HEADER_ROWS <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.row_count - 1

    def action_page_down_rows(self) -> None:
        self.cursor += self._page_rows()

    def action_page_up_rows(self) -> None:
        self.cursor -= self._page_rows()

    def action_select(self) -> None:
        article_id = self.article_id_at(self.cursor)
        if article_id is not None:
            self.post_message(self.Selected(self, self.cursor, article_id))

    def _on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = round(self.scroll_y) + offset.y - _HEADER_ROWS
        if offset.y >= _HEADER_ROWS and 0 <= row < self.row_count:
            self.cursor = row
            if event.chain > 1:
                self.action_select()

    # -- rendering ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, self.row_count + _HEADER_ROWS)

    def on_focus(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y < _HEADER_ROWS:
            return self._render_header(width, base)
        row = round(self.scroll_y) + y - _HEADER_ROWS
        if not self.row_count:
            if y == _HEADER_ROWS:
                style = base + self.get_component_rich_style("article-list--empty")
                return Strip([Segment(_cell(" " + self.empty_message, width), style)], width)
            return Strip.blank(width, base)
        if row >= self.row_count:
            return Strip.blank(width, base)
        is_cursor = row == self.cursor
        key = (row, width, is_cursor, self.has_focus)
        cached = self._line_cache.get(key)
        if cached is None:
            cached = self._render_row(row, width, base, is_cursor)
            self._line_cache[key] = cached
        return cached.apply_offsets(0, row)

    def _render_header(self, width: int, base: Style) -> Strip:
        layout = _layout(width)
        style = base + self.get_component_rich_style("article-list--header")
        parts = [" " * layout.marker, _cell("Title", layout.title)]
        if layout.section:
            parts.append(" " + _cell("Section", layout.section))
        parts.append(f"{'Words':>{layout.words}}")
        if layout.keywords:
            parts.append(" " + _cell("Keywords", layout.keywords))
        return Strip([Segment(_cell("".join(parts), width), style)], width)

    def _render_row(self, row: int, width: int, base: Style, is_cursor: bool) -> Strip:
        layout = _layout(width)
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
            Segment(_cell(_KIND_MARKERS.get(kind, "?"), layout.marker - 1), marker_style),
            Segment(_cell(columns["title"][row], layout.title), title_style),
        ]
        if layout.section:
            segments.append(Segment(" " + _cell(columns["section"][row], layout.section), muted))
        words = columns["words"][row] if "words" in columns else None
        segments.append(Segment(f"{'' if words is None else words:>{layout.words}}", muted))
        if layout.keywords:
            keywords = columns["kw_top"][row] if "kw_top" in columns else ""
            segments.append(Segment(" " + _cell(keywords, layout.keywords), muted))
        used = sum(segment.cell_length for segment in segments)
        if used < width:
            segments.append(Segment(" " * (width - used), style))
        return Strip(segments, width).crop(0, width)
