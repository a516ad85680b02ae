"""TrendsScreen: where and when one keyword occurs, and which keywords travel with it.

Opened with `t` for the keyword under the keyword panel's cursor; everything is over the whole
corpus (the view's filter would make the by-section chart trivial). Left: documents holding the
keyword per section (bars, with the share of the section's documents) and per ISO week or
month where articles have dates (a Sparkline over the corpus's dated range, zero-filled; `w`
switches weeks/months), and below it the periods holding the keyword as a list. Right:
co-occurring keywords with the shared-document count and the log-Dice strength
(`core.cooccurrence.cooccurring_keywords`).

Both lists can be acted on: `tab` moves between them (the co-occurring list has the focus
first) and `enter` closes the screen with a filter term the app adds to the filter: on a
co-occurring keyword `kw:"..."`, on a period its date terms (`core.filter_terms.period_filter`:
`date:2021-11` for a month, `date>=2021-11-01 date<=2021-11-07` for an ISO week).

The statistics are computed in a thread worker before the screen opens (`ComputedScreen`;
`compute_trends`, also timed by bench/insight.py), so its first paint has them. On a large
corpus the screen opens within its 300 ms budget because (bench/insight.py times each step):

- the worker counts with the `KeywordIndex` the app's view built for the keyword panel (the
  app hands it to the screen with the frames), in integers instead of joins over string ids;
- everything shown first comes from one Polars query (`keyword_profile`);
- the screen is laid out and painted once, with its numbers: the chart and the co-occurring
  lines are `Fitted` to the width they are painted at, so nothing waits for a first layout;
- only the period shown first is computed then; the other one after the first paint, so `w`
  finds it ready.

Keyword and section text is corpus data: it is rendered only as `Content` built from plain
strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from core.filter_terms import field_term, period_filter
from core.keyword_text import normalise_key
from tui.screens.charts import Fitted, bar_rows, fit, one_line
from tui.screens.computed import ComputedScreen

if TYPE_CHECKING:
    import polars as pl

    from core.keyword_index import KeywordIndex

SECTION_ROWS = 12
"""Sections listed (those holding the keyword, most first); the rest are counted."""
COOCCURRING_TOP = 50
"""Co-occurring keywords listed."""
WEEKS_UP_TO = 26
"""A dated range of up to this many weeks is shown by week first, a longer one by month."""


Period = Literal["week", "month"]


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
    period: Period
    """The timeline shown first: weeks for a dated range of up to WEEKS_UP_TO weeks."""
    timeline: pl.DataFrame
    """`keyword_trend(..., by=period)`."""
    cooccurring: pl.DataFrame
    """`cooccurring_keywords(..., top=COOCCURRING_TOP)`."""


def first_period(articles: pl.DataFrame) -> Period:
    """Weeks when the dated range spans 1 to WEEKS_UP_TO ISO weeks, else months (what the
    number of rows of `keyword_trend(..., by="week")` would say, from the first and last date)."""
    dates = articles.get_column("date")
    first, last = dates.min(), dates.max()
    if not isinstance(first, dt.date) or not isinstance(last, dt.date):
        return "month"
    monday_first = first - dt.timedelta(days=first.weekday())
    monday_last = last - dt.timedelta(days=last.weekday())
    return "week" if (monday_last - monday_first).days // 7 + 1 <= WEEKS_UP_TO else "month"


def compute_trends(
    articles: pl.DataFrame, keywords: pl.DataFrame, keyword: str, index: KeywordIndex | None = None
) -> TrendsData:
    """What the screen shows first for `keyword` (a display form or a key): the other
    period's timeline is left for later. `index`: the `KeywordIndex` of these frames, if
    there is one (the same numbers, sooner)."""
    from core.trends import keyword_profile

    key = normalise_key(keyword)
    period = first_period(articles)
    profile = keyword_profile(articles, keywords, key, by=("section", period), top=COOCCURRING_TOP, index=index)
    sections = profile.trends["section"]
    return TrendsData(
        key=key,
        docs=int(sections.get_column("docs").sum()),
        total=articles.height,
        sections=sections,
        period=period,
        timeline=profile.trends[period],
        cooccurring=profile.cooccurring,
    )


TrendsResult = tuple[TrendsData, "KeywordIndex | None"]
"""The statistics, and the corpus's keyword index the worker found (for the other timeline)."""


def _sections(count: int) -> str:
    return "section" if count == 1 else "sections"


