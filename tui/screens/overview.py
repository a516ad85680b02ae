"""OverviewScreen: what a folder holds, in one look (`o`).

The corpus in numbers (rows, articles vs teasers, dated range, indexed, duplicate pages and
the extra sightings folded into them), then bars of articles by section and by source, the
language mix, the top keywords and the most repeated pages. Computed by
`core.stats.corpus_overview` in a thread worker when the screen mounts (timed by
bench/insight.py). Section, source, keyword and title text is corpus data: it is rendered only
as `Content` built from plain strings.
"""

from __future__ import annotations

from typing import ClassVar

import polars as pl
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Static

from core.stats import CorpusOverview, corpus_overview
from tui.screens.charts import bar_rows, fit, one_line

ROWS_SHOWN = 10
"""Rows of each ranked list on screen."""

_PANES = ("summary", "sections", "sources", "languages", "keywords", "duplicates")
_TITLES = {
    "summary": "Corpus",
    "sections": "Sections",
    "sources": "Sources",
    "languages": "Languages",
    "keywords": "Top keywords",
    "duplicates": "Most repeated",
}


def compute_overview(articles: pl.DataFrame, keywords: pl.DataFrame) -> CorpusOverview:
    """What the overview screen shows (the corpus overview, ROWS_SHOWN rows per list)."""
    return corpus_overview(articles, keywords, top=ROWS_SHOWN)


