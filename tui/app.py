"""NewsdeskApp: composes the panes, owns the one CorpusView, routes messages between them.

The app stays thin: panes render what they are handed, `core.view.CorpusView` does the
Polars work, and everything slow (reading files, filtering, aggregating, indexing, export)
runs in thread workers that post messages back. Results of a filter that was overtaken by
newer typing are dropped (generation counter), so the list never flickers back to an old
answer. Errors from workers and actions are routed to one place, `report_error`.

Reading state (read marks, bookmarks, the last filter and sort) is per corpus, through
`core.state.StateStore`: read by the load worker, saved by a thread worker at most once a second
while the user reads (SAVE_INTERVAL_SECONDS), and once more on quit.

A warm open paints first what the list showed when the last session saved its state (the
first screen, `core.first_screen`): this module and the panes import without Polars, the
load worker starts once those rows are painted and imports Polars and the view, and the
loaded rows replace them. Until then the cursor moves over them, and what acts on an
article (read, bookmark, copy, sort, the screens) says the corpus is still opening.

`create_app` is the one factory: the CLI (`run_app`), the Pilot tests, the snapshot tests
and the benchmark all build the app through it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import Worker, WorkerState, get_current_worker

from core.config import Config
from core.first_screen import COLUMNS as FIRST_SCREEN_COLUMNS
from core.first_screen import FIRST_SCREEN_ROWS, FirstScreen, write_first_screen
from core.sanitize import for_display
from core.sorts import SORTS, next_sort
from core.state import CorpusState, StateStore

if TYPE_CHECKING:
    # Polars and what uses it are imported once the interface is up (by the load worker):
    # the first screen is painted without them (`core.first_screen`).
    import polars as pl

    from core.bodies import BodyStore
    from core.corpus import Corpus
    from core.ingest import LoadProgress
    from core.prefetch import SnapshotPrefetch
    from core.view import CorpusView, FilterError

from tui.commands import NewsdeskCommands, PaletteCommand
from tui.configure import apply_config
from tui.idle_gc import IdleCollector
from tui.screens.computed import ComputedScreen
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.kwic import KwicScreen
from tui.screens.overview import OverviewScreen
from tui.screens.trends import TrendsScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.filter_bar import FilterBar
from tui.widgets.keyword_panel import KeywordPanel
from tui.widgets.reader import Reader
from tui.widgets.status_bar import StatusBar, skipped_summary

SEARCH_PREPARE_DELAY = 0.5
"""Seconds after the first view is painted before the text is lower-cased for search."""

MISSING_BODY = "(The text of this article is no longer in the cache; open the folder again to read it.)"
"""What the reader says when an article's body is gone from the snapshot."""

OPEN_GRACE_SECONDS = 0.15
"""A statistics screen (`t`, `o`) opens with its numbers when they take up to this long (at
100k articles they take 20-60 ms); after it, it opens at once and says "Computing…"."""

KEYWORD_REFRESH_SECONDS = 1.0
"""While indexing, how often new keywords are folded into the view."""

SAVE_INTERVAL_SECONDS = 1.0
"""Reading state is written at most this often while the user reads (and once more on quit)."""

FIRST_VIEW_WAIT_SECONDS = 1.0
"""How long a warm load waits for the stored articles' first paint before walking the folder."""


