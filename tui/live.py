"""The open dashboard follows its folders: new, changed and deleted files reach the list.

Once the corpus is loaded, a thread of its own watches the paths (`core.watch`). For each
batch it parses only the batch's files, de-duplicates them against the rest
(`core.live_update`), merges the rows into the view (`CorpusView.apply_delta`: every derived
frame made again there) and computes the list's rows for the current filter and sort, then
posts one `LiveBatch`. On the UI thread, `apply` only swaps those rows in: the cursor stays on
its article (on a neighbour when that article left), the list keeps its scroll offset, the
reader its article. The new articles' keywords are extracted on another thread after the
rows are shown, and shown with the next refresh.

Articles that arrived since the session opened are "new": the status bar counts them
(`+N new`), `is:new` keeps them, `+` jumps to the next one, and the overview counts them.
"""

from __future__ import annotations

from dataclasses import replace

import os
import queue
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.messages import KeywordsUpdated, LiveBatch, ViewComputed

if TYPE_CHECKING:
    import polars as pl

    from core.live_update import Delta
    from tui.app import NewsdeskApp


def warm_up() -> None:
    """Import the parser and load the language model now, so the first batch does not hold
    the interpreter (and the UI thread) while it does."""
    from core.corpus import RawArticle, sightings_frame

    sightings_frame([RawArticle("Warming up", "The parser and the language model are ready before the first page.", "")])


class LiveFollow:
    """The watch of `app.paths` and the articles that arrived since the session opened."""

    def __init__(self, app: NewsdeskApp) -> None:
        self._app = app
        self._stop = threading.Event()
        self.watching = threading.Event()
        """The OS watch is in place: files written from now on are seen."""
        self.new_ids: frozenset[str] = frozenset()
        """Ids of the articles that arrived since the session opened (replaced, never changed in
        place, on the UI thread: a worker holding it keeps a consistent set, and the filter's
        id series is made once per set)."""
        self.batches = 0
        """Batches merged into the list (UI thread)."""
        self._thread: threading.Thread | None = None
        self._to_index: queue.Queue[pl.DataFrame] = queue.Queue()
        """Articles added by batches, their keywords still to extract."""

    def start(self) -> None:
        """Watch the paths on a thread of their own (once the corpus is loaded). Not one of
        the app's workers: those are awaited when the app waits for its work to end, and
        this one ends only with the app (or `stop`)."""
        if not self._app.paths or self._stop.is_set() or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._reporting, args=(self._follow,), name="newsdesk-live", daemon=True)
        self._thread.start()
        if self._app.loader.index_enabled:
            threading.Thread(target=self._reporting, args=(self._index_new,), name="newsdesk-live-keywords", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    # -- the worker ---------------------------------------------------------------------------

    def is_set(self) -> bool:
        """Whether the watch is to end: stopped, or the app is no longer running."""
        return self._stop.is_set() or not self._app.is_running

    def wait(self, timeout: float | None = None) -> bool:
        self._stop.wait(timeout)
        return self.is_set()

    def _reporting(self, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception as error:  # the dashboard goes on without following: say why, once
            self._warn(f"stopped following the folders: {type(error).__name__}: {error}")

    def _follow(self) -> None:
        from core.live_update import LiveCorpus
        from core.watch import watch_batches

        app, view = self._app, self._app.view
        live = LiveCorpus.of(app.paths, view.corpus.articles, self._warn, app.loader.follow_links)
        warm_up()
        for changes in watch_batches(app.paths, self, self._warn, ready=self.watching.set):
            if self.is_set():
                break
            delta = live.read(changes, view.corpus.articles.get_column("id"))
            if not delta.changes_rows and not delta.skipped:
                continue
            keep = self._article_kept(delta)
            view.apply_delta(delta)
            new = (self.new_ids | set(delta.added.get_column("id").to_list())) - delta.removed
            filtering = app.filtering
            generation, text, sort = filtering.generation, filtering.wanted, filtering.sort
            result = view.compute(text, sort, replace(app.reading.marks(), new=frozenset(new)))
            from core.view import FilterError

            keywords = None if isinstance(result, FilterError) else view.aggregate(result)
            computed = ViewComputed(generation, text, sort, result, True, keywords)
            app.post_message(LiveBatch(computed, delta, keep))
            if delta.added.height and app.loader.index_enabled:
                self._to_index.put(delta.added)

    def _article_kept(self, delta: Delta) -> str | None:
        """The article the cursor stays on: its own, or the nearest below (else above) that
        stays when its row leaves. Read from the list's frame, which only the UI thread
        replaces (a single reference)."""
        article_list = self._app.article_list
        frame, row = article_list.frame, article_list.cursor
        if frame.is_empty() or row >= frame.height:
            return None
        ids = frame.get_column("id")
        if ids[row] not in delta.removed:
            return None  # the list keeps the cursor's article itself
        for other in (*range(row + 1, ids.len()), *range(row - 1, -1, -1)):
            if ids[other] not in delta.removed:
                return str(ids[other])
        return None

    def _index_new(self) -> None:
        """Extract the keywords of the articles the batches added, on a thread of its own so
        that a large burst's keywords do not hold back the next batch's rows."""
        import polars as pl

        from core.index import index_keywords

        app = self._app
        while not app.loader.indexed.wait(0.5):  # the first indexing installs its keywords: these come after
            if self.is_set():
                return
        while not self.is_set():
            try:
                frames = [self._to_index.get(timeout=0.5)]
            except queue.Empty:
                continue
            while not self._to_index.empty():
                frames.append(self._to_index.get_nowait())
            keywords = index_keywords(
                pl.concat(frames, how="vertical"), engine=app.config.engine, top=app.config.top,
                processes=max(1, (os.cpu_count() or 2) - 1), cancel=self._stop, warn=self._warn,
            )
            if not self.is_set():
                app.view.add_keywords(keywords)
                app.post_message(KeywordsUpdated(finished=False))

    def _warn(self, text: str) -> None:
        if self._app.is_running:
            self._app.notify(str(text), title="Following the folders", severity="warning", markup=False)

    # -- the UI thread ------------------------------------------------------------------------

    def apply(self, message: LiveBatch) -> None:
        """Swap in the rows the worker computed, keeping the reader's place."""
        app, delta = self._app, message.delta
        if not app.panes_alive():
            return  # the app is closing
        self.batches += 1
        self.new_ids = (self.new_ids | frozenset(delta.added.get_column("id").to_list())) - delta.removed
        app.status_bar.set(new=len(self.new_ids))
        if not app.filtering.show(message.computed, keep_id=message.keep_id, keep_scroll=True):
            app.filtering.refresh()  # a newer filter was asked for: its rows come with the new corpus
        # A file read again is skipped or not as it is now (a page half-written, then finished).
        skipped = [entry for entry in app.loader.skipped if entry[0] not in delta.names]
        skipped += [(str(entry.path), str(entry.reason)) for entry in delta.skipped]
        app.loader.skipped = skipped
        app.status_bar.set(skipped=len(skipped))

    def jump_next(self) -> None:
        """Move the cursor to the next new article in the list (from the top after the last)."""
        article_list = self._app.article_list
        if not self.new_ids or not article_list.row_count:
            self._app.notify("No new articles since the dashboard opened.", markup=False)
            return
        import polars as pl

        rows = article_list.frame.select(pl.arg_where(pl.col("id").is_in(list(self.new_ids)))).to_series().to_list()
        if not rows:
            self._app.notify("No new article in the list (the filter hides them).", markup=False)
            return
        after = [row for row in rows if row > article_list.cursor]
        article_list.cursor = after[0] if after else rows[0]
