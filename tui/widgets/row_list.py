"""RowList: the base of the dashboard's lists, a virtual list on Textual's line API.

A row is formatted only when it is painted (`render_row`), and the painted strips are kept in
an LRU cache, so a list of 100k rows costs what one of 20 does, and refilling it costs nothing
until it is painted. The cursor is a reactive with `repaint=False`: moving it repaints the two
rows concerned. Subclasses give the row count and the rows (and header lines above them, if
any), their own bindings to the actions here, and what the cursor moving and `enter` mean.
"""

from __future__ import annotations

import textwrap
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.events import Click
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.sanitize import for_display
from tui.widgets.base_style import BaseStyleCache


def fit_cells(text: str | None, width: int) -> str:
    """`text` made safe and one line, cut with an ellipsis or padded to `width` cells."""
    value = for_display(text, one_line=True)
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


class RowList(BaseStyleCache, ScrollView, can_focus=True):
    """A focusable list of rows with a cursor (see the module docstring)."""

    HEADER_ROWS: ClassVar[int] = 0
    """Fixed lines above the rows (a column header); `header_rows` when it depends on what is shown."""
    EMPTY_CLASS: ClassVar[str] = ""
    """The component class of the line shown when there are no rows."""

    cursor: reactive[int] = reactive(0, repaint=False, always_update=True)
    """Index of the row under the cursor."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._line_cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(1024)
        self.empty_message = ""
        """What the list says when it has no rows."""

    # -- what subclasses give ---------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """Number of rows in the list."""
        raise NotImplementedError

    def render_row(self, row: int, width: int, base: Style, is_cursor: bool) -> Strip:
        """Row `row`, `width` cells wide, on the widget's `base` style."""
        raise NotImplementedError

    @property
    def header_rows(self) -> int:
        """Fixed lines above the rows now (HEADER_ROWS unless a subclass decides per content)."""
        return self.HEADER_ROWS

    def render_header(self, y: int, width: int, base: Style) -> Strip:
        """Header line `y` (below `header_rows`)."""
        return Strip.blank(width, base)

    def cursor_moved(self, row: int) -> None:
        """The cursor was set (moved, or the rows were replaced)."""

    # -- rows -------------------------------------------------------------------------------------

    def rows_replaced(self, cursor: int = 0, scroll: int | None = None) -> None:
        """Call after the rows changed: the scroll range follows, the cursor goes to `cursor`
        (scrolled to `scroll` when given, else centred)."""
        self._line_cache.clear()
        size = Size(self.size.width, self.row_count + self.header_rows)
        if size != self.virtual_size:
            # Assigning `virtual_size` asks for a layout pass of the whole screen (every pane
            # re-rendered) each time; the list's box does not change, only its scroll range,
            # so update that alone. (A scrollbar appearing or going still lays out.)
            self.set_reactive(RowList.virtual_size, size)
            self._scroll_update(size)
        if scroll is None:
            scroll = max(0, cursor - self._page_rows() // 2) if cursor else 0
        self.scroll_to(y=scroll, animate=False, immediate=True)
        self.cursor = cursor
        self.refresh()

    def repaint_rows(self) -> None:
        """Paint every row again (what they show changed, not how many there are)."""
        self._line_cache.clear()
        self.refresh()

    # -- cursor -----------------------------------------------------------------------------------

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, self.row_count - 1)) if self.row_count else 0

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_cursor_into_view()
        self.cursor_moved(new)

    def _page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - self.header_rows)

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        page = self._page_rows()
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        y = row - round(self.scroll_y) + self.header_rows
        if self.header_rows <= y < self.size.height:
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
        """`enter` (or a double click) on the row under the cursor."""

    def _on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = round(self.scroll_y) + offset.y - self.header_rows
        if offset.y >= self.header_rows and 0 <= row < self.row_count:
            self.cursor = row
            if event.chain > 1:
                self.action_select()

    # -- rendering --------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, self.row_count + self.header_rows)

    def on_focus(self) -> None:
        self.repaint_rows()

    def on_blur(self) -> None:
        self.repaint_rows()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        if y < self.header_rows:
            return self.render_header(y, width, base)
        row = round(self.scroll_y) + y - self.header_rows
        if not self.row_count:
            lines = textwrap.wrap(self.empty_message, max(1, width - 1))
            if 0 <= y - self.header_rows < len(lines):
                style = base + self.get_component_rich_style(self.EMPTY_CLASS) if self.EMPTY_CLASS else base
                return Strip([Segment(fit_cells(" " + lines[y - self.header_rows], width), style)], width)
            return Strip.blank(width, base)
        if row >= self.row_count:
            return Strip.blank(width, base)
        is_cursor = row == self.cursor
        key = (row, width, is_cursor, self.has_focus)
        cached = self._line_cache.get(key)
        if cached is None:
            cached = self.render_row(row, width, base, is_cursor)
            self._line_cache[key] = cached
        return cached.apply_offsets(0, row)
