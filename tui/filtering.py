"""Filter and sort requests: the rows of the view, computed off the UI thread, newest wins.

Every change of what the list shows (typing in the filter bar, a new sort, more rows or new
keywords arriving) asks for the rows again (`request`). A thread worker computes them and
aggregates their keywords before posting both (`ViewComputed`), so the list and the keyword
panel change in one paint. Results of a request overtaken by a newer one are dropped
(generation counter), so the list never flickers back to an old answer.
"""

from __future__ import annotations

from dataclasses import replace

from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from tui.messages import ViewComputed
from core.sorts import SORTS

if TYPE_CHECKING:
    from core.query_terms import Marks
    from tui.app import NewsdeskApp


class Filtering:
    """The filter and sort of the view, and the requests for its rows."""

    def __init__(self, app: NewsdeskApp) -> None:
        self._app = app
        self._generation = 0
        self.sort = SORTS[0]
        """The current sort order (one of SORTS, or reversed: `core.sorts`)."""
        self.applied = ""
        """The filter whose result is on screen (the last one that parsed)."""
        self.wanted = ""
        """The filter last asked for."""

    def request(self, text: str, *, keep_place: bool = False) -> None:
        """Compute the rows for filter `text` and the current sort, off the UI thread.

        With `keep_place` (a refresh: more rows, new keywords) the cursor stays on the article
        it is on when the rows arrive, not the one it was on when they were asked for: the
        user may have moved meanwhile."""
        self._generation += 1
        self.wanted = text
        marks = replace(self._app.reading.marks(), new=self._app.live.new_ids)
        generation, sort = self._generation, self.sort
        self._app.run_worker(
            lambda: self._compute(generation, text, sort, keep_place, marks),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group="view",
            description="filtering",
        )

    def refresh(self) -> None:
        """Compute the rows again for the filter last asked for (not the last applied: a
        refresh must not undo a filter whose rows are still on their way), keeping the
        cursor's article."""
        self.request(self.wanted, keep_place=True)

    @property
    def generation(self) -> int:
        """The newest request's number (rows computed for an older one are not shown)."""
        return self._generation

    def _compute(self, generation: int, text: str, sort: str, keep_place: bool, marks: Marks) -> None:
        worker = get_current_worker()
        view = self._app.view
        result = view.compute(text, sort, marks)
        if worker.is_cancelled:
            return
        # The keywords before the rows are sent, not after: aggregated while the UI thread
        # paints the list, each return from Polars would wait for the GIL and the panel would
        # come a paint after the list.
        from core.view import FilterError

        keywords = None if isinstance(result, FilterError) else view.aggregate(result)
        if not worker.is_cancelled:
            self._app.post_message(ViewComputed(generation, text, sort, result, keep_place, keywords))

    def show(self, message: ViewComputed, *, keep_id: str | None = None, keep_scroll: bool = False) -> bool:
        """Show computed rows in every pane (UI thread), unless a newer request is on its way
        (then False). `keep_id`: the article the cursor goes to (else the one it is on, with
        `keep_place`); `keep_scroll`: the list keeps its scroll offset."""
        from core.view import ROW_COLUMN, FilterError

        if message.generation != self._generation:
            return False
        app, result = self._app, message.result
        app.startup.rows_computed(not isinstance(result, FilterError) and bool(result.height))
        loaded = app.loader.loaded
        if isinstance(result, FilterError):
            app.filter_bar.show_error(result.message, result.span)
            app.status_bar.set(total=app.view.total, **app.loader.load_status())
            return True
        app.filter_bar.show_error(None)
        self.applied = message.text.strip()
        app.startup.rows_shown(loaded)
        if keep_id is None and message.keep_place:
            keep_id = self._article_under_cursor()
        app.article_list.set_frame(result, keep_id=keep_id, keep_scroll=keep_scroll, dated=app.view.dated)
        rows = result.get_column(ROW_COLUMN) if ROW_COLUMN in result.columns else None
        app.keyword_panel.set_subset(app.view.corpus, result.get_column("id"), app.view.keyword_index, rows)
        if message.keywords is not None:
            app.keyword_panel.set_view_keywords(message.keywords)
        app.status_bar.set(
            shown=result.height,
            total=app.view.total,
            filter=self.applied,
            sort=message.sort,
            **app.loader.load_status(),
        )
        if loaded:
            app.first_screen.remember(result, self.applied, message.sort, app.view.total)
            app.reading.shown(self.applied, message.sort)
        return True

    def _article_under_cursor(self) -> str | None:
        """The article the list's cursor is on, so a refreshed list (more rows arrived) keeps it."""
        article_list = self._app.article_list
        if not article_list.row_count:
            return None
        return article_list.article_id_at(article_list.cursor)

    def set_sort(self, sort: str) -> None:
        """Order the list by `sort` (one of SORTS, or reversed); the cursor goes to the first row."""
        self.sort = sort
        self._app.status_bar.set(sort=sort)
        self.request(self.wanted)

    def marks_changed(self) -> None:
        """The user marked or unmarked an article: a filter with `is:` terms keeps other rows."""
        from core.query import Query, parse_filter

        query = parse_filter(self.wanted)
        if isinstance(query, Query) and query.uses_marks:
            self.refresh()

    def apply(self, text: str) -> None:
        """Put `text` in the filter bar and apply it now."""
        self._app.filter_bar.set_value(text, apply=False)
        self.request(text)

    def add_term(self, term: str) -> None:
        """Add `term` to the applied filter and apply it."""
        self.apply(f"{self.applied} {term}".strip())

    def add_keyword(self, keyword: str | None) -> None:
        """Add `kw:"keyword"` to the applied filter and apply it (None: do nothing)."""
        if keyword:
            self.add_term(f'kw:"{keyword.replace(chr(34), "")}"')
