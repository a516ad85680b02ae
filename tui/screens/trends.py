"""TrendsScreen: where and when one keyword occurs, and which keywords travel with it.

Opened with `t` for the keyword under the keyword panel's cursor; everything is over the whole
corpus (the view's filter would make the by-section chart trivial). Left: documents holding the
keyword per section (bars, with the share of the section's documents) and per ISO week or
month where articles have dates (a Sparkline over the corpus's dated range, zero-filled; `w`
switches weeks/months). Right: co-occurring keywords with the shared-document count and the
log-Dice strength (`core.stats.cooccurring_keywords`); `enter` on one closes the screen with
that keyword, and the app adds `kw:"..."` to the filter.

The statistics are computed in a thread worker when the screen mounts (`compute_trends`, also
timed by bench/insight.py); until they arrive the panes say so. Keyword and section text is
corpus data: it is rendered only as `Content` built from plain strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.style import Style
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from core.keywords import normalise_key
from core.stats import cooccurring_keywords, keyword_trend
from tui.screens.charts import bar_rows, fit, one_line

SECTION_ROWS = 12
"""Sections listed (those holding the keyword, most first); the rest are counted."""
COOCCURRING_TOP = 50
"""Co-occurring keywords listed."""
WEEKS_UP_TO = 26
"""A dated range of up to this many weeks is shown by week first, a longer one by month."""


@dataclass(frozen=True, slots=True)
class TrendsData:
    """What the trends screen shows for one keyword."""

    key: str
    """The normalised key."""
    docs: int
    """Articles holding the key."""
    total: int
    """Articles in the corpus."""
    sections: pl.DataFrame
    """`keyword_trend(..., by="section")`."""
    weeks: pl.DataFrame
    """`keyword_trend(..., by="week")`."""
    months: pl.DataFrame
    """`keyword_trend(..., by="month")`."""
    cooccurring: pl.DataFrame
    """`cooccurring_keywords(..., top=COOCCURRING_TOP)`."""


def compute_trends(articles: pl.DataFrame, keywords: pl.DataFrame, keyword: str) -> TrendsData:
    """Every statistic the screen shows for `keyword` (a display form or a key)."""
    key = normalise_key(keyword)
    sections = keyword_trend(articles, keywords, key, by="section")
    return TrendsData(
        key=key,
        docs=int(sections.get_column("docs").sum()),
        total=articles.height,
        sections=sections,
        weeks=keyword_trend(articles, keywords, key, by="week"),
        months=keyword_trend(articles, keywords, key, by="month"),
        cooccurring=cooccurring_keywords(keywords, key, top=COOCCURRING_TOP),
    )


class TrendsScreen(Screen[str | None]):
    """A keyword's documents by section and over time, and its co-occurring keywords;
    returns the co-occurring keyword chosen with `enter` (None: closed).

    | Key | Action |
    | :- | :- |
    | `j`, `k` / arrows, `g`, `G` | Move in the co-occurring keywords. |
    | `enter` | Filter by the co-occurring keyword (adds `kw:"..."`) and close. |
    | `w` | Switch the timeline between weeks and months. |
    | `escape`, `q`, `t` | Close. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,t", "close", "Close", id="trends.close"),
        Binding("w", "toggle_period", "Weeks/months", id="trends.period"),
        Binding("j", "move('down')", "Down", show=False, id="trends.down"),
        Binding("k", "move('up')", "Up", show=False, id="trends.up"),
        Binding("g", "move('first')", "First", show=False, id="trends.first"),
        Binding("G", "move('last')", "Last", show=False, id="trends.last"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"trends--bar", "trends--number", "trends--muted"}
    """
    | Class | Description |
    | :- | :- |
    | `trends--bar` | The bars of the by-section chart. |
    | `trends--number` | Counts beside bars and in the co-occurring list. |
    | `trends--muted` | Secondary text: shares, notes, column headers. |
    """

    class Computed(Message):
        """The worker finished the statistics."""

        def __init__(self, data: TrendsData) -> None:
            super().__init__()
            self.data = data
            """The statistics."""

    def __init__(self, keyword: str, articles: pl.DataFrame, keywords: pl.DataFrame) -> None:
        super().__init__()
        self.keyword = one_line(keyword, none="")
        """The keyword looked at (display form)."""
        self.data: TrendsData | None = None
        """The statistics, once computed."""
        self.period = "week"
        """The timeline's bucket: week or month (decided when the data arrives)."""
        self.stats_shown = False
        """The statistics are on screen."""
        self._articles = articles
        self._keywords = keywords
        self._neighbours: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="trends-body") as body:
            # Content, not str: a str border title is parsed as markup ("[bold]" would vanish).
            body.border_title = Content(f"Trends: {self.keyword}")
            body.border_subtitle = "enter filters · w weeks/months · escape or q closes"
            yield Static(Content("Computing…"), id="trends-summary")
            with Horizontal(id="trends-columns"):
                with Vertical(id="trends-left"):
                    yield Static(Content("By section"), id="trends-sections-title", classes="trends-heading")
                    yield Static(Content(""), id="trends-sections")
                    yield Static(Content("Over time"), id="trends-time-title", classes="trends-heading")
                    yield Sparkline([], id="trends-sparkline")
                    yield Static(Content(""), id="trends-time-range")
                with Vertical(id="trends-right"):
                    yield Static(Content("Co-occurring keywords"), classes="trends-heading")
                    yield Static(Content(""), id="trends-cooc-header")
                    yield OptionList(id="trends-cooc")

    def on_mount(self) -> None:
        self.query_one("#trends-cooc", OptionList).focus()
        self._compute()

    @work(thread=True, exclusive=True, exit_on_error=False, group="trends", description="keyword trends")
    def _compute(self) -> None:
        self.post_message(self.Computed(compute_trends(self._articles, self._keywords, self.keyword)))

    def on_trends_screen_computed(self, message: Computed) -> None:
        data = message.data
        self.data = data
        self.period = "week" if 0 < data.weeks.height <= WEEKS_UP_TO else "month"
        # After the next refresh, so the panes have their laid-out widths.
        self.call_after_refresh(self._draw)

    def on_resize(self) -> None:
        if self.data is not None:
            self.call_after_refresh(self._draw)

    def _draw(self) -> None:
        data = self.data
        if data is None or not self.is_attached:
            return
        share = data.docs / data.total if data.total else 0.0
        self.query_one("#trends-summary", Static).update(
            Content.assemble(
                (f"{data.docs:,}", "bold"),
                f" of {data.total:,} articles ({share:.0%}) have the keyword ",
                (self.keyword, "bold"),
            )
        )
        self._show_sections(data)
        self._show_time()
        self._show_cooccurring(data)
        self.stats_shown = True

    # -- panes ----------------------------------------------------------------------------------

    def _show_sections(self, data: TrendsData) -> None:
        pane = self.query_one("#trends-sections", Static)
        held = data.sections.filter(pl.col("docs") > 0)
        if held.is_empty():
            pane.update(Content.styled("No article has this keyword.", self._style("trends--muted")))
            return
        width = max(self.query_one("#trends-left").size.width, 30)
        label_cells = min(18, width // 3)
        number_cells = len(f"{int(held.get_column('docs').max() or 0):,}")
        bar_cells = max(4, width - label_cells - number_cells - 9)
        rows = [
            (section, int(docs), f" {share:>4.0%}")
            for section, docs, share in held.head(SECTION_ROWS).select("bucket", "docs", "share").iter_rows()
        ]
        chart = bar_rows(
            rows, label_cells=label_cells, bar_cells=bar_cells,
            bar_style=self._style("trends--bar"), number_style=self._style("trends--number"),
        )
        hidden = held.height - min(held.height, SECTION_ROWS)
        absent = data.sections.height - held.height
        notes = []
        if hidden:
            notes.append(f"+{hidden} more sections")
        if absent:
            notes.append(f"{absent} without it")
        notes.append("% of the section")
        note = Content.styled(" · ".join(notes), self._style("trends--muted"))
        pane.update(Content("\n").join([chart, note]))

    def _show_time(self) -> None:
        if self.data is None:
            return
        frame = self.data.weeks if self.period == "week" else self.data.months
        title = self.query_one("#trends-time-title", Static)
        sparkline = self.query_one("#trends-sparkline", Sparkline)
        span = self.query_one("#trends-time-range", Static)
        title.update(Content(f"By {self.period}"))
        if frame.is_empty():
            sparkline.display = False
            span.update(Content.styled("No dated articles: no timeline.", self._style("trends--muted")))
            return
        sparkline.display = True
        docs = frame.get_column("docs").to_list()
        sparkline.data = [float(value) for value in docs]
        buckets = frame.get_column("bucket").to_list()
        if not any(docs):
            span.update(
                Content.styled(
                    f"No dated article has it (dates: {buckets[0]} … {buckets[-1]}).",
                    self._style("trends--muted"),
                )
            )
            return
        peak = max(range(len(docs)), key=lambda index: (docs[index], -index))
        span.update(
            Content.assemble(
                (f"{buckets[0]} … {buckets[-1]}", self._style("trends--muted")),
                f" · {len(buckets)} {self.period}s · peak ",
                (buckets[peak], "bold"),
                f" ({docs[peak]:,} article{'s' if docs[peak] != 1 else ''})",
            )
        )

    def _show_cooccurring(self, data: TrendsData) -> None:
        options = self.query_one("#trends-cooc", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self._neighbours = []
        width = max(options.size.width - 4, 20)
        name_cells = width - 15
        muted, number = self._style("trends--muted"), self._style("trends--number")
        self.query_one("#trends-cooc-header", Static).update(
            Content.styled(f"{fit('keyword', name_cells).plain} {'shared':>6} {'logDice':>7}", muted)
        )
        prompts: list[Option] = []
        for keyword, shared, strength in data.cooccurring.select("keyword", "shared", "strength").iter_rows():
            name = one_line(keyword)
            self._neighbours.append(name)
            prompts.append(
                Option(
                    Content.assemble(
                        fit(name, name_cells), " ", (f"{shared:>6,}", number), " ", f"{strength:>7.2f}"
                    )
                )
            )
        if not prompts:
            prompts.append(Option(Content("No keyword shares an article with it."), disabled=True))
        options.add_options(prompts)
        if self._neighbours:
            keep = highlighted if highlighted is not None and highlighted < len(self._neighbours) else 0
            options.highlighted = keep

    def _style(self, component: str) -> Style:
        return self.get_visual_style(component, partial=True)

    # -- actions --------------------------------------------------------------------------------

    @property
    def neighbours(self) -> list[str]:
        """The co-occurring keywords listed, in order."""
        return list(self._neighbours)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self._neighbours):
            self.dismiss(self._neighbours[event.option_index])

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_period(self) -> None:
        self.period = "month" if self.period == "week" else "week"
        self._show_time()

    def action_move(self, where: str) -> None:
        options = self.query_one("#trends-cooc", OptionList)
        {
            "down": options.action_cursor_down,
            "up": options.action_cursor_up,
            "first": options.action_first,
            "last": options.action_last,
        }[where]()