class NewsdeskApp(App[int]):
    """The newsdesk dashboard: article list, reader, keyword panel, filter bar, status bar.

    | Key | Action |
    | :- | :- |
    | `/` | Focus the filter bar. |
    | `tab` / `shift+tab` | Next / previous pane. |
    | `n` / `p` | Next / previous article of the list. |
    | `s` | Cycle the sort order. |
    | `c` | Keyword in context for the keyword under the keyword cursor. |
    | `y` | Copy the article (or the keyword, in the keyword panel). |
    | `b` | Bookmark the article under the cursor (again: remove the bookmark). |
    | `e` | Export the current view (CSV, JSONL, Parquet or Markdown, by the file name). |
    | `t` | Trends of the keyword under the keyword cursor: sections, timeline, co-occurring. |
    | `o` | Corpus overview. |
    | `?` | Help: every binding. |
    | `q` | Quit. |
    """

    CSS_PATH = "app.tcss"
    TITLE = "newsdesk"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {NewsdeskCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: the app handles `/` before forwarding further keys, so text typed right
        # after it reaches the filter even when the keys arrive in one burst.
        Binding("slash", "focus_filter", "Filter", key_display="/", priority=True, id="app.filter"),
        Binding("tab", "focus_next", "Next pane", show=False, id="app.next_pane"),
        Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app.previous_pane"),
        Binding("n", "next_article", "Next", id="app.next"),
        Binding("p", "previous_article", "Prev", id="app.previous"),
        Binding("s", "cycle_sort", "Sort", id="app.sort"),
        Binding("c", "kwic", "KWIC", id="app.kwic"),
        Binding("y", "copy", "Copy", id="app.copy"),
        Binding("e", "export", "Export", id="app.export"),
        # after y/e, so an 80-column footer keeps showing those
        Binding("t", "trends", "Trends", id="app.trends"),
        Binding("o", "overview", "Overview", id="app.overview"),
        # not in the footer (it would push ? and q off a 120-column one): in help and the palette
        Binding("b", "bookmark", "Bookmark", show=False, tooltip="Bookmark the article under the cursor, or remove its bookmark", id="app.bookmark"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    # -- messages posted by workers -----------------------------------------------------------

    class StateRead(Message):
        """The corpus's reading state was read (before any of its rows are reported)."""

        def __init__(self, store: StateStore, state: CorpusState) -> None:
            super().__init__()
            self.store = store
            """Where the state is saved."""
            self.state = state
            """Marks, bookmarks, last filter and sort."""

    class CorpusLoaded(Message):
        """The corpus was read from disk."""

        def __init__(self, corpus: Corpus, skipped: list[tuple[str, str]]) -> None:
            super().__init__()
            self.corpus = corpus
            """The loaded corpus."""
            self.skipped = skipped
            """(path, reason) of files that could not be read."""

    class LoadProgressed(Message):
        """The corpus load made progress; `partial` is the corpus found so far, when new."""

        def __init__(self, report: LoadProgress) -> None:
            super().__init__()
            self.report = report
            """Files and bytes done, rate, and maybe the corpus so far."""

        def can_replace(self, message: Message) -> bool:
            # Textual asks this (older, pending) report whether the newer `message` may take
            # its place: yes when this one carries no rows, or the newer one carries rows too.
            if not isinstance(message, NewsdeskApp.LoadProgressed):
                return False
            return self.report.partial is None or message.report.partial is not None

    class ViewComputed(Message):
        """A filter/sort request finished: the rows and their aggregated keywords, painted together."""

        def __init__(
            self,
            generation: int,
            text: str,
            sort: str,
            result: pl.DataFrame | FilterError,
            keep_place: bool,
            keywords: pl.DataFrame | None = None,
        ) -> None:
            super().__init__()
            self.generation = generation
            """Which request this answers (older ones are dropped)."""
            self.text = text
            """The filter text."""
            self.sort = sort
            """The sort order."""
            self.result = result
            """The rows, or why the filter is wrong."""
            self.keep_place = keep_place
            """Keep the cursor on the article it is on when the rows arrive (else the first row)."""
            self.keywords = keywords
            """The rows' aggregated keywords (keyword, key, docs, score); None with an error."""

    class IndexProgress(Message):
        """Keyword indexing made progress."""

        def __init__(self, done: int, total: int, docs_per_s: float | None) -> None:
            super().__init__()
            self.done = done
            """Articles indexed so far."""
            self.total = total
            """Articles to index."""
            self.docs_per_s = docs_per_s
            """Current rate."""

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, NewsdeskApp.IndexProgress)

    class KeywordsUpdated(Message):
        """The view's keywords frame changed (a batch arrived or indexing finished)."""

        def __init__(self, finished: bool) -> None:
            super().__init__()
            self.finished = finished
            """Indexing is complete."""

    class BodiesDropped(Message):
        """The corpus's bodies were dropped from memory: they are read from the snapshot now."""

    class BodyRead(Message):
        """An article's body was read from the corpus snapshot."""

        def __init__(self, article: dict[str, Any], body: str | None) -> None:
            super().__init__()
            self.article = article
            """The list row the body belongs to."""
            self.body = body
            """The body, or None when the snapshot no longer has it."""

    class StatisticsComputed(Message):
        """A screen's numbers were computed before it opens."""

        def __init__(self, screen: ComputedScreen[Any, Any], result: object) -> None:
            super().__init__()
            self.screen = screen
            """The screen they are for."""
            self.result = result
            """What its `compute()` returned."""

    class KwicReady(Message):
        """Concordance lines were computed."""

        def __init__(self, term: str, lines: pl.DataFrame) -> None:
            super().__init__()
            self.term = term
            """The term looked up."""
            self.lines = lines
            """id, left, match, right, title."""

    # -- construction -------------------------------------------------------------------------

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        corpus: Corpus | None = None,
        index: bool = True,
        export_dir: Path | None = None,
        config: Config | None = None,
        bodies_in_memory_max_bytes: int | None = None,
        prefetched: SnapshotPrefetch | None = None,
        first_screen: FirstScreen | None = None,
        follow_links: bool = False,
    ) -> None:
        super().__init__()
        self._follow_links = follow_links
        self.skipped: list[tuple[str, str]] = []
        """(path, reason) of the files the last load could not use."""
        self.config = config or Config()
        """The user's config (theme, keymap, keyword engine and top-N)."""
        self.paths = list(paths)
        """What the corpus is read from."""
        self._view: CorpusView | None = None
        self._view_lock = threading.Lock()
        self._preloaded = corpus
        self._index_enabled = index
        self._export_dir = export_dir
        self._bodies_in_memory_max_bytes = bodies_in_memory_max_bytes
        self._prefetched = prefetched
        self._first_screen = first_screen if corpus is None else None
        self._first_screen_source: tuple[pl.DataFrame, str, str, int] | None = None
        """The rows on screen once loaded, their filter and sort, and the corpus's size (`flush_state` stores them)."""
        self._first_screen_dirty = False
        self._load_started = False
        self._cancel_index = threading.Event()
        self._search_pending = False
        self._reader_keywords: list[str] = []
        self._generation = 0
        self._opening: ComputedScreen[Any, Any] | None = None
        self._opening_callback: Callable[[Any], object] | None = None
        self.idle_collector = IdleCollector(self)
        """Cycle collection while the user is idle (started once the corpus is on screen)."""
        self._applied_filter = ""
        self._wanted_filter = ""
        self._sort = SORTS[0]
        self._loaded = False
        self.state = CorpusState()
        """Read marks, bookmarks, last filter and sort of this corpus (saved as they change)."""
        self._state_store: StateStore | None = None
        self._state_lock = threading.Lock()
        self._state_dirty = False
        self._state_saved_at = 0.0
        self._save_timer_pending = False
        self._ui_thread = threading.get_ident()
        self._first_view_painted = threading.Event()
        self._bodies_settled = threading.Event()
        """The load has attached the body store it will (search preparation waits for it)."""
        self._bodies_settled.set()
        self._parse_ended = False
        """The last load report (or the load's end) has come; the status bar says so with the next rows."""

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Vertical(id="main"):
            yield ArticleList(id="articles")
            with Horizontal(id="lower"):
                yield Reader(id="reader")
                yield KeywordPanel(id="keywords")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        apply_config(self, self.config)
        self.article_list.border_title = "Articles"
        self.article_list.focus()
        if self._first_screen is not None:
            self._show_first_screen(self._first_screen)
            # The load starts once those rows are painted (`on_article_list_rows_painted`):
            # its imports would hold the paint back. Should they never be (a screen over
            # them), it starts all the same.
            self.set_timer(FIRST_VIEW_WAIT_SECONDS, self._start_load)
        else:
            self._start_load()

    def _show_first_screen(self, screen: FirstScreen) -> None:
        """Paint the rows the last session stored (`core.first_screen`) until the corpus's own come."""
        self.article_list.show_preview(screen)
        if screen.sort in SORTS:
            self._sort = screen.sort
        if screen.filter.strip():
            self.filter_bar.set_value(screen.filter, apply=False)
        self.status_bar.set(shown=screen.shown, total=screen.total, filter=screen.filter.strip(), sort=self._sort)

    def _start_load(self) -> None:
        """Start reading the corpus (once)."""
        if not self._load_started:
            self._load_started = True
            self._load(self.paths, self._preloaded)

    def on_unmount(self) -> None:
        self.idle_collector.stop()
        self._first_view_painted.set()  # a load waiting for it goes on (and stops)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent)):
            self.idle_collector.note_input()
        await super().on_event(event)

    # -- panes --------------------------------------------------------------------------------

    @property
    def view(self) -> CorpusView:
        """The loaded corpus and its derived frames (made, and Polars imported, on first use:
        by the load worker, after the first screen is painted)."""
        if self._view is None:
            with self._view_lock:
                if self._view is None:
                    from core.view import CorpusView

                    self._view = CorpusView()
        return self._view

    @property
    def article_list(self) -> ArticleList:
        return self.query_one("#articles", ArticleList)

    @property
    def reader(self) -> Reader:
        return self.query_one("#reader", Reader)

    @property
    def keyword_panel(self) -> KeywordPanel:
        return self.query_one("#keywords", KeywordPanel)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one("#filter-bar", FilterBar)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def sort(self) -> str:
        """The current sort order (one of SORTS)."""
        return self._sort

    @property
    def applied_filter(self) -> str:
        """The filter whose result is on screen (the last one that parsed)."""
        return self._applied_filter

    @property
    def loaded(self) -> bool:
        """The corpus is loaded and on screen."""
        return self._loaded

    @property
    def started_up(self) -> bool:
        """Start-up is over: the first view is on screen (or it could not be), so a warm
        load checks the folder and collection is back on (`_first_view_shown`)."""
        return self._first_view_painted.is_set()

    def _panes_alive(self) -> bool:
        """The main screen's panes exist (messages from workers can outlive them at shutdown)."""
        return bool(self.screen_stack) and bool(self.screen_stack[0].query("#keywords"))

    # -- errors: one place --------------------------------------------------------------------

    def report_error(self, message: str, *, title: str = "Error") -> None:
        """Show an error to the user (plain text, never markup)."""
        self.notify(message, title=title, severity="error", markup=False, timeout=8)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification (the app's and its widgets') goes through here: plain text,
        never markup, cleaned with `for_display` (messages quote file names, column names
        and keys). `markup` is accepted for Textual's signature and ignored."""
        super().notify(
            for_display(message), title=for_display(title, one_line=True), severity=severity, timeout=timeout, markup=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.report_error(f"{event.worker.description or event.worker.name}: {error}")
            if event.worker.group == "load":
                self._first_view_shown()  # no view is coming
                if self._panes_alive():
                    self.article_list.empty_message = "Could not read the corpus."
                    self.article_list.refresh()
                    self.status_bar.set(loading=False)
            if event.worker.group == "statistics":
                self._opening = None  # not opened, or opened waiting: close it
                if isinstance(self.screen, ComputedScreen) and self.screen.result is None:
                    self.pop_screen()

    # -- loading ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load", description="reading corpus")
    def _load(self, paths: Sequence[Path], preloaded: Corpus | None = None) -> None:
        if preloaded is None and self._prefetched is None:
            # No read started at launch (behind a first screen, or an app made without one):
            # the snapshot's read starts first (Polars decodes it without the GIL) and the
            # modules the load and the view need import meanwhile.
            from core.prefetch import SnapshotPrefetch

            self._prefetched = SnapshotPrefetch(paths, self._body_limit)
        from core.ingest import load_corpus

        self.view  # noqa: B018 (made now, while the snapshot is read: it imports the view's modules)
        # The reading state first (its filter and sort shape the first view), off the UI thread.
        store = StateStore(paths, self._warn_state)
        # Posted, not called: the worker goes on while the UI thread mounts the panes, and
        # the state is in place before the rows reported after it.
        self.post_message(self.StateRead(store, store.load()))
        if preloaded is not None:
            self.view.set_corpus(preloaded)
            self.post_message(self.CorpusLoaded(preloaded, []))
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
                self.view.set_corpus(report.partial, self._body_store(paths, report.partial) if without_text else None)
            self.post_message(self.LoadProgressed(report))
            if report.files_done == 0 and report.partial is not None and report.partial.articles.height:
                # The stored articles, before the folder is walked and checked: the walk
                # holds the GIL between its thousands of stats and would slow their paint.
                self._first_view_painted.wait(FIRST_VIEW_WAIT_SECONDS)

        def warn(text: str) -> None:
            # Also heard from the snapshot's save, which may end after the app has: `notify`
            # only posts (call_from_thread would wait for a loop that no longer runs).
            if self.is_running:
                self.notify(str(text), title="Corpus", severity="warning", markup=False)
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
                follow_links=self._follow_links,
                max_decompressed=self.config.max_decompressed_mib * 2**20,
            )
            if cancel.is_set():
                return
            from_snapshot = "body" not in corpus.articles.columns
            store = self._body_store(paths, corpus) if from_snapshot else None
            if self.view.corpus.articles is corpus.articles:
                corpus = self.view.corpus  # the last rows shown were the answer: installed already
                if store is not None:
                    self.view.attach_bodies(corpus, store)
            else:
                self.view.set_corpus(corpus, store)
            self.post_message(self.CorpusLoaded(corpus, skipped))
            if not from_snapshot:
                # A large parsed corpus reads its bodies from the snapshot once that is
                # written (after the rows are shown); search preparation then drops them.
                store = self._body_store(paths, corpus)
                if store is not None:
                    self.view.attach_bodies(corpus, store)
        finally:
            self._bodies_settled.set()

    @property
    def _body_limit(self) -> int:
        """Above this much body text, bodies are read from the snapshot when needed."""
        if self._bodies_in_memory_max_bytes is None:
            from core.bodies import BODIES_IN_MEMORY_MAX_BYTES

            return BODIES_IN_MEMORY_MAX_BYTES
        return self._bodies_in_memory_max_bytes

    def _body_store(self, paths: Sequence[Path], corpus: Corpus) -> BodyStore | None:
        """Where a large corpus reads its bodies from instead of holding them (load worker;
        waits for the snapshot's save); None for a small corpus, or when there is no
        snapshot (a read-only cache)."""
        from core.bodies import BodyStore
        from core.snapshot import snapshot_path, wait_for_save

        if "body" not in corpus.articles.columns:
            # Read from that very file a moment ago: no need to compare every id up front
            # (each read checks the ids it gets).
            return BodyStore(snapshot_path(paths), corpus.articles.get_column("id"))
        if corpus.articles.get_column("body").str.len_bytes().sum() <= self._body_limit:
            return None
        wait_for_save(snapshot_path(paths))
        return BodyStore.open(snapshot_path(paths), corpus.articles.get_column("id"))

    def on_newsdesk_app_load_progressed(self, message: LoadProgressed) -> None:
        """Show parse progress, and the rows found so far while a large corpus loads."""
        if not self._panes_alive() or self._loaded:
            return
        report = message.report
        # The end of parsing is shown with its rows, as the count is (`_still_parsing`):
        # a status that said "done" over the rows of the report before read as the whole corpus.
        self._parse_ended = report.files_done >= report.files_total
        self.status_bar.set(
            parsing=self.status_bar.status.parsing or not self._parse_ended,
            parse_done=report.files_done,
            parse_total=report.files_total,
            parse_mb_per_s=report.bytes_per_second / 1e6 if report.bytes_done else None,
            parse_seconds_left=report.seconds_left,
        )
        if report.partial is not None and report.partial.articles.height:
            # The load worker installed this partial corpus (or a newer one since): show the
            # view's. The count changes with the rows (`on_newsdesk_app_view_computed`), not a
            # frame before them.
            self.request_view(self.filter_bar.value if self.filter_bar.value.strip() else "", keep_place=True)

    def _still_parsing(self) -> bool:
        """What the status bar says of parsing as a view's rows are shown: it ends with the
        first rows shown after the last report."""
        return self.status_bar.status.parsing and not self._parse_ended

    def _article_under_cursor(self) -> str | None:
        """The article the list's cursor is on, so a refreshed list (more rows arrived) keeps it."""
        if not self.article_list.row_count:
            return None
        return self.article_list.article_id_at(self.article_list.cursor)

    def on_newsdesk_app_corpus_loaded(self, message: CorpusLoaded) -> None:
        if not self._panes_alive():
            return
        self._adopt(message.corpus, message.skipped)

    def _adopt(self, corpus: Corpus, skipped: list[tuple[str, str]]) -> None:
        if self.view.corpus is not corpus:
            self.view.set_corpus(corpus)
        self._loaded = True
        self.skipped = list(skipped)
        self.article_list.empty_message = (
            "No articles." if not self.view.total else "No articles match the filter."
        ) + (f" {skipped_summary(len(skipped))}." if skipped else "")
        self._parse_ended = True
        self.status_bar.set(sort=self._sort, skipped=len(skipped))  # the count, the end of "loading…" and of parsing come with the rows
        # Rows shown while loading keep the reader's place.
        self.request_view(self.filter_bar.value if self.filter_bar.value.strip() else "", keep_place=True)
        if skipped:
            shown = "\n".join(f"{for_display(Path(path))}: {for_display(reason, one_line=True)}" for path, reason in skipped[:5])
            more = f"\n… and {len(skipped) - 5} more" if len(skipped) > 5 else ""
            self.notify(f"{shown}{more}", title=f"Skipped {len(skipped)} file(s)", severity="warning", markup=False)
        if self._index_enabled and corpus.keywords.is_empty() and self.view.total:
            self._index()
        elif not corpus.keywords.is_empty():
            self.status_bar.set(index_total=corpus.keywords.get_column("id").n_unique())
        self._search_pending = True  # prepared once the first view is on screen

    @work(thread=True, exclusive=True, exit_on_error=False, group="search", description="preparing search")
    def _prepare_search(self) -> None:
        """Lower-case the text once for fast text filters (~0.6 s at 100k, after first paint)."""
        self._bodies_settled.wait()  # with the body store attached, the in-memory bodies go
        self.view.prepare_search()
        if self.view.bodies_on_disk:
            self.post_message(self.BodiesDropped())

    def on_newsdesk_app_bodies_dropped(self, message: BodiesDropped) -> None:
        """Recompute the list's rows from the frames without bodies, so the old ones (and the
        bodies in them) are let go."""
        if self._panes_alive():
            self.refresh_view()

    # -- keyword indexing ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="index", description="indexing keywords")
    def _index(self) -> None:
        import polars as pl

        try:
            from core.index import index_keywords
        except ImportError:
            return
        articles = self.view.corpus.articles  # without bodies when on disk: read only for what is not cached
        total = articles.height
        batches: list[pl.DataFrame] = []
        last_push = float("-inf")  # the first batch (the cached keywords) shows at once
        worker = get_current_worker()

        def progress(report: Any) -> None:
            done = int(getattr(report, "done", 0))
            rate = getattr(report, "docs_per_s", None)
            self.post_message(self.IndexProgress(done, int(getattr(report, "total", total)), rate))

        def on_batch(frame: pl.DataFrame) -> None:
            nonlocal last_push
            batches.append(frame)
            now = time.monotonic()
            if now - last_push >= KEYWORD_REFRESH_SECONDS and not worker.is_cancelled:
                last_push = now
                self.view.set_keywords(pl.concat(batches, how="vertical_relaxed"))
                self.post_message(self.KeywordsUpdated(finished=False))

        def warn(text: str) -> None:
            self.call_from_thread(self.notify, str(text), title="Keywords", severity="warning", markup=False)

        self.post_message(self.IndexProgress(0, total, None))
        keywords = index_keywords(
            articles,
            engine=self.config.engine,
            top=self.config.top,
            # leave a core to the UI thread: the list must stay responsive while indexing
            processes=max(1, (os.cpu_count() or 2) - 1),
            progress=progress,
            on_batch=on_batch,
            cancel=self._cancel_index,
            warn=warn,
            bodies=self.view.bodies_of,
        )
        if worker.is_cancelled or self._cancel_index.is_set():
            return
        self.view.set_keywords(keywords)
        self.post_message(self.KeywordsUpdated(finished=True))

    def on_newsdesk_app_index_progress(self, message: IndexProgress) -> None:
        if not self._panes_alive():
            return
        self.status_bar.set(indexing=True, index_done=message.done, index_total=message.total, docs_per_s=message.docs_per_s)

    def on_newsdesk_app_keywords_updated(self, message: KeywordsUpdated) -> None:
        if not self._panes_alive():
            return
        if message.finished:
            indexed = self.view.keywords.get_column("id").n_unique() if not self.view.keywords.is_empty() else 0
            self.status_bar.set(indexing=False, index_total=indexed, docs_per_s=None)
        self.refresh_view()

    # -- filtering and sorting ----------------------------------------------------------------

    def request_view(self, text: str, *, keep_place: bool = False) -> None:
        """Compute the rows for filter `text` and the current sort, off the UI thread.

        With `keep_place` (a refresh: more rows, new keywords) the cursor stays on the article
        it is on when the rows arrive, not the one it was on when they were asked for: the
        user may have moved meanwhile."""
        self._generation += 1
        self._wanted_filter = text
        self._compute_view(self._generation, text, self._sort, keep_place, frozenset(self.state.bookmarks))

    def refresh_view(self) -> None:
        """Compute the rows again for the filter last asked for (not the last applied: a
        refresh must not undo a filter whose rows are still on their way), keeping the
        cursor's article."""
        self.request_view(self._wanted_filter, keep_place=True)

    @work(thread=True, exclusive=True, exit_on_error=False, group="view", description="filtering")
    def _compute_view(self, generation: int, text: str, sort: str, keep_place: bool, bookmarks: frozenset[str]) -> None:
        worker = get_current_worker()
        result = self.view.compute(text, sort, bookmarks)
        if worker.is_cancelled:
            return
        # The keywords before the rows are sent, not after: aggregated while the UI thread
        # paints the list, each return from Polars waited for the GIL (at 100k articles the
        # panel came 30-40 ms after the list; now both come in one paint, 20-30 ms after the
        # list alone did).
        from core.view import FilterError

        keywords = None if isinstance(result, FilterError) else self.view.aggregate(result)
        if not worker.is_cancelled:
            self.post_message(self.ViewComputed(generation, text, sort, result, keep_place, keywords))

    def _first_view_shown(self) -> None:
        """Start-up is over: a load waiting to walk the folder goes on, and automatic cycle
        collection (off for start-up when the `newsdesk` script started it) is on again
        until the idle collector takes over.

        When start-up ran without collection, what it made is frozen out of collection
        first, as the idle collector does with what is alive when it starts: the modules,
        classes and widgets live as long as the program, and the first collections after
        start-up walked all of them (~160k objects: 91-130 ms of the UI thread right after
        the first paint)."""
        if self._first_view_painted.is_set():
            return
        self._first_view_painted.set()
        if not self.idle_collector.started and not gc.isenabled():
            gc.freeze()
            gc.enable()

    def on_article_list_rows_painted(self, message: ArticleList.RowsPainted) -> None:
        if message.preview:
            self._start_load()  # the first screen is up: the corpus loads behind it
        else:
            self._first_view_shown()

    def on_newsdesk_app_view_computed(self, message: ViewComputed) -> None:
        from core.view import ROW_COLUMN, FilterError

        if not self._panes_alive():
            return
        if message.generation != self._generation:
            return
        if not self._first_view_painted.is_set():
            if not isinstance(message.result, FilterError) and message.result.height:
                # The list says when its rows are painted (`on_article_list_rows_painted`);
                # should it not be painting (a screen over it), start-up ends all the same.
                self.set_timer(FIRST_VIEW_WAIT_SECONDS, self._first_view_shown)
            else:
                self.call_after_refresh(self._first_view_shown)  # no rows for the list to paint
        if isinstance(message.result, FilterError):
            self.filter_bar.show_error(message.result.message, message.result.span)
            self.status_bar.set(total=self.view.total, loading=not self._loaded, parsing=self._still_parsing())
            return
        self.filter_bar.show_error(None)
        if self._search_pending:
            # After the first rows are painted: lower-casing 100k articles competes with it.
            self._search_pending = False
            self.set_timer(SEARCH_PREPARE_DELAY, self._prepare_search)
        self._applied_filter = message.text.strip()
        if self._loaded:
            self.idle_collector.start()  # the corpus is on screen: what lives now lives long
        self.article_list.set_frame(message.result, keep_id=self._article_under_cursor() if message.keep_place else None)
        rows = message.result.get_column(ROW_COLUMN) if ROW_COLUMN in message.result.columns else None
        self.keyword_panel.set_subset(self.view.corpus, message.result.get_column("id"), self.view.keyword_index, rows)
        if message.keywords is not None:
            self.keyword_panel.set_view_keywords(message.keywords)
        self.status_bar.set(
            shown=message.result.height,
            total=self.view.total,
            filter=self._applied_filter,
            sort=message.sort,
            loading=not self._loaded,
            parsing=self._still_parsing(),
        )
        if self._loaded:
            self._first_screen_source = (message.result, self._applied_filter, message.sort, self.view.total)
            self._first_screen_dirty = True  # stored with the next save of the state, or on quit
            if (self.state.last_filter, self.state.sort) != (self._applied_filter, message.sort):
                self.state.last_filter, self.state.sort = self._applied_filter, message.sort
                self._schedule_save()

    def on_filter_bar_changed(self, message: FilterBar.Changed) -> None:
        if self._loaded:
            self.request_view(message.value)

    def on_filter_bar_submitted(self, message: FilterBar.Submitted) -> None:
        if self._loaded:
            self.request_view(message.value)
        self.focus_now(self.article_list)

    def action_cycle_sort(self) -> None:
        self.set_sort(next_sort(self._sort))

    def set_sort(self, sort: str) -> None:
        """Order the list by `sort` (one of SORTS); the cursor goes to the first row."""
        if self._still_opening():
            return
        self._sort = sort
        self.status_bar.set(sort=sort)
        self.request_view(self._wanted_filter)

    def apply_filter(self, text: str) -> None:
        """Put `text` in the filter bar and apply it now."""
        self.filter_bar.set_value(text, apply=False)
        self.request_view(text)

    def add_filter_term(self, term: str) -> None:
        """Add `term` to the applied filter and apply it."""
        self.apply_filter(f"{self._applied_filter} {term}".strip())

    # -- list, reader, keywords ---------------------------------------------------------------

    def _still_opening(self) -> bool:
        """The list shows the stored first screen: what acts on its rows waits for the corpus
        (a fraction of a second), and says so."""
        if not self.article_list.previewing:
            return False
        self.notify("Still opening the corpus: one moment.", timeout=2)
        return True

    def on_article_list_highlighted(self, message: ArticleList.Highlighted) -> None:
        if not self._panes_alive() or self.article_list.previewing:
            return  # the reader shows an article once the corpus is loaded
        if message.article_id != self.article_list.article_id_at(self.article_list.cursor):
            return  # stale: the list changed after this was posted, and a newer one is on its way
        article = None
        if message.article_id is not None:
            article = self.article_list.frame.row(self.article_list.cursor, named=True)
        own = self.view.article_keywords(message.article_id) if message.article_id else None
        self._reader_keywords = [] if own is None else own.get_column("keyword").to_list()
        if article is not None and "body" not in article:
            body = self.view.cached_body(article)
            if body is None:
                self._read_body(article)  # shown when read: a few milliseconds
            else:
                self.reader.show({**article, "body": body}, self._reader_keywords)
        else:
            self.reader.show(article, self._reader_keywords)
        if own is not None:
            self.keyword_panel.set_article_keywords(own)
        if message.article_id is not None and self.focused is self.reader:
            self.mark_read(message.article_id)  # n / p while reading

    @work(thread=True, exclusive=True, exit_on_error=False, group="body", description="reading the article")
    def _read_body(self, article: dict[str, Any]) -> None:
        self.post_message(self.BodyRead(article, self.view.body(article)))

    def on_newsdesk_app_body_read(self, message: BodyRead) -> None:
        if not self._panes_alive() or self.article_list.article_id_at(self.article_list.cursor) != message.article["id"]:
            return  # the cursor moved on; its own read is on its way
        body = message.body if message.body is not None else MISSING_BODY
        self.reader.show({**message.article, "body": body}, self._reader_keywords)

    def on_article_list_selected(self, message: ArticleList.Selected) -> None:
        if self._still_opening():
            return
        self.focus_now(self.reader)
        self.mark_read(message.article_id)

    def on_keyword_panel_chosen(self, message: KeywordPanel.Chosen) -> None:
        keyword = message.keyword.replace('"', "")
        self.add_filter_term(f'kw:"{keyword}"')
        self.focus_now(self.article_list)

    def action_next_article(self) -> None:
        self.article_list.cursor += 1

    def action_previous_article(self) -> None:
        self.article_list.cursor -= 1

    def action_focus_filter(self) -> None:
        field, focused = self.filter_bar.input, self.focused
        if isinstance(focused, Input):  # the filter bar or a prompt's field (an export path)
            focused.insert_text_at_cursor("/")  # a priority binding: `/` is still typeable
        else:
            self.focus_now(field)

    def focus_now(self, widget: Widget) -> None:
        """Focus `widget` before the next key is handled.

        `Widget.focus` defers the change (call_later), so keys typed right after `/` in the
        same burst (a fast typist, a paste, SSH batching) would reach the old pane's bindings.
        """
        self.screen.set_focus(widget)

    # -- KWIC ---------------------------------------------------------------------------------

    def action_kwic(self) -> None:
        if self._still_opening():
            return
        keyword = self.keyword_panel.current_keyword
        if keyword is None:
            self.notify("No keyword under the keyword cursor yet.", severity="warning")
            return
        self.open_kwic(keyword)

    def open_kwic(self, term: str) -> None:
        """Compute the concordance of `term` over the view and show it."""
        self._compute_kwic(term, self.article_list.frame)

    @work(thread=True, exclusive=True, exit_on_error=False, group="kwic", description="concordance")
    def _compute_kwic(self, term: str, frame: pl.DataFrame) -> None:
        self.post_message(self.KwicReady(term, self.view.kwic(frame, term)))

    def on_newsdesk_app_kwic_ready(self, message: KwicReady) -> None:
        if not self._panes_alive():
            return
        self.push_screen(KwicScreen(message.term, message.lines), callback=self.open_article)

    def open_article(self, article_id: str | None) -> None:
        """Put the list cursor on `article_id` and focus the reader (None: do nothing)."""
        if article_id is None:
            return
        row = self.article_list.row_of(article_id)
        if row is None:
            self.notify("That article is not in the current view.", severity="warning")
            return
        self.article_list.cursor = row
        self.reader.focus()
        self.mark_read(article_id)

    # -- insight: trends and overview ---------------------------------------------------------

    def action_trends(self) -> None:
        if self._still_opening():
            return
        keyword = self.keyword_panel.current_keyword
        if keyword is None:
            self.notify("No keyword under the keyword cursor yet.", severity="warning")
            return
        corpus = self.view.corpus
        screen = TrendsScreen(keyword, corpus.articles, corpus.keywords, index=self.view.keyword_index)
        self.open_computed(screen, self.filter_by_keyword)

    def filter_by_keyword(self, keyword: str | None) -> None:
        """Add `kw:"keyword"` to the filter (None: do nothing)."""
        if keyword:
            self.add_filter_term(f'kw:"{keyword.replace(chr(34), "")}"')

    def action_overview(self) -> None:
        if self._still_opening():
            return
        if not isinstance(self.screen, OverviewScreen):
            corpus = self.view.corpus
            self.open_computed(
                OverviewScreen(corpus.articles, corpus.keywords, self.paths, skipped=self.skipped, index=self.view.keyword_index)
            )

    def open_computed(self, screen: ComputedScreen[Any, Any], callback: Callable[[Any], object] | None = None) -> None:
        """Compute `screen`'s numbers in a worker and open it with them, or after
        OPEN_GRACE_SECONDS without them (it shows them when they arrive); `callback` gets what
        the screen returns when dismissed. A newer call wins."""
        self._opening, self._opening_callback = screen, callback
        self._compute_statistics(screen)
        self.set_timer(OPEN_GRACE_SECONDS, lambda: self._push_opening(screen))

    @work(thread=True, exclusive=True, exit_on_error=False, group="statistics", description="screen statistics")
    def _compute_statistics(self, screen: ComputedScreen[Any, Any]) -> None:
        result = screen.compute()
        if not get_current_worker().is_cancelled:
            self.post_message(self.StatisticsComputed(screen, result))

    def on_newsdesk_app_statistics_computed(self, message: StatisticsComputed) -> None:
        message.screen.show(message.result)
        self._push_opening(message.screen)

    def _push_opening(self, screen: ComputedScreen[Any, Any]) -> None:
        """Push `screen` if it is still the one being opened (once)."""
        if self._opening is not screen or not self._panes_alive():
            return
        self._opening = None
        self.push_screen(screen, callback=self._opening_callback)

    # -- reading state: read marks, bookmarks, last filter and sort ---------------------------

    def on_newsdesk_app_state_read(self, message: StateRead) -> None:
        if self._panes_alive():
            self._restore_state(message.store, message.state)

    def _restore_state(self, store: StateStore, state: CorpusState) -> None:
        """Put this corpus's stored state (read by the load worker) in place: marks, filter, sort."""
        self._state_store, self.state = store, state
        self.article_list.read_ids = self.state.read
        self.article_list.bookmarked_ids = self.state.bookmarks
        if self.state.sort in SORTS:
            self._sort = self.state.sort
            self.status_bar.set(sort=self._sort)
        if self.state.last_filter.strip():
            # applied once the corpus is on screen (`_adopt` applies the filter bar's text)
            self.filter_bar.set_value(self.state.last_filter, apply=False)

    def _warn_state(self, text: str) -> None:
        """StateStore's warnings (a corrupt file moved aside, an unwritable dir) as notifications."""
        if not self.is_running:
            print(f"newsdesk: {for_display(text, one_line=True)}", file=sys.stderr)  # the final save, after the app exited
        elif threading.get_ident() == self._ui_thread:
            self.notify(text, title="Reading state", severity="warning", markup=False, timeout=10)
        else:
            self.call_from_thread(self.notify, text, title="Reading state", severity="warning", markup=False, timeout=10)

    def mark_read(self, article_id: str) -> None:
        """Mark `article_id` read (it was shown in the reader)."""
        if article_id in self.state.read:
            return
        self.state.read.add(article_id)
        self.article_list.refresh_article(article_id)
        self._schedule_save()

    def action_bookmark(self) -> None:
        if self._still_opening():
            return
        article_id = self.article_list.article_id_at(self.article_list.cursor)
        if article_id is None:
            self.notify("Nothing to bookmark.", severity="warning")
            return
        title = str(self.article_list.frame.row(self.article_list.cursor, named=True)["title"])
        if article_id in self.state.bookmarks:
            self.state.bookmarks.discard(article_id)
            self.notify(f"Removed the bookmark of {title!r}", markup=False)
        else:
            self.state.bookmarks.add(article_id)
            self.notify(f"Bookmarked {title!r}", markup=False)
        self.article_list.refresh_article(article_id)
        self._schedule_save()
        if "kind:bookmarked" in self._wanted_filter.lower():
            self.refresh_view()

    def _schedule_save(self) -> None:
        """Save the state soon: now if the last save is a second old, else when it will be."""
        self._state_dirty = True
        self._first_screen_dirty = True  # its read marks and stars
        if self._save_timer_pending:
            return
        self._save_timer_pending = True
        wait = max(0.05, SAVE_INTERVAL_SECONDS - (time.monotonic() - self._state_saved_at))  # 0 breaks Timer
        self.set_timer(wait, self._start_save)

    def _start_save(self) -> None:
        self._save_timer_pending = False
        self._state_saved_at = time.monotonic()
        self._save_state()

    @work(thread=True, exit_on_error=False, group="state", description="saving reading state")
    def _save_state(self) -> None:
        self.flush_state()

    def flush_state(self) -> None:
        """Write the state now if it changed since the last write, and the first screen the
        next open shows (any thread; writes are serialised)."""
        with self._state_lock:
            if self._state_dirty and self._state_store is not None:
                self._state_dirty = False
                state = self.state
                # Copies: the UI thread keeps adding marks while this one writes.
                snapshot = CorpusState(set(state.read), set(state.bookmarks), state.last_filter, state.sort)
                self._state_store.save(snapshot)
            screen = self.next_first_screen if self._first_screen_dirty else None
            if screen is not None and write_first_screen(self.paths, screen):
                self._first_screen_dirty = False  # else owed until the snapshot exists (`end_session`)

    @property
    def next_first_screen(self) -> FirstScreen | None:
        """What the list would show first if the corpus were opened now (`core.first_screen`);
        None until the corpus is loaded and on screen."""
        source = self._first_screen_source
        return None if source is None else self._first_screen_of(*source)

    def end_session(self) -> None:
        """After the app has exited (quit, ctrl+c or a crash): stop indexing, save the reading
        state, and store the first screen, once the snapshot it belongs to is written (a
        corpus parsed this session writes it in the background)."""
        self.cancel_background_work()
        self.flush_state()
        if self._first_screen_dirty and self._first_screen_source is not None:
            from core.snapshot import snapshot_path, wait_for_save

            wait_for_save(snapshot_path(self.paths))
            self.flush_state()

    def _first_screen_of(self, frame: pl.DataFrame, text: str, sort: str, total: int) -> FirstScreen:
        """What the list shows first when the corpus opens next time (`core.first_screen`)."""
        top = frame.head(FIRST_SCREEN_ROWS)
        defaults: dict[str, object] = {"kind": "article"}
        columns = [
            top.get_column(name).to_list() if name in top.columns else [defaults.get(name)] * top.height
            for name in FIRST_SCREEN_COLUMNS
        ]
        rows = list(zip(*columns, strict=True))
        ids = {str(row[0]) for row in rows}
        return FirstScreen(
            rows=rows,
            read=frozenset(ids & set(self.state.read)),
            bookmarked=frozenset(ids & set(self.state.bookmarks)),
            shown=frame.height,
            total=total,
            filter=text,
            sort=sort,
        )

    # -- copy, export, help -------------------------------------------------------------------

    def action_copy(self) -> None:
        if self.focused is self.keyword_panel and self.keyword_panel.current_keyword:
            keyword = self.keyword_panel.current_keyword
            self.copy_to_clipboard(keyword)
            self.notify(f"Copied keyword {keyword!r}", markup=False)
            return
        row = self.article_list.cursor
        if self._still_opening():
            return
        if self.article_list.article_id_at(row) is None:
            self.notify("Nothing to copy.", severity="warning")
            return
        article = self.article_list.frame.row(row, named=True)
        body = self.view.cached_body(article)
        if body is None and "body" not in article:
            self._copy_article(article)
        else:
            self._copy_text(article, body or "")

    @work(thread=True, exclusive=True, exit_on_error=False, group="copy", description="copying the article")
    def _copy_article(self, article: dict[str, Any]) -> None:
        body = self.view.body(article)
        self.call_from_thread(self._copy_text, article, MISSING_BODY if body is None else body)

    def _copy_text(self, article: dict[str, Any], body: str) -> None:
        source = f"{article['source']}\n" if article.get("source") else ""
        self.copy_to_clipboard(f"{article['title']}\n{source}\n{body}")
        self.notify(f"Copied article {article['title']!r}", markup=False)

    def action_export(self) -> None:
        if isinstance(self.screen, ExportScreen) or self._still_opening():
            return
        directory = self._export_dir or Path.cwd()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        frame, keywords, view = self.article_list.frame, self.view.keywords, self.view  # the view as it is now

        def export(target: Path, replace: bool) -> int:  # runs in the prompt's worker thread
            from core.export import export_view
            from core.view import DISPLAY_ONLY

            return export_view(view.with_bodies(frame), keywords, target, drop=DISPLAY_ONLY, replace=replace)

        self.push_screen(
            ExportScreen(directory / f"newsdesk-export-{stamp}.csv", frame.height, export),
            callback=self._exported,
        )

    def _exported(self, result: tuple[Path, int] | None) -> None:
        if result is not None:
            target, rows = result
            self.notify(f"Exported {rows:,} row{'' if rows == 1 else 's'} to {for_display(target)}", title="Export", markup=False)

    def binding_groups(self) -> list[tuple[str, list[BindingType]]]:
        """Every binding, grouped by where it applies (what the help screen lists)."""
        return [
            ("Everywhere", list(self.BINDINGS) + [Binding("ctrl+p", "command_palette", "Command palette")]),
            ("Article list", list(ArticleList.BINDINGS)),
            ("Reader", list(Reader.BINDINGS)),
            ("Keyword panel", list(KeywordPanel.BINDINGS)),
            ("Filter bar", [Binding("enter", "submit", "Apply and go to the list"), *FilterBar.BINDINGS]),
            ("KWIC screen", [Binding("enter", "open", "Open the article"), *KwicScreen.BINDINGS]),
            ("Export prompt", [Binding("enter", "submit", "Write the file (its extension picks the format)"), *ExportScreen.BINDINGS]),
            ("Trends screen", [Binding("enter", "select", "Filter by the co-occurring keyword"), *TrendsScreen.BINDINGS]),
            ("Overview screen", list(OverviewScreen.BINDINGS)),
        ]

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_groups()))

    async def action_quit(self) -> None:
        self.cancel_background_work()
        await asyncio.to_thread(self.flush_state)  # the last save, off the UI thread
        self.exit(0)

    def cancel_background_work(self) -> None:
        """Ask the indexing worker to stop at its next chunk (what it finished stays cached)."""
        self._cancel_index.set()

    # -- command palette ----------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        """Every action as a palette command, plus filter by each section and source."""
        commands = [
            PaletteCommand("Filter…", "Focus the filter bar (/)", self.action_focus_filter),
            PaletteCommand("Clear filter", "Show every article", lambda: self.apply_filter("")),
            PaletteCommand("Next article", "n", self.action_next_article),
            PaletteCommand("Previous article", "p", self.action_previous_article),
            PaletteCommand("Keyword in context", "Concordance of the keyword under the cursor (c)", self.action_kwic),
            PaletteCommand("Copy", "Copy the article or keyword to the clipboard (y)", self.action_copy),
            PaletteCommand("Export view", "Write the current view to CSV, JSONL, Parquet or Markdown (e)", self.action_export),
            PaletteCommand("Toggle keyword panel", "View keywords / article keywords (a)", self.keyword_panel.action_toggle_mode),
            PaletteCommand("Distinctive keywords", "Keywords that set the view apart from the rest (d)", self.keyword_panel.action_toggle_distinctive),
            PaletteCommand("Keyword trends", "Sections, timeline and co-occurring keywords of the keyword under the cursor (t)", self.action_trends),
            PaletteCommand("Corpus overview", "Sections, sources, languages, repeats, top keywords (o)", self.action_overview),
            PaletteCommand("Help", "Every key binding (?)", self.action_help),
            PaletteCommand("Filter: teasers only", "kind:teaser", lambda: self.add_filter_term("kind:teaser")),
            PaletteCommand("Filter: articles only", "kind:article", lambda: self.add_filter_term("kind:article")),
            PaletteCommand("Filter: bookmarked", "kind:bookmarked", lambda: self.add_filter_term("kind:bookmarked")),
            PaletteCommand("Bookmark", "Bookmark the article under the cursor, or remove its bookmark (b)", self.action_bookmark),
        ]
        commands += [
            PaletteCommand(f"Sort by {sort}", "s cycles the sort", lambda sort=sort: self.set_sort(sort))  # type: ignore[misc]
            for sort in SORTS
        ]
        articles = self.view.articles
        for column, label in (("section", "section"), ("source", "source")):
            if column not in articles.columns:
                continue
            values = articles.get_column(column).drop_nulls().unique().sort().head(500).to_list()
            for value in values:
                name = " ".join(str(value).replace('"', "").split())
                commands.append(
                    PaletteCommand(
                        f"Filter by {label}: {name}",
                        f'{label}:"{name}"',
                        lambda term=f'{label}:"{name}"': self.add_filter_term(term),  # type: ignore[misc]
                    )
                )
        for language in articles.get_column("language").drop_nulls().unique().sort().head(50).to_list() if "language" in articles.columns else []:
            commands.append(
                PaletteCommand(f"Filter by language: {language}", f"lang:{language}", lambda term=f"lang:{language}": self.add_filter_term(term))  # type: ignore[misc]
            )
        return commands

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()