class TrendsScreen(ComputedScreen[str | None, TrendsResult]):
    """A keyword's documents by section and over time, and its co-occurring keywords;
    returns the filter term chosen with `enter` (None: closed).

    | Key | Action |
    | :- | :- |
    | `tab`, `shift+tab` | Move between the co-occurring keywords and the periods. |
    | `j`, `k` / arrows, `g`, `G` | Move in the list that has the focus. |
    | `enter` | On a co-occurring keyword: filter by it (adds `kw:"..."`); on a period: filter by its dates (adds `date:2021-11`, or a week's `date>=… date<=…`); and close. |
    | `w` | Switch the timeline between weeks and months. |
    | `escape`, `q`, `t` | Close. |
    """

    AUTO_FOCUS = "#trends-cooc"

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

    class TimelineComputed(Message):
        """A worker finished the timeline of another period."""

        def __init__(self, period: Period, timeline: pl.DataFrame) -> None:
            super().__init__()
            self.period: Period = period
            """week or month."""
            self.timeline = timeline
            """`keyword_trend(..., by=period)`."""

    def __init__(
        self, keyword: str, articles: pl.DataFrame, keywords: pl.DataFrame, *, index: KeywordIndex | None
    ) -> None:
        """`index`: the `KeywordIndex` of `articles` and `keywords` (the view's), if any; one of
        other frames is not used."""
        super().__init__()
        self.keyword = one_line(keyword, none="")
        """The keyword looked at (display form)."""
        self.data: TrendsData | None = None
        """The statistics, once drawn."""
        self.period: Period = "week"
        """The timeline's bucket: week or month (decided when the data arrives)."""
        self.timelines: dict[Period, pl.DataFrame] = {}
        """The timelines computed so far, by period."""
        self._articles = articles
        self._keywords = keywords
        self._given_index = index
        self._index: KeywordIndex | None = None
        """The index the statistics were counted with (`_given_index`, if it is of the frames)."""
        self._neighbours: list[str] = []
        self._periods: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="trends-body") as body:
            # Content, not str: a str border title is parsed as markup ("[bold]" would vanish).
            body.border_title = Content(f"Trends: {self.keyword}")
            body.border_subtitle = "tab switches list · enter filters · w weeks/months · escape or q closes"
            yield Static(Content("Computing…"), id="trends-summary")
            with Horizontal(id="trends-columns"):
                with Vertical(id="trends-left"):
                    yield Static(Content("By section"), id="trends-sections-title", classes="trends-heading")
                    yield Static(Content(""), id="trends-sections")
                    yield Static(Content("Over time"), id="trends-time-title", classes="trends-heading")
                    yield Sparkline([], id="trends-sparkline")
                    yield Static(Content(""), id="trends-time-range")
                    yield Static(Content(""), id="trends-periods-header")
                    yield OptionList(id="trends-periods")
                with Vertical(id="trends-right"):
                    yield Static(Content("Co-occurring keywords"), classes="trends-heading")
                    yield Static(Content(""), id="trends-cooc-header")
                    yield OptionList(id="trends-cooc")

    def compute(self) -> TrendsResult:
        # Without the view's index, the string joins: building an index here would cost more
        # than they do.
        from core.keyword_index import matching_index

        index = matching_index(self._given_index, self._articles, self._keywords)
        return compute_trends(self._articles, self._keywords, self.keyword, index), index

    @work(thread=True, exclusive=True, exit_on_error=False, group="trends-timeline", description="keyword timeline")
    def _compute_timeline(self, key: str, period: Period) -> None:
        from core.trends import keyword_trend

        timeline = keyword_trend(self._articles, self._keywords, key, by=period, index=self._index)
        self.post_message(self.TimelineComputed(period, timeline))

    @property
    def index_found(self) -> bool:
        """The statistics were counted with the corpus's `KeywordIndex` (the fast way)."""
        return self._index is not None

    def on_trends_screen_timeline_computed(self, message: TimelineComputed) -> None:
        self.timelines[message.period] = message.timeline
        if message.period == self.period:
            self._show_time()

    def draw(self, result: TrendsResult) -> None:
        data, self._index = result
        self.data, self.period = data, data.period
        self.timelines[data.period] = data.timeline
        share = data.docs / data.total if data.total else 0.0
        self.query_one("#trends-summary", Static).update(
            Content.assemble(
                (f"{data.docs:,}", "bold"),
                f" of {data.total:,} articles ({share:.0%}) have the keyword ",
                (self.keyword, "bold"),
            )
        )
        self.query_one("#trends-sections", Static).update(Fitted(lambda width: self._sections(data, width)))
        self._show_time()
        self._show_cooccurring(data)
        # Once this is painted, so the paint does not wait for it: the other period's
        # timeline, for `w`.
        self.call_after_refresh(self._compute_other_timeline)

    def _compute_other_timeline(self) -> None:
        if self.data is not None and self.is_attached:
            other: Period = "month" if self.data.period == "week" else "week"
            if other not in self.timelines:
                self._compute_timeline(self.data.key, other)

    # -- panes ----------------------------------------------------------------------------------

    def _sections(self, data: TrendsData, width: int) -> Content:
        """The by-section chart for `width` cells."""
        # Plain rows, no Polars query: the UI thread draws, it does not compute.
        held = [row for row in data.sections.rows(named=True) if row["docs"] > 0]
        if not held:
            return Content.styled("No article has this keyword.", self._style("trends--muted"))
        width = max(width, 30)
        label_cells = min(18, width // 3)
        number_cells = len(f"{max(row['docs'] for row in held):,}")
        bar_cells = max(4, width - label_cells - number_cells - 9)
        rows = [(row["bucket"], int(row["docs"]), f" {row['share']:>4.0%}") for row in held[:SECTION_ROWS]]
        chart = bar_rows(
            rows, label_cells=label_cells, bar_cells=bar_cells,
            bar_style=self._style("trends--bar"), number_style=self._style("trends--number"),
        )
        hidden = len(held) - min(len(held), SECTION_ROWS)
        absent = data.sections.height - len(held)
        muted = self._style("trends--muted")
        legend = ["bar and number: articles with the keyword; %: their share of the section's articles"]
        counts = []
        if hidden:
            counts.append(f"{hidden} more {_sections(hidden)} with it, not shown")
        if absent:
            counts.append(f"{absent} {_sections(absent)} with no article holding it")
        if counts:
            legend.append(" · ".join(counts))
        return Content("\n").join([chart, *(Content.styled(line, muted) for line in legend)])

    def _show_time(self) -> None:
        if self.data is None:
            return
        frame = self.timelines.get(self.period)
        self._show_periods(frame)
        title = self.query_one("#trends-time-title", Static)
        sparkline = self.query_one("#trends-sparkline", Sparkline)
        span = self.query_one("#trends-time-range", Static)
        title.update(Content(f"By {self.period}"))
        if frame is None:
            sparkline.display = False
            span.update(Content.styled("Computing…", self._style("trends--muted")))
            return
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

    def _show_periods(self, frame: pl.DataFrame | None) -> None:
        """The periods of `frame` holding the keyword, as the list `enter` filters by."""
        options = self.query_one("#trends-periods", OptionList)
        options.clear_options()
        self._periods = []
        header = self.query_one("#trends-periods-header", Static)
        if frame is None:
            header.update(Content(""))
            return
        muted = self._style("trends--muted")
        header.update(Content.styled(f"{self.period:<10}{'with it':>8}{'of all':>8}", muted))
        prompts: list[Option] = []
        for bucket, docs, total in frame.select("bucket", "docs", "total").iter_rows():
            if docs:
                self._periods.append(bucket)
                prompts.append(Option(Content.assemble(f"{bucket:<10}", (f"{docs:>8,}", self._style("trends--number")), f"{total:>8,}")))
        if not prompts:
            prompts.append(Option(Content.styled(f"No {self.period} has it.", muted), disabled=True))
        options.add_options(prompts)
        if self._periods:
            options.highlighted = 0

    def _show_cooccurring(self, data: TrendsData) -> None:
        options = self.query_one("#trends-cooc", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self._neighbours = []
        self.query_one("#trends-cooc-header", Static).update(Fitted(self._neighbours_header))
        prompts: list[Option] = []
        for row in data.cooccurring.rows(named=True):
            name = one_line(row["keyword"])
            self._neighbours.append(name)
            prompts.append(Option(Fitted(partial(self._neighbour, name, row["shared"], row["strength"]))))
        if not prompts:
            prompts.append(Option(Content("No keyword shares an article with it."), disabled=True))
        options.add_options(prompts)
        if self._neighbours:
            keep = highlighted if highlighted is not None and highlighted < len(self._neighbours) else 0
            options.highlighted = keep

    def _neighbours_header(self, width: int) -> Content:
        """The co-occurring list's column headers for `width` cells (the header's padding and
        the list's scrollbar gutter make the list's lines 2 cells narrower)."""
        columns = f"{fit('keyword', width - 17).plain} {'shared':>6} {'logDice':>7}"
        return Content.styled(columns, self._style("trends--muted"))

    def _neighbour(self, name: str, shared: int, strength: float, width: int) -> Content:
        """One co-occurring keyword's line for `width` cells."""
        shared_cells = (f"{shared:>6,}", self._style("trends--number"))
        return Content.assemble(fit(name, max(width, 20) - 15), " ", shared_cells, " ", f"{strength:>7.2f}")

    def _style(self, component: str) -> Style:
        return self.get_visual_style(component, partial=True)

    # -- actions --------------------------------------------------------------------------------

    @property
    def neighbours(self) -> list[str]:
        """The co-occurring keywords listed, in order."""
        return list(self._neighbours)

    @property
    def periods(self) -> list[str]:
        """The periods listed (those holding the keyword), in time order."""
        return list(self._periods)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = event.option_index
        if event.option_list.id == "trends-periods":
            if 0 <= index < len(self._periods):
                self.dismiss(period_filter(self._periods[index], self.period))
        elif 0 <= index < len(self._neighbours):
            self.dismiss(field_term("kw", self._neighbours[index]))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_toggle_period(self) -> None:
        self.period = "month" if self.period == "week" else "week"
        self._show_time()
        if self.data is not None and self.period not in self.timelines and self.stats_shown:
            self._compute_timeline(self.data.key, self.period)

    def action_move(self, where: str) -> None:
        focused = self.focused
        options = focused if isinstance(focused, OptionList) else self.query_one("#trends-cooc", OptionList)
        {
            "down": options.action_cursor_down,
            "up": options.action_cursor_up,
            "first": options.action_first,
            "last": options.action_last,
        }[where]()
