"""KeywordPanel: the keywords of the current view, or of the article being read.

Two modes, toggled with `a`: *view* (keywords aggregated over the filtered rows with the
number of articles each appears in) and *article* (the selected article's own keywords,
best first). Prompts are `Content` built from plain strings, so keyword text is never
parsed as markup.
"""

from __future__ import annotations

from typing import Literal

import polars as pl
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.sanitize import clean_text

Mode = Literal["view", "article"]


class KeywordPanel(OptionList):
    """Keywords of the current view (with document counts) or of the selected article.

    | Key | Action |
    | :- | :- |
    | `j`, `down` / `k`, `up` | Move the cursor. |
    | `g`, `home` / `G`, `end` | First / last keyword. |
    | `enter` | Add `kw:"..."` for the keyword to the filter. |
    | `a` | Toggle between the view's keywords and the article's own. |
    """

    BINDINGS: list[BindingType] = [
        Binding("j", "cursor_down", "Down", show=False, id="keywords.down"),
        Binding("k", "cursor_up", "Up", show=False, id="keywords.up"),
        Binding("g", "first", "First", show=False, id="keywords.first"),
        Binding("G", "last", "Last", show=False, id="keywords.last"),
        Binding("a", "toggle_mode", "View/article keywords", id="keywords.toggle"),
    ]

    COMPONENT_CLASSES = {"keyword-panel--count"}
    """
    | Class | Description |
    | :- | :- |
    | `keyword-panel--count` | The document count or rank before each keyword. |
    """

    mode: reactive[Mode] = reactive[Mode]("view")
    """Which keywords are shown: the view's aggregate or the selected article's own."""

    class Chosen(Message):
        """`enter` on a keyword: filter by it."""

        def __init__(self, panel: KeywordPanel, keyword: str) -> None:
            super().__init__()
            self.panel = panel
            """The panel that sent the message."""
            self.keyword = keyword
            """The keyword's display form."""

        @property
        def control(self) -> KeywordPanel:
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._view_keywords: pl.DataFrame | None = None
        self._article_keywords: pl.DataFrame | None = None
        self._keywords: list[str] = []

    def on_mount(self) -> None:
        self._update_title()

    @property
    def keywords(self) -> list[str]:
        """The keywords listed, in order."""
        return list(self._keywords)

    @property
    def current_keyword(self) -> str | None:
        """The keyword under the cursor, None when the panel is empty."""
        if self.highlighted is None or not 0 <= self.highlighted < len(self._keywords):
            return None
        return self._keywords[self.highlighted]

    def set_view_keywords(self, frame: pl.DataFrame) -> None:
        """Aggregated keywords of the view: columns keyword, docs (best first)."""
        self._view_keywords = frame
        if self.mode == "view":
            self._fill()

    def set_article_keywords(self, frame: pl.DataFrame) -> None:
        """The selected article's keywords: columns rank, keyword."""
        self._article_keywords = frame
        if self.mode == "article":
            self._fill()

    def watch_mode(self) -> None:
        self._update_title()
        self._fill()

    def action_toggle_mode(self) -> None:
        self.mode = "article" if self.mode == "view" else "view"

    def action_first(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1

    def _update_title(self) -> None:
        self.border_title = "Keywords: view" if self.mode == "view" else "Keywords: article"

    def _fill(self) -> None:
        count_style = self.get_visual_style("keyword-panel--count", partial=True)
        if self.mode == "view":
            frame = self._view_keywords
            counts = "docs"
        else:
            frame = self._article_keywords
            counts = "rank"
        self.clear_options()
        self._keywords = []
        if frame is None or frame.is_empty():
            return
        options: list[Option] = []
        for keyword, count in frame.select("keyword", counts).iter_rows():
            word = clean_text(str(keyword)).replace("\n", " ")
            self._keywords.append(word)
            options.append(Option(Content.assemble((f"{count:>5} ", count_style), Content(word))))
        self.add_options(options)
        self.highlighted = 0

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        keyword = self.current_keyword
        if keyword is not None:
            self.post_message(self.Chosen(self, keyword))