class OverviewScreen(Screen[None]):
    """The corpus overview.

    | Key | Action |
    | :- | :- |
    | `j`, `k` / arrows, `g`, `G` | Scroll. |
    | `escape`, `q`, `o` | Close. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,o", "close", "Close", id="overview.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="overview.down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="overview.up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="overview.top"),
        Binding("G,end", "scroll('end')", "End", show=False, id="overview.end"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"overview--bar", "overview--number", "overview--muted"}
    """
    | Class | Description |
    | :- | :- |
    | `overview--bar` | The bars. |
    | `overview--number` | Counts. |
    | `overview--muted` | Secondary text: shares, notes. |
    """

    class Computed(Message):
        """The worker finished the overview."""

        def __init__(self, overview: CorpusOverview) -> None:
            super().__init__()
            self.overview = overview
            """The statistics."""

    def __init__(self, articles: pl.DataFrame, keywords: pl.DataFrame) -> None:
        super().__init__()
        self.overview: CorpusOverview | None = None
        """The statistics, once computed."""
        self.stats_shown = False
        """The statistics are on screen."""
        self._articles = articles
        self._keywords = keywords

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-body") as body:
            body.border_title = "Corpus overview"
            body.border_subtitle = "escape or q closes"
            with Grid(id="overview-grid"):
                for name in _PANES:
                    pane = Static(Content("Computing…" if name == "summary" else ""), id=f"overview-{name}", classes="overview-pane")
                    pane.border_title = _TITLES[name]
                    yield pane

    def on_mount(self) -> None:
        self.query_one("#overview-body", VerticalScroll).focus()
        self._compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="corpus overview")
    def _compute(self) -> None:
        self.post_message(self.Computed(compute_overview(self._articles, self._keywords)))

    def on_overview_screen_computed(self, message: Computed) -> None:
        self.overview = message.overview
        # After the next refresh, so the panes have their laid-out widths.
        self.call_after_refresh(self._draw)

    def on_resize(self) -> None:
        if self.overview is not None:
            self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        overview = self.overview
        if overview is None or not self.is_attached:
            return
        self._pane("summary").update(self._summary(overview))
        self._pane("sections").update(self._bars(overview.by_section, "section", overview.sections, "sections"))
        self._pane("sources").update(self._bars(overview.by_source, "source", overview.sources, "sources"))
        self._pane("languages").update(self._bars(overview.languages, "language", overview.languages.height, "languages"))
        self._pane("keywords").update(self._keywords_list(overview))
        self._pane("duplicates").update(self._duplicates(overview))
        self.stats_shown = True

    # -- panes ----------------------------------------------------------------------------------

    def _pane(self, name: str) -> Static:
        return self.query_one(f"#overview-{name}", Static)

    def _style(self, component: str) -> Style:
        return self.get_visual_style(component, partial=True)

    def _inner_width(self, name: str) -> int:
        """Cells inside a pane's border and padding (at least 24)."""
        return max(self._pane(name).size.width - 4, 24)

    def _summary(self, overview: CorpusOverview) -> Content:
        number, muted = self._style("overview--number"), self._style("overview--muted")

        def line(label: str, value: str, note: str = "") -> Content:
            return Content.assemble(f"{label:<12}", (value, number), (f"  {note}" if note else "", muted))

        dated = "no dates"
        if overview.first_date is not None and overview.last_date is not None:
            dated = f"{overview.first_date.isoformat()} … {overview.last_date.isoformat()}"
        lines = [
            line("rows", f"{overview.rows:,}", "articles and teasers"),
            line("articles", f"{overview.articles:,}"),
            line("teasers", f"{overview.teasers:,}"),
            line("sections", f"{overview.sections:,}"),
            line("sources", f"{overview.sources:,}"),
            line("dated", f"{overview.dated:,}", dated),
            line("indexed", f"{overview.indexed:,}", "rows with keywords"),
            line("repeated", f"{overview.duplicate_rows:,}", "rows seen more than once"),
            line("extra", f"{overview.extra_sightings:,}", "sightings folded into them"),
        ]
        return Content("\n").join(lines)

    def _bars(self, frame: pl.DataFrame, column: str, count: int, what: str) -> Content:
        if frame.is_empty():
            return Content.styled("Nothing to show.", self._style("overview--muted"))
        width = self._inner_width(f"{column}s")
        rows = [
            (value, int(docs), f" {share:>4.0%}")
            for value, docs, share in frame.head(ROWS_SHOWN).select(column, "docs", "share").iter_rows()
        ]
        number_cells = max(len(f"{docs:,}") for _, docs, _ in rows)
        label_cells = min(20, width // 3)
        chart = bar_rows(
            rows,
            label_cells=label_cells,
            bar_cells=max(4, width - label_cells - number_cells - 8),
            bar_style=self._style("overview--bar"),
            number_style=self._style("overview--number"),
        )
        hidden = count - min(len(rows), count)
        if hidden > 0:
            chart = Content("\n").join([chart, Content.styled(f"+{hidden:,} more {what}", self._style("overview--muted"))])
        return chart

    def _keywords_list(self, overview: CorpusOverview) -> Content:
        frame = overview.top_keywords
        if frame.is_empty():
            return Content.styled("No keywords yet (indexing runs in the background).", self._style("overview--muted"))
        width = self._inner_width("keywords")
        number = self._style("overview--number")
        digits = len(f"{int(frame.get_column('docs').max() or 0):,}")
        lines = [
            Content.assemble((f"{docs:>{digits},}", number), " ", fit(one_line(keyword), width - digits - 1))
            for keyword, docs in frame.head(ROWS_SHOWN).select("keyword", "docs").iter_rows()
        ]
        lines.append(Content.styled("number = articles with the keyword", self._style("overview--muted")))
        return Content("\n").join(lines)

    def _duplicates(self, overview: CorpusOverview) -> Content:
        frame = overview.duplicates
        if frame.is_empty():
            return Content.styled("Every page was seen once.", self._style("overview--muted"))
        width = self._inner_width("duplicates")
        number, muted = self._style("overview--number"), self._style("overview--muted")
        digits = len(f"{int(frame.get_column('copies').max() or 0):,}")
        lines = [
            Content.assemble(
                (f"{copies:>{digits},}×", number),
                " ",
                fit(one_line(title, none=""), width - digits - 10),
                (f" {kind:<7}", muted),
            )
            for title, kind, copies in frame.head(ROWS_SHOWN).select("title", "kind", "copies").iter_rows()
        ]
        return Content("\n").join(lines)

    # -- actions --------------------------------------------------------------------------------

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#overview-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }[where]()
