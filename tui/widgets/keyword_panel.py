"""KeywordPanel: the keywords of the current view, or of the article being read.

Three modes: *view* (keywords aggregated over the filtered rows with the number of articles
each appears in), *article* (`a`: the selected article's own keywords, best first) and
*distinctive* (`d`: keywords over-represented in the filtered rows against the rest of the
corpus, with the number of filtered articles holding each; computed in a thread worker only
while the mode is shown). Prompts are `Content` built from plain strings, so keyword text is
never parsed as markup.

Distinctive keywords are counted through the view's `KeywordIndex` at the view's row positions
(`KeywordIndex.distinctive`, ~10x less than `core.stats.distinctive_keywords` over the ids at
100k articles), which the app hands over with the subset; the ids are the fallback when there
is no index, or when the index handed over is not of the corpus handed over (a worker may have
installed a new corpus between the two reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import polars as pl
from textual import work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.geometry import Size
from textual.reactive import Reactive, reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from core.corpus import Corpus
from core.sanitize import clean_text
from core.stats import KeywordIndex, distinctive_keywords

Mode = Literal["view", "article", "distinctive"]

DISTINCTIVE_TOP = 200
"""How many distinctive keywords the panel lists."""


@dataclass(frozen=True, eq=False, slots=True)
class Subset:
    """The view's rows, as distinctive mode compares them with the rest of the corpus."""

    corpus: Corpus
    ids: pl.Series
    """The rows' article ids."""
    index: KeywordIndex | None = None
    """The keyword index of `corpus` (the view's), if any."""
    rows: pl.Series | None = None
    """The rows' positions in the articles frame `index` is of."""


def compute_distinctive(subset: Subset) -> tuple[pl.DataFrame, bool]:
    """The panel's distinctive keywords of `subset`, and whether they were counted through its
    index (the same frame either way). Slow for big corpora: call off the UI thread."""
    corpus, index, rows = subset.corpus, subset.index, subset.rows
    if (
        index is not None
        and rows is not None
        and index.is_of(corpus.articles.get_column("id"), corpus.keywords)
        and (rows.is_empty() or rows.max() < index.size)  # type: ignore[operator]
    ):
        return index.distinctive(rows, top=DISTINCTIVE_TOP), True
    return distinctive_keywords(corpus.articles, corpus.keywords, subset.ids, top=DISTINCTIVE_TOP), False


