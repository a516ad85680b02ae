"""OverviewScreen: what a folder holds, in one look (`o`).

The corpus in numbers (rows, articles vs teasers, dated range, indexed, duplicate pages and
the extra sightings folded into them), then bars of articles by section and by source, the
language mix, the top keywords and the most repeated pages. Computed by
`core.stats.corpus_overview` in a thread worker before the screen opens (`ComputedScreen`;
timed by bench/insight.py), with the top keywords and indexed rows from the `KeywordIndex`
the app's view built for the keyword panel (found with `KeywordIndex.existing`); the panes
lay their bars out for the width they are painted at (`Fitted`). Section, source, keyword
and title text is corpus data: it is rendered only as `Content` built from plain strings.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from tui.screens.charts import Fitted, bar_rows, fit, one_line
from tui.screens.computed import ComputedScreen

if TYPE_CHECKING:
    import polars as pl

    from core.stats import CorpusOverview, KeywordIndex

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
    from core.stats import corpus_overview

    return corpus_overview(articles, keywords, top=ROWS_SHOWN, index=index)


OverviewResult = tuple["CorpusOverview", bool]
"""The overview, and whether it was counted with the corpus's `KeywordIndex`."""


class OverviewScreen(ComputedScreen[None, OverviewResult]):
    """The corpus overview.

    | Key | Action |
    | :- | :- |
    | `j`, `k` / arrows, `g`, `G` | Scroll. |
    | `escape`, `q`, `o` | Close. |
    """

    AUTO_FOCUS = "#overview-body"

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

    def __init__(self, articles: pl.DataFrame, keywords: pl.DataFrame) -> None:
        super().__init__()
        self.overview: CorpusOverview | None = None
        """The statistics, once drawn."""
        self.index_found = False
        """The statistics were computed with the corpus's `KeywordIndex` (the fast way)."""
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

    def compute(self) -> OverviewResult:
        from core.stats import KeywordIndex

        # The keyword panel's top keywords for the whole corpus, when the view has them.
        index = KeywordIndex.existing(self._articles.get_column("id"), self._keywords)
        return compute_overview(self._articles, self._keywords, index), index is not None

    def draw(self, result: OverviewResult) -> None:
        overview, self.index_found = result
        self.overview = overview
        self._pane("summary").update(self._summary(overview))
        for frame, column, count in (
            (overview.by_section, "section", overview.sections),
            (overview.by_source, "source", overview.sources),
            (overview.languages, "language", overview.languages.height),
        ):
            self._pane(f"{column}s").update(Fitted(partial(self._bars, frame, column, count, f"{column}s")))
        self._pane("keywords").update(Fitted(partial(self._keywords_list, overview)))
        self._pane("duplicates").update(Fitted(partial(self._duplicates, overview)))

    # -- panes ----------------------------------------------------------------------------------

    def _pane(self, name: str) -> Static:
        return self.query_one(f"#overview-{name}", Static)

    def _style(self, component: str) -> Style:
        return self.get_visual_style(component, partial=True)

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

    def _bars(self, frame: pl.DataFrame, column: str, count: int, what: str, width: int) -> Content:
        if frame.is_empty():
            return Content.styled("Nothing to show.", self._style("overview--muted"))
        width = max(width, 24)
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

    def _keywords_list(self, overview: CorpusOverview, width: int) -> Content:
        frame = overview.top_keywords
        if frame.is_empty():
            return Content.styled("No keywords yet (indexing runs in the background).", self._style("overview--muted"))
        width = max(width, 24)
        number = self._style("overview--number")
        shown = frame.rows(named=True)[:ROWS_SHOWN]
        digits = len(f"{max(row['docs'] for row in shown):,}")
        lines = [
            Content.assemble((f"{row['docs']:>{digits},}", number), " ", fit(one_line(row["keyword"]), width - digits - 1))
            for row in shown
        ]
        lines.append(Content.styled("number = articles with the keyword", self._style("overview--muted")))
        return Content("\n").join(lines)

    def _duplicates(self, overview: CorpusOverview, width: int) -> Content:
        frame = overview.duplicates
        if frame.is_empty():
            return Content.styled("Every page was seen once.", self._style("overview--muted"))
        width = max(width, 24)
        number, muted = self._style("overview--number"), self._style("overview--muted")
        shown = frame.rows(named=True)[:ROWS_SHOWN]
        digits = len(f"{max(row['copies'] for row in shown):,}")
        lines = [
            Content.assemble(
                (f"{row['copies']:>{digits},}×", number),
                " ",
                fit(one_line(row["title"], none=""), width - digits - 10),
                (f" {one_line(row['kind'], none=''):<7}", muted),
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
