"""OverviewScreen: what a folder holds, in one look (`o`).

The corpus in numbers (rows, articles vs teasers, dated range, indexed, duplicate pages and
the extra sightings folded into them), then bars of articles by section and by source, the
language mix, the top keywords and the most repeated pages. Computed by
`core.stats.corpus_overview` in a thread worker when the screen mounts (timed by
bench/insight.py), with the top keywords and indexed rows from the `KeywordIndex` the app's
view built for the keyword panel (found with `KeywordIndex.existing`), and drawn as soon as
they arrive once the panes are laid out. Section, source, keyword and title text is corpus data: it is rendered only
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

from core.stats import CorpusOverview, KeywordIndex, corpus_overview
from tui.screens.charts import Pane, bar_rows, fit, one_line

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


def compute_overview(
    articles: pl.DataFrame, keywords: pl.DataFrame, index: KeywordIndex | None = None
) -> CorpusOverview:
    """What the overview screen shows (the corpus overview, ROWS_SHOWN rows per list).
    `index`: the `KeywordIndex` of these frames, if there is one (the same numbers, sooner)."""
    return corpus_overview(articles, keywords, top=ROWS_SHOWN, index=index)


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

        def __init__(self, overview: CorpusOverview, index_found: bool) -> None:
            super().__init__()
            self.overview = overview
            """The statistics."""
            self.index_found = index_found
            """They were computed with the corpus's `KeywordIndex`."""

    def __init__(self, articles: pl.DataFrame, keywords: pl.DataFrame) -> None:
        super().__init__()
        self.overview: CorpusOverview | None = None
        """The statistics, once computed."""
        self.stats_shown = False
        """The statistics are on screen."""
        self.index_found = False
        """The statistics were computed with the corpus's `KeywordIndex` (the fast way)."""
        self._redraw_pending = False
        self._articles = articles
        self._keywords = keywords

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview-body") as body:
            body.border_title = "Corpus overview"
            body.border_subtitle = "escape or q closes"
            with Grid(id="overview-grid"):
                for name in _PANES:
                    pane = Pane(Content("Computing…" if name == "summary" else ""), id=f"overview-{name}", classes="overview-pane")
                    pane.border_title = _TITLES[name]
                    yield pane

    def on_mount(self) -> None:
        self.query_one("#overview-body", VerticalScroll).focus()
        self._compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="overview", description="corpus overview")
    def _compute(self) -> None:
        # The keyword panel's top keywords for the whole corpus, when the view has them.
        index = KeywordIndex.existing(self._articles.get_column("id"), self._keywords)
        self.post_message(self.Computed(compute_overview(self._articles, self._keywords, index), index is not None))

    def on_overview_screen_computed(self, message: Computed) -> None:
        self.overview = message.overview
        self.index_found = message.index_found
        # At once if the panes have widths; a refresh would first wait for the new screen to
        # go idle (~0.1 s at 100k articles). A pane whose width then changes asks again.
        if all(self._pane(name).size.width for name in _PANES):
            self._draw()
        else:
            self._redraw()

    def on_pane_resized(self, event: Pane.Resized) -> None:
        event.stop()
        self._redraw()

    def _redraw(self) -> None:
        """Draw after the next refresh (once, however many panes asked)."""
        if self.overview is not None and not self._redraw_pending:
            self._redraw_pending = True
            self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        self._redraw_pending = False
        overview = self.overview
        # A redraw asked for as the screen closes finds its panes gone.
        if overview is None or not self.is_attached or not self.query(Pane):
            return
        self._pane("summary").update(self._summary(overview))
        self._pane("sections").update(self._bars(overview.by_section, "section", overview.sections, "sections"))
        self._pane("sources").update(self._bars(overview.by_source, "source", overview.sources, "sources"))
        self._pane("languages").update(self._bars(overview.languages, "language", overview.languages.height, "languages"))
        self._pane("keywords").update(self._keywords_list(overview))
        self._pane("duplicates").update(self._duplicates(overview))
        self.stats_shown = True

    # -- panes ----------------------------------------------------------------------------------

    def _pane(self, name: str) -> Pane:
        return self.query_one(f"#overview-{name}", Pane)

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
        # Plain rows, no Polars query: the UI thread draws, it does not compute.
        rows = [
            (row[column], int(row["docs"]), f" {row['share']:>4.0%}")
            for row in frame.rows(named=True)[:ROWS_SHOWN]
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
        shown = frame.rows(named=True)[:ROWS_SHOWN]
        digits = len(f"{max(row['docs'] for row in shown):,}")
        lines = [
            Content.assemble((f"{row['docs']:>{digits},}", number), " ", fit(one_line(row["keyword"]), width - digits - 1))
            for row in shown
        ]
        lines.append(Content.styled("number = articles with the keyword", self._style("overview--muted")))
        return Content("\n").join(lines)

    def _duplicates(self, overview: CorpusOverview) -> Content:
        frame = overview.duplicates
        if frame.is_empty():
            return Content.styled("Every page was seen once.", self._style("overview--muted"))
        width = self._inner_width("duplicates")
        number, muted = self._style("overview--number"), self._style("overview--muted")
        shown = frame.rows(named=True)[:ROWS_SHOWN]
        digits = len(f"{max(row['copies'] for row in shown):,}")
        lines = [
            Content.assemble(
                (f"{row['copies']:>{digits},}×", number),
                " ",
                fit(one_line(row["title"], none=""), width - digits - 10),
                (f" {row['kind']:<7}", muted),
            )
            for row in shown
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
