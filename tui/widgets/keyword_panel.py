"""KeywordPanel: the keywords of the current view, or of the article being read.

Three modes: *view* (keywords aggregated over the filtered rows with the number of articles
each appears in), *article* (`a`: the selected article's own keywords, best first) and
*distinctive* (`d`: keywords over-represented in the filtered rows against the rest of the
corpus, ranked by Dunning's G², under a header naming the columns: G², and as the width allows
the articles holding each keyword in the view and in the rest; computed in a thread worker only
while the mode is shown). Rows are drawn as plain-text segments, so keyword text is never
parsed as markup. The panel is a `RowList` (Textual's line API): refilling it on every
keystroke of a filter stores the keywords and counts and paints only the rows on screen.

Distinctive keywords are counted through the view's `KeywordIndex` at the view's row positions
(`KeywordIndex.distinctive`, far less work than `core.keyness.distinctive_keywords` over the
ids on a large corpus), which the app hands over with the subset; the ids are the fallback when there
is no index, or when the index handed over is not of the corpus handed over (a worker may have
installed a new corpus between the two reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from core.sanitize import for_display
from tui.widgets.row_list import RowList, fit_cells

if TYPE_CHECKING:
    import polars as pl

    from core.corpus import Corpus
    from core.keyword_index import KeywordIndex

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
    from core.keyness import distinctive_keywords
    from core.keyword_index import matching_index

    corpus, rows = subset.corpus, subset.rows
    index = matching_index(subset.index, corpus.articles, corpus.keywords)
    if (
        index is not None
        and rows is not None
        and (rows.is_empty() or rows.max() < index.size)  # type: ignore[operator]
    ):
        return index.distinctive(rows, top=DISTINCTIVE_TOP), True
    return distinctive_keywords(corpus.articles, corpus.keywords, subset.ids, top=DISTINCTIVE_TOP), False


# Distinctive mode's columns before the keyword: G² (what the list is sorted by), then, as
# the panel's width allows, the articles holding the keyword in the view and in the rest.
_SCORE_HEADERS = ("    G²", "view", "rest")
_SCORE_CELLS = (6, 4, 4)
_KEYWORD_CELLS = 10
"""Cells a keyword keeps before another count column is shown."""


def _score_count(width: int) -> int:
    """How many of the score columns fit `width` cells beside a keyword."""
    shown = 1
    while shown < len(_SCORE_CELLS) and sum(_SCORE_CELLS[: shown + 1]) + shown + 1 + _KEYWORD_CELLS <= width:
        shown += 1
    return shown


def _score_header(width: int) -> str:
    return " ".join(_SCORE_HEADERS[: _score_count(width)]) + " "


def _articles(count: int) -> str:
    """An article count in 4 cells (thousands past 9,999)."""
    return f"{count:>4}" if count < 10_000 else f"{count // 1000:>3}k"


def _score_columns(g2: float, view: int, rest: int, *, width: int) -> str:
    score = f"{g2:>6.1f}" if g2 < 10_000 else f"{g2:>6.0f}"
    columns = (score, _articles(view), _articles(rest))
    return " ".join(columns[: _score_count(width)]) + " "


class KeywordPanel(RowList):
    """Keywords of the current view (with document counts) or of the selected article.

    | Key | Action |
    | :- | :- |
    | `j`, `down` / `k`, `up` | Move the cursor. |
    | `g`, `home` / `G`, `end` | First / last keyword. |
    | `pageup` / `pagedown` | Up / down one page. |
    | `enter` (or a double click) | Add `kw:"..."` for the keyword to the filter. |
    | `a` | Toggle between the view's keywords and the article's own. |
    | `d` | Toggle the view's distinctive keywords (the view against the rest). |
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="keywords.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="keywords.up"),
        Binding("g,home", "first", "First", show=False, id="keywords.first"),
        Binding("G,end", "last", "Last", show=False, id="keywords.last"),
        Binding("pageup", "page_up_rows", "Page up", show=False, id="keywords.page_up"),
        Binding("pagedown", "page_down_rows", "Page down", show=False, id="keywords.page_down"),
        Binding("enter", "select", "Filter by the keyword", show=False, id="keywords.select"),
        Binding("a", "toggle_mode", "View/article keywords", id="keywords.toggle"),
        Binding("d", "toggle_distinctive", "Distinctive keywords", id="keywords.distinctive"),
    ]

    COMPONENT_CLASSES = {"keyword-panel--count", "keyword-panel--cursor", "keyword-panel--note"}
    """
    | Class | Description |
    | :- | :- |
    | `keyword-panel--count` | The document count or rank before each keyword; the column header. |
    | `keyword-panel--cursor` | The row under the cursor. |
    | `keyword-panel--note` | What the panel says when it lists nothing (distinctive mode). |
    """

    EMPTY_CLASS = "keyword-panel--note"

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
        self._counts: list[str] = []
        self._scores: list[tuple[float, int, int]] = []
        """Distinctive mode: each keyword's G², and its articles in the view and in the rest."""
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
        if not 0 <= self.cursor < len(self._keywords):
            return None
        return self._keywords[self.cursor]

    @property
    def row_count(self) -> int:
        return len(self._keywords)

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

    def _update_title(self) -> None:
        self.border_title = f"Keywords: {self.mode}"

    def _fill(self) -> None:
        if self.mode == "view":
            frame, counts = self._view_keywords, "docs"
        elif self.mode == "distinctive":
            frame, counts = self._distinctive, "docs_subset"
        else:
            frame, counts = self._article_keywords, "rank"
        self._keywords, self._counts, self._scores = [], [], []
        if frame is not None and not frame.is_empty():
            for keyword, count in frame.select("keyword", counts).iter_rows():
                self._keywords.append(for_display(keyword, one_line=True))
                self._counts.append(f"{count:>5} ")
            if self.mode == "distinctive":
                self._scores = list(frame.select("g2", "docs_subset", "docs_rest").iter_rows())
        self.empty_message = self._distinctive_note(frame) if self.mode == "distinctive" else ""
        self.rows_replaced()

    def render_row(self, row: int, width: int, base: Style, is_cursor: bool) -> Strip:
        count_style = base + self.get_component_rich_style("keyword-panel--count")
        style = base
        if is_cursor:
            cursor = self.get_component_rich_style("keyword-panel--cursor")
            style, count_style = style + cursor, count_style + cursor
        count = self._counts[row] if not self._scores else _score_columns(*self._scores[row], width=width)
        keyword = fit_cells(self._keywords[row], max(1, width - len(count)))
        return Strip([Segment(count, count_style), Segment(keyword, style)], width).crop(0, width)

    @property
    def header_rows(self) -> int:
        # Distinctive keywords are ranked by G², not by the counts: a header says which is which.
        return 1 if self._scores else 0

    def render_header(self, y: int, width: int, base: Style) -> Strip:
        style = base + self.get_component_rich_style("keyword-panel--count") + Style(bold=True)
        return Strip([Segment(fit_cells(_score_header(width) + "keyword", width), style)], width)

    def action_select(self) -> None:
        keyword = self.current_keyword
        if keyword is not None:
            self.post_message(self.Chosen(self, keyword))

    def _distinctive_note(self, frame: pl.DataFrame | None) -> str:
        if frame is None:
            return "Computing…"
        if self._subset is not None and self._subset.ids.len() in (0, self._subset.corpus.articles.height):
            return "Filter the view first: this lists what sets it apart from the rest."
        return "No keyword stands out in this view."
