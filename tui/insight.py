"""The insight screens: keyword trends (`t`), corpus overview (`o`) and keyword in context (`c`).

Their numbers are computed in a thread worker before the screen opens: a screen opens with
them when they come within OPEN_GRACE_SECONDS, else at once saying "Computing…" and shows
them when they arrive (`open_computed`). A newer request wins over one still computing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from tui.messages import KwicReady, StatisticsComputed
from tui.screens.computed import ComputedScreen
from tui.screens.kwic import KwicScreen
from tui.screens.overview import OverviewScreen
from tui.screens.trends import TrendsScreen

if TYPE_CHECKING:
    import polars as pl

    from tui.app import NewsdeskApp

OPEN_GRACE_SECONDS = 0.15
"""A statistics screen (`t`, `o`) opens with its numbers when they take up to this long (on a
large corpus they usually do); after it, it opens at once and says "Computing…"."""


class Insight:
    """Opens the insight screens over the app's current view."""

    def __init__(self, app: NewsdeskApp) -> None:
        self._app = app
        self._opening: ComputedScreen[Any, Any] | None = None
        self._opening_callback: Callable[[Any], object] | None = None

    def keyword_under_cursor(self) -> str | None:
        """The keyword panel's keyword, once the corpus is loaded (else say why there is none)."""
        if self._app.first_screen.still_opening():
            return None
        keyword = self._app.keyword_panel.current_keyword
        if keyword is None:
            self._app.notify("No keyword under the keyword cursor yet.", severity="warning")
        return keyword

    # -- trends and overview ------------------------------------------------------------------

    def trends(self, keyword: str) -> None:
        """Open the trends of `keyword`; choosing a co-occurring keyword or a period filters by it."""
        corpus = self._app.view.corpus
        screen = TrendsScreen(keyword, corpus.articles, corpus.keywords, index=self._app.view.keyword_index)
        self.open_computed(screen, self._add_term)

    def overview(self) -> None:
        """Open the corpus overview (unless it is open)."""
        app = self._app
        if not isinstance(app.screen, OverviewScreen):
            corpus = app.view.corpus
            self.open_computed(
                OverviewScreen(
                    corpus.articles, corpus.keywords, app.paths, skipped=app.loader.skipped, index=app.view.keyword_index,
                    marks=app.reading.marks(),
                    new=len(app.live.new_ids),
                    languages_pending=app.loader.detecting_languages(),
                ),
                self._add_term,
            )

    def _add_term(self, term: str | None) -> None:
        """Add the filter term a screen returned to the filter (None: it was closed)."""
        if term:
            self._app.filtering.add_term(term)

    def open_computed(self, screen: ComputedScreen[Any, Any], callback: Callable[[Any], object] | None = None) -> None:
        """Compute `screen`'s numbers in a worker and open it with them, or after
        OPEN_GRACE_SECONDS without them (it shows them when they arrive); `callback` gets what
        the screen returns when dismissed. A newer call wins."""
        self._opening, self._opening_callback = screen, callback
        self._app.run_worker(
            lambda: self._compute(screen), thread=True, exclusive=True, exit_on_error=False, group="statistics", description="screen statistics"
        )
        self._app.set_timer(OPEN_GRACE_SECONDS, lambda: self._push(screen))

    def _compute(self, screen: ComputedScreen[Any, Any]) -> None:
        result = screen.compute()
        if not get_current_worker().is_cancelled:
            self._app.post_message(StatisticsComputed(screen, result))

    def computed(self, message: StatisticsComputed) -> None:
        message.screen.show(message.result)
        self._push(message.screen)

    def failed(self) -> None:
        """The numbers could not be computed: the screen is not opened, or closed if it is waiting."""
        self._opening = None
        app = self._app
        if isinstance(app.screen, ComputedScreen) and app.screen.result is None:
            app.pop_screen()

    def _push(self, screen: ComputedScreen[Any, Any]) -> None:
        """Push `screen` if it is still the one being opened (once)."""
        if self._opening is not screen or not self._app.panes_alive():
            return
        self._opening = None
        self._app.push_screen(screen, callback=self._opening_callback)

    # -- keyword in context -------------------------------------------------------------------

    def kwic(self, term: str) -> None:
        """Compute the concordance of `term` over the list's rows and show it."""
        frame = self._app.article_list.frame
        self._app.run_worker(
            lambda: self._compute_kwic(term, frame), thread=True, exclusive=True, exit_on_error=False, group="kwic", description="concordance"
        )

    def _compute_kwic(self, term: str, frame: pl.DataFrame) -> None:
        self._app.post_message(KwicReady(term, self._app.view.kwic(frame, term)))

    def kwic_ready(self, message: KwicReady) -> None:
        self._app.push_screen(KwicScreen(message.term, message.lines), callback=self._app.open_article)
