"""The load/index pipeline: the workers that read the corpus, extract its keywords and
prepare its text for search, and what the panes show of their progress.

The workers run in threads and post `tui.messages` to the app, which hands them back here on
the UI thread (`show_progress`, `adopt`, `show_index_progress`, `keywords_updated`). When
they run relative to the first paint is the start-up sequence's business (`tui.startup`).
A large corpus keeps its bodies on disk and reads them from its snapshot when needed
(`core.bodies.BodyStore`).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from core import table_head_start
from core.sanitize import for_display
from tui.messages import BodiesDropped, CorpusLoaded, IndexProgress, KeywordsUpdated, LoadProgressed, StateRead
from tui.startup import read_snapshot_ahead
from tui.widgets.status_bar import skipped_summary

if TYPE_CHECKING:
    import polars as pl

    from core.bodies import BodyStore
    from core.corpus import Corpus
    from core.progress import LoadProgress
    from core.prefetch import SnapshotPrefetch
    from tui.app import NewsdeskApp

KEYWORD_REFRESH_SECONDS = 1.0
"""While indexing, how often new keywords are folded into the view."""


class Loader:
    """Reads the corpus of `app.paths` (or installs `preloaded`), then indexes its keywords."""

    def __init__(
        self,
        app: NewsdeskApp,
        *,
        preloaded: Corpus | None,
        prefetched: SnapshotPrefetch | None,
        index: bool,
        bodies_in_memory_max_bytes: int | None,
        follow_links: bool,
    ) -> None:
        self._app = app
        self._preloaded = preloaded
        self._prefetched = prefetched
        self._index_enabled = index
        self._bodies_in_memory_max_bytes = bodies_in_memory_max_bytes
        self._follow_links = follow_links
        self._cancel_index = threading.Event()
        self._bodies_settled = threading.Event()
        """The load has attached the body store it will (search preparation waits for it)."""
        self._bodies_settled.set()
        self._parse_ended = False
        """The last load report (or the load's end) has come; the status bar says so with the next rows."""
        self.loaded = False
        """The corpus is loaded and on screen."""
        self.all_rows = False
        """Every row of the corpus has come (some of their languages may still be coming)."""
        self.indexed = threading.Event()
        """The first keyword indexing is over (or will not run): keywords added later come after it."""
        self.skipped: list[tuple[str, str]] = []
        """(path, reason) of the files the load could not use."""
        self.rows_shown = threading.Event()
        """The loaded corpus's rows are on screen (or the app has ended): its snapshot is
        written after that, so that the writing does not hold up those rows."""

    # -- the load worker ----------------------------------------------------------------------

    def start(self) -> None:
        self._app.run_worker(self._load, thread=True, exclusive=True, exit_on_error=False, group="load", description="reading corpus")

    def _load(self) -> None:
        app, paths, preloaded = self._app, self._app.paths, self._preloaded
        if preloaded is None and self._prefetched is None:
            # No read started at launch (behind a first screen, or an app made without one):
            # the snapshot's read starts first (Polars decodes it without the GIL) and the
            # modules the load and the view need import meanwhile.
            self._prefetched = read_snapshot_ahead(paths, self._body_limit)
        from core.ingest import load_corpus

        view = app.view  # made now, while the snapshot is read: it imports the view's modules
        # The reading state first (its filter and sort shape the first view), off the UI thread.
        store = app.reading.open_store()
        # Posted, not called: the worker goes on while the UI thread mounts the panes, and
        # the state is in place before the rows reported after it.
        app.post_message(StateRead(store, store.load()))
        if preloaded is not None:
            view.set_corpus(preloaded)
            app.post_message(CorpusLoaded(preloaded, []))
            return
        skipped: list[tuple[str, str]] = []
        worker = get_current_worker()
        cancel = threading.Event()

        def progress(report: LoadProgress) -> None:
            if worker.is_cancelled:
                cancel.set()
                return
            if report.partial is not None and report.partial.articles.height:
                # Slow for big corpora: here, not on the UI thread. A large snapshot comes
                # without its text: the store that reads it is installed with it.
                without_text = "body" not in report.partial.articles.columns
                view.set_corpus(report.partial, self._body_store(report.partial) if without_text else None)
            app.post_message(LoadProgressed(report))
            if report.files_done == 0 and report.partial is not None and report.partial.articles.height:
                app.startup.wait_for_first_view()  # the stored articles' paint, before the walk

        def warn(text: str) -> None:
            # Also heard from the snapshot's save, which may end after the app has: `notify`
            # only posts (call_from_thread would wait for a loop that no longer runs).
            if app.is_running:
                app.notify(str(text), title="Corpus", severity="warning", markup=False)
            else:
                print(f"newsdesk: warning: {for_display(text, one_line=True)}", file=sys.stderr)

        self._bodies_settled.clear()
        try:
            corpus = load_corpus(
                paths,
                on_skip=lambda s: skipped.append((str(s.path), str(s.reason))),
                warn=warn,
                progress=progress,
                cancel=cancel,
                body_limit=self._body_limit,
                prefetched=self._prefetched,
                save_in_background=True,
                save_after=self.rows_shown,
                follow_links=self._follow_links,
                max_decompressed=app.config.max_decompressed_mib * 2**20,
            )
            if cancel.is_set():
                return
            from_snapshot = "body" not in corpus.articles.columns
            body_store = self._body_store(corpus) if from_snapshot else None
            if view.corpus.articles is corpus.articles:
                corpus = view.corpus  # the last rows shown were the answer: installed already
                if body_store is not None:
                    view.attach_bodies(corpus, body_store)
            else:
                view.set_corpus(corpus, body_store)
            app.post_message(CorpusLoaded(corpus, skipped))
            if not from_snapshot:
                # A large parsed corpus reads its bodies from the snapshot once that is
                # written (after the rows are shown); search preparation then drops them.
                body_store = self._body_store(corpus)
                if body_store is not None:
                    view.attach_bodies(corpus, body_store)
        finally:
            self._bodies_settled.set()
            table_head_start.abandon()  # begun at launch for a table this load did not read

    @property
    def _body_limit(self) -> int:
        """Above this much body text, bodies are read from the snapshot when needed."""
        if self._bodies_in_memory_max_bytes is None:
            from core.bodies import BODIES_IN_MEMORY_MAX_BYTES

            return BODIES_IN_MEMORY_MAX_BYTES
        return self._bodies_in_memory_max_bytes

    def _body_store(self, corpus: Corpus) -> BodyStore | None:
        """Where a large corpus reads its bodies from instead of holding them (load worker;
        waits for the snapshot's save); None for a small corpus, or when there is no
        snapshot (a read-only cache)."""
        from core.bodies import BodyStore
        from core.snapshot import snapshot_path, wait_for_save

        path = snapshot_path(self._app.paths)
        if "body" not in corpus.articles.columns:
            # Read from that very file a moment ago: no need to compare every id up front
            # (each read checks the ids it gets).
            return BodyStore(path, corpus.articles.get_column("id"))
        if corpus.articles.get_column("body").str.len_bytes().sum() <= self._body_limit:
            return None
        wait_for_save(path)
        return BodyStore.open(path, corpus.articles.get_column("id"))

    # -- what the panes show of the load (UI thread) ------------------------------------------

    def show_progress(self, message: LoadProgressed) -> None:
        """Show parse progress, and the rows found so far while a large corpus loads."""
        if self.loaded:
            return
        app, report = self._app, message.report
        # The end of parsing is shown with its rows, as the count is (`still_parsing`):
        # a status that said "done" over the rows of the report before read as the whole corpus.
        self._parse_ended = report.files_done >= report.files_total or report.languages_due
        self.all_rows = self.all_rows or report.languages_due
        app.status_bar.set(
            parsing=app.status_bar.status.parsing or not self._parse_ended,
            parse_done=report.files_done,
            parse_total=report.files_total,
            parse_mb_per_s=report.bytes_per_second / 1e6 if report.bytes_done else None,
            parse_seconds_left=report.seconds_left,
        )
        if report.partial is not None and report.partial.articles.height:
            # The load worker installed this partial corpus (or a newer one since): show the
            # view's. The count changes with the rows (`tui.filtering`), not a frame before them.
            app.filtering.request(app.filter_bar.value if app.filter_bar.value.strip() else "", keep_place=True)

    def load_status(self) -> dict[str, bool]:
        """What the status bar says of the load as a view's rows are shown (its `loading`,
        `parsing` and `languages` fields)."""
        return {"loading": not self.loaded, "parsing": self.still_parsing(), "languages": self.detecting_languages()}

    def detecting_languages(self) -> bool:
        """What the status bar says of languages as a view's rows are shown: every row is in,
        from the last report, and some of their languages are still being detected."""
        return self.all_rows and not self.loaded

    def still_parsing(self) -> bool:
        """What the status bar says of parsing as a view's rows are shown: it ends with the
        first rows shown after the last report."""
        return self._app.status_bar.status.parsing and not self._parse_ended

    def failed(self) -> None:
        """The load worker failed: no view is coming."""
        app = self._app
        app.article_list.empty_message = "Could not read the corpus."
        app.article_list.refresh()
        app.status_bar.set(loading=False)

    def adopt(self, message: CorpusLoaded) -> None:
        """The corpus is loaded: show it, say what was skipped, and index its keywords."""
        app, corpus, skipped = self._app, message.corpus, message.skipped
        view = app.view
        if view.corpus is not corpus:
            view.set_corpus(corpus)
        self.loaded = self.all_rows = True
        self.skipped = list(skipped)
        app.article_list.empty_message = ("No articles." if not view.total else "No articles match the filter.") + (
            f" {skipped_summary(len(skipped))}." if skipped else ""
        )
        self._parse_ended = True
        # The count, the end of "loading…" and of parsing come with the rows.
        app.status_bar.set(sort=app.filtering.sort, skipped=len(skipped), languages=False)
        # Rows shown while loading keep the reader's place.
        app.filtering.request(app.filter_bar.value if app.filter_bar.value.strip() else "", keep_place=True)
        if skipped:
            shown = "\n".join(f"{for_display(Path(path))}: {for_display(reason, one_line=True)}" for path, reason in skipped[:5])
            more = f"\n… and {len(skipped) - 5} more" if len(skipped) > 5 else ""
            app.notify(f"{shown}{more}", title=f"Skipped {len(skipped)} file(s)", severity="warning", markup=False)
        if self._index_enabled and corpus.keywords.is_empty() and view.total:
            app.run_worker(self._index, thread=True, exclusive=True, exit_on_error=False, group="index", description="indexing keywords")
        else:
            self.indexed.set()
            if not corpus.keywords.is_empty():
                app.status_bar.set(index_total=corpus.keywords.get_column("id").n_unique())
        app.startup.corpus_adopted()
        if self._preloaded is None:
            app.live.start()  # follows the folders from what was just loaded

    # -- search preparation -------------------------------------------------------------------

    def prepare_search(self) -> None:
        """Lower-case the text once for fast text filters, in a worker (after the first paint)."""
        self._app.run_worker(self._prepare_search, thread=True, exclusive=True, exit_on_error=False, group="search", description="preparing search")

    def _prepare_search(self) -> None:
        self._bodies_settled.wait()  # with the body store attached, the in-memory bodies go
        view = self._app.view
        view.prepare_search()
        if view.bodies_on_disk:
            self._app.post_message(BodiesDropped())

    # -- keyword indexing ---------------------------------------------------------------------

    @property
    def index_enabled(self) -> bool:
        """Keywords are extracted in this session."""
        return self._index_enabled

    @property
    def follow_links(self) -> bool:
        """Links out of the paths are read (`--follow-links`)."""
        return self._follow_links

    def _index(self) -> None:
        try:
            self._index_all()
        finally:
            self.indexed.set()

    def _index_all(self) -> None:
        import polars as pl

        try:
            from core.index import index_keywords
        except ImportError:
            return
        app, view = self._app, self._app.view
        articles = view.corpus.articles  # without bodies when on disk: read only for what is not cached
        total = articles.height
        batches: list[pl.DataFrame] = []
        last_push = float("-inf")  # the first batch (the cached keywords) shows at once
        worker = get_current_worker()

        def progress(report: Any) -> None:
            done = int(getattr(report, "done", 0))
            rate = getattr(report, "docs_per_s", None)
            app.post_message(IndexProgress(done, int(getattr(report, "total", total)), rate))

        def on_batch(frame: pl.DataFrame) -> None:
            nonlocal last_push
            batches.append(frame)
            now = time.monotonic()
            if now - last_push >= KEYWORD_REFRESH_SECONDS and not worker.is_cancelled:
                last_push = now
                view.set_keywords(pl.concat(batches, how="vertical_relaxed"))
                app.post_message(KeywordsUpdated(finished=False))

        def warn(text: str) -> None:
            app.call_from_thread(app.notify, str(text), title="Keywords", severity="warning", markup=False)

        app.post_message(IndexProgress(0, total, None))
        keywords = index_keywords(
            articles,
            engine=app.config.engine,
            top=app.config.top,
            # leave a core to the UI thread: the list must stay responsive while indexing
            processes=max(1, (os.cpu_count() or 2) - 1),
            progress=progress,
            on_batch=on_batch,
            cancel=self._cancel_index,
            warn=warn,
            bodies=view.bodies_of,
        )
        if worker.is_cancelled or self._cancel_index.is_set():
            return
        view.set_keywords(keywords)
        app.post_message(KeywordsUpdated(finished=True))

    def show_index_progress(self, message: IndexProgress) -> None:
        self._app.status_bar.set(indexing=True, index_done=message.done, index_total=message.total, docs_per_s=message.docs_per_s)

    def keywords_updated(self, message: KeywordsUpdated) -> None:
        app = self._app
        if message.finished:
            keywords = app.view.keywords
            indexed = keywords.get_column("id").n_unique() if not keywords.is_empty() else 0
            app.status_bar.set(indexing=False, index_total=indexed, docs_per_s=None)
        app.filtering.refresh()

    def cancel(self) -> None:
        """Ask the indexing worker to stop at its next chunk (what it finished stays cached)."""
        self._cancel_index.set()
