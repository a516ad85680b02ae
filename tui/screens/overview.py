"""OverviewScreen: what a folder holds, in one look (`o`).

The corpus in numbers (rows, articles vs teasers, dated range, indexed, duplicate pages and
the extra sightings folded into them, the files skipped and why), then bars of articles by section and by source, the
language mix, the top keywords and the most repeated pages. Computed by
`core.overview.corpus_overview` in a thread worker before the screen opens (`ComputedScreen`;
timed by bench/insight.py), with the top keywords and indexed rows from the `KeywordIndex`
the app's view built for the keyword panel (handed over with the frames); the panes
lay their bars out for the width they are painted at (`Fitted`). Section, source, keyword
and title text is corpus data: it is rendered only as `Content` built from plain strings.

The section bars are a list to act on: `j`/`k` (or the arrows) move a cursor over them and
`enter` closes the screen with the filter term of that section (`section:"Name"`), which the
app adds to the filter.

The summary ends with the corpus total of the input audit (`core.audit`, what `parse --audit`
prints per file): every word of the files, how many went into records, how many were dropped
under a named reason and how many without one. It reads and parses every file again, so it
runs in a thread worker of its own once the screen is mounted, and the summary says
"computing…" until it is done; closing the screen cancels it between files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import Static
from textual.worker import Worker, WorkerState, get_current_worker

from core.filter_terms import field_term
from core.sanitize import for_display
from tui.screens.charts import Fitted, bar_rows, fit, one_line
from tui.screens.computed import ComputedScreen

if TYPE_CHECKING:
    import polars as pl

    from core.audit import AuditTotal
    from core.keyword_index import KeywordIndex
    from core.overview import CorpusOverview
    from core.query_terms import Marks

ROWS_SHOWN = 10
"""Rows of each ranked list on screen."""
SKIPPED_SHOWN = 20
"""Skipped files listed in the summary."""

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
    articles: pl.DataFrame, keywords: pl.DataFrame, index: KeywordIndex | None = None, marks: Marks | None = None
) -> CorpusOverview:
    """What the overview screen shows (the corpus overview, ROWS_SHOWN rows per list).
    `index`: the `KeywordIndex` of these frames, if there is one (the same numbers, sooner);
    `marks`: the user's read and bookmarked ids, counted."""
    from core.overview import corpus_overview

    return corpus_overview(articles, keywords, top=ROWS_SHOWN, index=index, marks=marks)


OverviewResult = tuple["CorpusOverview", bool]
"""The overview, and whether it was counted with the corpus's `KeywordIndex`."""