def create_app(
    paths: Sequence[Path],
    *,
    corpus: Corpus | None = None,
    index: bool = True,
    export_dir: Path | None = None,
    config: Config | None = None,
    bodies_in_memory_max_bytes: int | None = None,
    prefetched: SnapshotPrefetch | None = None,
    first_screen: FirstScreen | None = None,
    follow_links: bool = False,
) -> NewsdeskApp:
    """The one way to build the app (CLI, tests, snapshots, benchmark).

    Args:
        paths: Files or directories to read the corpus from (in a worker).
        corpus: An already built corpus to show instead of reading `paths`.
        index: Extract keywords in the background when the corpus has none.
        export_dir: Where `e` writes exports (default: the current directory).
        config: The user's config (default: built-in defaults, no file read).
        bodies_in_memory_max_bytes: Above this much body text, bodies are read from the
            corpus snapshot when needed instead of being held in memory (default:
            `core.bodies.BODIES_IN_MEMORY_MAX_BYTES`).
        prefetched: The snapshot of `paths`, already being read since start-up.
        first_screen: The list's first rows stored by the last session, painted while the
            corpus loads (`core.first_screen`).
        follow_links: Also read what links in the folders lead to outside `paths`.
    """
    return NewsdeskApp(
        paths,
        corpus=corpus,
        index=index,
        export_dir=export_dir,
        config=config,
        bodies_in_memory_max_bytes=bodies_in_memory_max_bytes,
        prefetched=prefetched,
        first_screen=first_screen,
        follow_links=follow_links,
    )


def run_app(
    paths: Sequence[Path],
    config: Config | None = None,
    prefetched: SnapshotPrefetch | None = None,
    first_screen: FirstScreen | None = None,
    follow_links: bool = False,
) -> int:
    """Run the dashboard on `paths` until the user quits; returns the exit code."""
    app = create_app(paths, config=config, prefetched=prefetched, first_screen=first_screen, follow_links=follow_links)
    try:
        app.run()
    finally:
        app.end_session()  # quit by ctrl+c or a crash too: keep what was read
    return app.return_code or 0