class KeywordPanel(OptionList):
    """Keywords of the current view (with document counts) or of the selected article.

    | Key | Action |
    | :- | :- |
    | `j`, `down` / `k`, `up` | Move the cursor. |
    | `g`, `home` / `G`, `end` | First / last keyword. |
    | `enter` | Add `kw:"..."` for the keyword to the filter. |
    | `a` | Toggle between the view's keywords and the article's own. |
    | `d` | Toggle the view's distinctive keywords (the view against the rest). |
    """

    BINDINGS: list[BindingType] = [
        Binding("j", "cursor_down", "Down", show=False, id="keywords.down"),
        Binding("k", "cursor_up", "Up", show=False, id="keywords.up"),
        Binding("g", "first", "First", show=False, id="keywords.first"),
        Binding("G", "last", "Last", show=False, id="keywords.last"),
        Binding("a", "toggle_mode", "View/article keywords", id="keywords.toggle"),
        Binding("d", "toggle_distinctive", "Distinctive keywords", id="keywords.distinctive"),
    ]

    COMPONENT_CLASSES = {"keyword-panel--count"}
    """
    | Class | Description |
    | :- | :- |
    | `keyword-panel--count` | The document count or rank before each keyword. |
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
    """As Widget's, but without a layout pass: the panel's box is fixed by CSS and only its
    scroll range follows the options, while a layout re-renders every pane (OptionList sets
    it whenever the number of options changes). A scrollbar appearing or going
    still lays out."""

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
        self._refilling = False
        super().__init__(id=id, classes=classes)
        self._view_keywords: pl.DataFrame | None = None
        self._article_keywords: pl.DataFrame | None = None
        self._keywords: list[str] = []
        self._subset: Subset | None = None
        self._distinctive: pl.DataFrame | None = None
        self._distinctive_for: Subset | None = None
        self._distinctive_indexed = False

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

    @property
    def distinctive_indexed(self) -> bool | None:
        """Whether the distinctive keywords of the current subset were counted through the
        view's keyword index; None until they are computed."""
        return None if self._distinctive is None else self._distinctive_indexed

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

    def set_subset(
        self, corpus: Corpus, ids: pl.Series, index: KeywordIndex | None = None, rows: pl.Series | None = None
    ) -> None:
        """The corpus and the ids of the view's rows (what distinctive mode compares); `index`
        and `rows`: the view's keyword index and the rows' positions in its articles frame, so
        the counting is in integers."""
        self._subset = Subset(corpus, ids, index, rows)
        if self.mode == "distinctive":
            self._request_distinctive()

    def watch_mode(self) -> None:
        self._update_title()
        if self.mode == "distinctive":
            self._request_distinctive()
        self._fill()

    def action_toggle_mode(self) -> None:
        self.mode = "article" if self.mode != "article" else "view"

    def action_toggle_distinctive(self) -> None:
        self.mode = "distinctive" if self.mode != "distinctive" else "view"

    def _request_distinctive(self) -> None:
        if self._subset is None or self._subset is self._distinctive_for:
            return
        self._distinctive, self._distinctive_for = None, self._subset
        self._compute_distinctive(self._subset)

    @work(thread=True, exclusive=True, exit_on_error=False, group="distinctive", description="distinctive keywords")
    def _compute_distinctive(self, subset: Subset) -> None:
        frame, indexed = compute_distinctive(subset)
        self.app.call_from_thread(self._distinctive_ready, subset, frame, indexed)

    def _distinctive_ready(self, subset: Subset, frame: pl.DataFrame, indexed: bool) -> None:
        if subset is not self._distinctive_for:
            return  # a newer view was asked for meanwhile
        self._distinctive, self._distinctive_indexed = frame, indexed
        if self.mode == "distinctive":
            self._fill()

    def action_first(self) -> None:
        if self.option_count:
            self.highlighted = 0

    def action_last(self) -> None:
        if self.option_count:
            self.highlighted = self.option_count - 1

    def _update_title(self) -> None:
        self.border_title = f"Keywords: {self.mode}"

    def _fill(self) -> None:
        count_style = self.get_visual_style("keyword-panel--count", partial=True)
        if self.mode == "view":
            frame = self._view_keywords
            counts = "docs"
        elif self.mode == "distinctive":
            frame = self._distinctive
            counts = "docs_subset"
        else:
            frame = self._article_keywords
            counts = "rank"
        self._refilling = True
        try:
            self.clear_options()
        finally:
            self._refilling = False
        self._keywords = []
        if frame is None or frame.is_empty():
            if self.mode == "distinctive":
                self.add_option(Option(Content(self._distinctive_note(frame)), disabled=True))
            else:
                self._update_lines()
            return
        options: list[Option] = []
        for keyword, count in frame.select("keyword", counts).iter_rows():
            word = clean_text(str(keyword)).replace("\n", " ")
            self._keywords.append(word)
            options.append(Option(Content.assemble((f"{count:>5} ", count_style), Content(word))))
        self.add_options(options)
        self.highlighted = 0

    def _update_lines(self) -> None:
        # A refill clears then adds: updating the scroll range for the empty moment in between
        # hid the scrollbar and showed it again, two layout passes of the whole screen (every
        # pane re-rendered) per filter. The add that follows updates it once.
        if not self._refilling:
            super()._update_lines()

    def _distinctive_note(self, frame: pl.DataFrame | None) -> str:
        if frame is None:
            return "Computing…"
        if self._subset is not None and self._subset.ids.len() in (0, self._subset.corpus.articles.height):
            return "Filter the view first: this lists what sets it apart from the rest."
        return "No keyword stands out in this view."

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        keyword = self.current_keyword
        if keyword is not None:
            self.post_message(self.Chosen(self, keyword))