class OverviewScreen(ComputedScreen[str | None, OverviewResult]):
    """The corpus overview; returns the filter term of the section chosen with `enter` (None:
    closed).

    | Key | Action |
    | :- | :- |
    | `j`, `k` / arrows | Move between the section bars. |
    | `enter` | Filter by the section under the cursor (adds `section:"..."`) and close. |
    | `g`, `G`, `pageup`, `pagedown` | Scroll. |
    | `escape`, `q`, `o` | Close. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,o", "close", "Close", id="overview.close"),
        Binding("j,down", "move_section(1)", "Next section", show=False, id="overview.down"),
        Binding("k,up", "move_section(-1)", "Previous section", show=False, id="overview.up"),
        Binding("enter", "filter_section", "Filter by the section", id="overview.filter"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="overview.top"),
        Binding("G,end", "scroll('end')", "End", show=False, id="overview.end"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="overview.page_up"),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False, id="overview.page_down"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"overview--bar", "overview--number", "overview--muted", "overview--cursor"}
    """
    | Class | Description |
    | :- | :- |
    | `overview--bar` | The bars. |
    | `overview--number` | Counts. |
    | `overview--muted` | Secondary text: shares, notes. |
    | `overview--cursor` | The section bar under the cursor (`enter` filters by it). |
    """

    class AuditCounted(Message):
        """The input audit's corpus total is ready."""

        def __init__(self, total: AuditTotal) -> None:
            super().__init__()
            self.total = total
            """Every input word, and where it went."""

    def __init__(
        self,
        articles: pl.DataFrame,
        keywords: pl.DataFrame,
        paths: Sequence[Path] = (),
        skipped: Sequence[tuple[str, str]] = (),
        *,
        index: KeywordIndex | None,
        marks: Marks | None = None,
        new: int = 0,
        languages_pending: bool = False,
    ) -> None:
        """`index`: the `KeywordIndex` of `articles` and `keywords` (the view's), if any; one
        of other frames is not used. `new`: articles that arrived since the dashboard opened.
        `languages_pending`: the languages of some articles are still being detected."""
        super().__init__()
        self._languages_pending = languages_pending
        self._new = new
        self._skipped = list(skipped)
        self.overview: CorpusOverview | None = None
        """The statistics, once drawn."""
        self.audit_total: AuditTotal | None = None
        """The input audit's corpus total, once counted (none without `paths`)."""
        self._paths = list(paths)
        self._audit_failed: str | None = None
        self.index_found = False
        """The statistics were computed with the corpus's `KeywordIndex` (the fast way)."""
        self._articles = articles
        self._keywords = keywords
        self._index = index
        self._marks = marks
        self.section_cursor = 0
        """The section bar under the cursor (an index into the bars shown)."""

    def compose(self) -> ComposeResult:
        # Not focusable: the screen's bindings, not the scroll view's, take the arrow keys,
        # which move the section cursor.
        with VerticalScroll(id="overview-body", can_focus=False) as body:
            body.border_title = "Corpus overview"
            body.border_subtitle = "j/k pick a section · enter filters by it · escape or q closes"
            with Grid(id="overview-grid"):
                for name in _PANES:
                    pane = Static(Content("Computing…" if name == "summary" else ""), id=f"overview-{name}", classes="overview-pane")
                    pane.border_title = _TITLES[name]
                    yield pane

    def on_mount(self) -> None:
        # ComputedScreen's own on_mount runs too: Textual calls the handler of every class.
        if self._paths:
            self._count_input()

    @work(thread=True, exclusive=True, exit_on_error=False, group="audit", description="input audit")
    def _count_input(self) -> None:
        from core.audit import audit_paths

        worker = get_current_worker()
        total = audit_paths(self._paths, cancelled=lambda: worker.is_cancelled).total()
        if not worker.is_cancelled:
            self.post_message(self.AuditCounted(total))

    def on_overview_screen_audit_counted(self, message: AuditCounted) -> None:
        self.audit_total = message.total
        self._redraw_summary()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "audit" and event.state == WorkerState.ERROR:
            error = event.worker.error
            self._audit_failed = type(error).__name__ if error is not None else "error"
            self._redraw_summary()

    def _redraw_summary(self) -> None:
        if self.overview is not None:
            self._pane("summary").update(self._summary(self.overview))

    def compute(self) -> OverviewResult:
        from core.keyword_index import matching_index

        # The keyword panel's top keywords for the whole corpus, when the view has them.
        index = matching_index(self._index, self._articles, self._keywords)
        return compute_overview(self._articles, self._keywords, index, self._marks), index is not None

    def draw(self, result: OverviewResult) -> None:
        overview, self.index_found = result
        self.overview = overview
        self._pane("summary").update(self._summary(overview))
        for frame, column, count in (
            (overview.by_source, "source", overview.sources),
            (overview.languages, "language", overview.languages.height),
        ):
            if column == "language" and self._languages_pending:
                note = "Still detecting languages: open the overview again in a moment."
                self._pane("languages").update(Content.styled(note, self._style("overview--muted")))
            else:
                self._pane(f"{column}s").update(Fitted(partial(self._bars, frame, column, count, f"{column}s")))
        self._draw_sections()
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
            line("read", f"{overview.read:,}", f"{overview.rows - overview.read:,} unread"),
            line("bookmarked", f"{overview.bookmarked:,}"),
            line("indexed", f"{overview.indexed:,}", "rows with keywords"),
            line("repeated", f"{overview.duplicate_rows:,}", "rows seen more than once"),
            line("extra", f"{overview.extra_sightings:,}", "sightings folded into them"),
            *self._input_lines(line),
        ]
        if self._new:
            lines.insert(9, line("new", f"{self._new:,}", "arrived since the dashboard opened (is:new, +)"))
        if self._skipped:
            lines.append(line("skipped", f"{len(self._skipped):,}", "files that gave no articles:"))
            # Paths and reasons come from the disk: plain text, cleaned, one line each.
            lines += [
                Content.assemble(("  ", muted), one_line(f"{for_display(Path(path))}: {for_display(reason, one_line=True)}"))
                for path, reason in self._skipped[:SKIPPED_SHOWN]
            ]
            if len(self._skipped) > SKIPPED_SHOWN:
                lines.append(Content.styled(f"  +{len(self._skipped) - SKIPPED_SHOWN:,} more", muted))
        return Content("\n").join(lines)

    def _input_lines(self, line: Callable[..., Content]) -> list[Content]:
        """The input audit's total (parse --audit gives it per file), or that it is coming."""
        if not self._paths:
            return []
        total = self.audit_total
        if total is None and self._audit_failed is not None:
            return [line("input", "not counted", f"the audit failed ({self._audit_failed})")]
        if total is None:
            return [line("input", "computing…", "where every word of the files went")]
        kept_share = f"{total.kept / total.words:.1%} of the input" if total.words else ""
        return [
            line("input", f"{total.words:,}", "words in the files"),
            line("in records", f"{total.kept:,}", kept_share),
            line("dropped", f"{total.dropped:,}", "under a named reason"),
            line("no reason", f"{total.unexplained:,}", f"in {total.blocks:,} blocks (parse --audit)"),
        ]

    def _draw_sections(self) -> None:
        if self.overview is not None:
            overview = self.overview
            self._pane("sections").update(
                Fitted(partial(self._bars, overview.by_section, "section", overview.sections, "sections", cursor=self.section_cursor))
            )

    def _bars(self, frame: pl.DataFrame, column: str, count: int, what: str, width: int, cursor: int | None = None) -> Content:
        """Bars of `frame`'s first ROWS_SHOWN rows; the row at `cursor` (if any) highlighted."""
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
        if cursor is not None and 0 <= cursor < len(rows):
            lines = chart.plain.split("\n")
            start = sum(len(line) + 1 for line in lines[:cursor])
            # Not partial: a partial style drops the component's own background.
            chart = chart.stylize(self.get_visual_style("overview--cursor"), start, start + len(lines[cursor]))
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

    @property
    def sections_shown(self) -> list[str | None]:
        """The sections with a bar, in order (None: the articles without a section)."""
        if self.overview is None:
            return []
        return self.overview.by_section.get_column("section").head(ROWS_SHOWN).to_list()

    def action_move_section(self, step: int) -> None:
        shown = len(self.sections_shown)
        if not shown:
            return
        self.section_cursor = max(0, min(self.section_cursor + step, shown - 1))
        self._draw_sections()
        self._pane("sections").scroll_visible(animate=False)

    def action_filter_section(self) -> None:
        shown = self.sections_shown
        if not 0 <= self.section_cursor < len(shown):
            return
        section = shown[self.section_cursor]
        if section is None:
            self.notify("The articles without a section cannot be filtered by section.", severity="warning")
            return
        self.dismiss(field_term("section", section))

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#overview-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
            "page_up": body.scroll_page_up,
            "page_down": body.scroll_page_down,
        }[where]()
