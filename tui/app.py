"""NewsdeskApp: composes the panes, holds the bindings and routes messages between them.

The app stays thin: panes render what they are handed and own their handlers, the view
(`core.view.CorpusView`) does the Polars work, and everything slow runs in thread workers that
post `tui.messages` back, which the app hands to the module whose job it is:

- `tui.startup`: the open of a corpus, in order (first screen, load, first view, collection);
- `tui.loading`: the load/index pipeline and what the panes show of its progress;
- `tui.filtering`: filter and sort requests, newest wins;
- `tui.reading_state` and `tui.first_screen`: what is kept for the next open;
- `tui.insight`: trends, overview and keyword in context.

Errors from workers and actions are routed to one place, `report_error`. `create_app` is the
one factory: the CLI (`run_app`), the Pilot tests, the snapshot tests and the benchmark all
build the app through it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from core import table_head_start
from core.config import Config
from core.first_screen import FirstScreen
from core.sanitize import for_display
from core.state import CorpusState
from tui import messages, sharing
from tui.commands import NewsdeskCommands, PaletteCommand, palette_commands
from tui.configure import apply_config
from tui.filtering import Filtering
from tui.first_screen import FirstScreens
from tui.insight import Insight
from tui.keymap import rebound
from tui.keys import APP_BINDINGS
from tui.live import LiveFollow
from tui.loading import Loader
from tui.reading_state import ReadingState
from tui.saved_filters import SavedFilters
from tui.screens.help import HelpScreen, binding_groups
from core.sorts import next_sort, reverse_sort
from tui.startup import StartUp
from tui.text_entry import filter_key_applies, run_in_order
from tui.widgets.article_list import ArticleList
from tui.widgets.filter_bar import FilterBar
from tui.widgets.key_footer import KeyFooter
from tui.widgets.keyword_panel import KeywordPanel
from tui.widgets.reader import Reader
from tui.widgets.reader_find import ReaderFind
from tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    # Polars and what uses it are imported once the interface is up (by the load worker):
    # the first screen is painted without them (`core.first_screen`).
    from core.corpus import Corpus
    from core.prefetch import SnapshotPrefetch
    from core.gc_policy import IdleCollector
    from core.view import CorpusView


class NewsdeskApp(App[int]):
    """The newsdesk dashboard: article list, reader, keyword panel, filter bar, status bar.

    Its keys are `BINDINGS` and those of each pane; the help screen (`?`) lists them all,
    generated from the same lists (`tui.screens.help.binding_groups`).
    """

    CSS_PATH = "app.tcss"
    TITLE = "newsdesk"
    COMMANDS: ClassVar[set[Any]] = App.COMMANDS | {NewsdeskCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]

    BINDINGS: ClassVar[list[BindingType]] = APP_BINDINGS

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
        """See `create_app` for the arguments."""
        super().__init__()
        self.config = config or Config()
        """The user's config (theme, keymap, keyword engine and top-N)."""
        self.paths = list(paths)
        """What the corpus is read from."""
        self._export_dir = export_dir
        self._view: CorpusView | None = None
        self._view_lock = threading.Lock()
        self.loader = Loader(
            self, preloaded=corpus, prefetched=prefetched, index=index, bodies_in_memory_max_bytes=bodies_in_memory_max_bytes, follow_links=follow_links
        )
        """The load/index pipeline (`tui.loading`)."""
        self.startup = StartUp(self, self.loader.start, self.loader.prepare_search)
        """The open of the corpus, in order (`tui.startup`)."""
        self.idle_collector: IdleCollector = self.startup.idle_collector
        """Cycle collection while the user is idle (`core.gc_policy`)."""
        self.first_screen = FirstScreens(self, first_screen if corpus is None else None)
        """The stored first rows, and the next open's (`tui.first_screen`)."""
        self.reading = ReadingState(self)
        """Read marks, bookmarks, last filter and sort, and their saving (`tui.reading_state`)."""
        self.filtering = Filtering(self)
        """The filter and sort, and the requests for the view's rows (`tui.filtering`)."""
        self.insight = Insight(self)
        """Trends, overview and keyword in context (`tui.insight`)."""
        self.saved_filters = SavedFilters(self)
        """The user's named filters (`tui.saved_filters`)."""
        self.live = LiveFollow(self)
        """The watch of the folders, and what arrived since the open (`tui.live`)."""

    def compose(self) -> ComposeResult:
        yield FilterBar(id="filter-bar")
        with Vertical(id="main"):
            yield ArticleList(id="articles")
            with Horizontal(id="lower"):
                with Vertical(id="reading"):
                    yield Reader(id="reader")
                    yield ReaderFind(id="reader-find")
                yield KeywordPanel(id="keywords")
        yield StatusBar(id="status")
        yield KeyFooter()

    def on_load(self) -> None:
        self.startup.enter()

    def on_mount(self) -> None:
        apply_config(self, self.config)
        self.article_list.border_title = "Articles"
        self.filter_bar.leads_to = self.article_list
        self.article_list.focus()
        self.startup.begin()

    def on_unmount(self) -> None:
        self.startup.end()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseEvent)):
            self.idle_collector.note_input()
        if isinstance(event, events.Key) and run_in_order(self, event):
            return  # a text field's binding, run before the keys typed after it (`tui.text_entry`)
        await super().on_event(event)

    # -- what the app holds -------------------------------------------------------------------

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
    def state(self) -> CorpusState:
        """Read marks, bookmarks, last filter and sort of this corpus (`tui.reading_state`)."""
        return self.reading.state

    @property
    def sort(self) -> str:
        """The current sort order (one of SORTS)."""
        return self.filtering.sort

    @property
    def applied_filter(self) -> str:
        """The filter whose result is on screen (the last one that parsed)."""
        return self.filtering.applied

    @property
    def loaded(self) -> bool:
        """The corpus is loaded and on screen."""
        return self.loader.loaded

    @property
    def started_up(self) -> bool:
        """Start-up is over (`tui.startup`)."""
        return self.startup.over

    @property
    def next_first_screen(self) -> FirstScreen | None:
        """What the list would show first if the corpus were opened now (None before it is on screen)."""
        return self.first_screen.next(self.state)

    def panes_alive(self) -> bool:
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
        super().notify(for_display(message), title=for_display(title, one_line=True), severity=severity, timeout=timeout, markup=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        self.report_error(f"{event.worker.description or event.worker.name}: {event.worker.error}")
        if event.worker.group == "load":
            self.startup.first_view_shown()  # no view is coming
            if self.panes_alive():
                self.loader.failed()
        elif event.worker.group == "statistics":
            self.insight.failed()

    # -- routing: workers' messages to the module whose job they are --------------------------

    def on_state_read(self, message: messages.StateRead) -> None:
        if self.panes_alive():
            self.reading.restore(message.store, message.state)

    def on_load_progressed(self, message: messages.LoadProgressed) -> None:
        if self.panes_alive():
            self.loader.show_progress(message)

    def on_corpus_loaded(self, message: messages.CorpusLoaded) -> None:
        if self.panes_alive():
            self.loader.adopt(message)

    def on_bodies_dropped(self, message: messages.BodiesDropped) -> None:
        if self.panes_alive():
            self.filtering.refresh()  # the rows again, without bodies: the old ones are let go

    def on_index_progress(self, message: messages.IndexProgress) -> None:
        if self.panes_alive():
            self.loader.show_index_progress(message)

    def on_keywords_updated(self, message: messages.KeywordsUpdated) -> None:
        if self.panes_alive():
            self.loader.keywords_updated(message)

    def on_live_batch(self, message: messages.LiveBatch) -> None:
        self.live.apply(message)

    def on_view_computed(self, message: messages.ViewComputed) -> None:
        if self.panes_alive():
            self.filtering.show(message)

    def on_statistics_computed(self, message: messages.StatisticsComputed) -> None:
        self.insight.computed(message)

    def on_kwic_ready(self, message: messages.KwicReady) -> None:
        if self.panes_alive():
            self.insight.kwic_ready(message)

    # -- routing: the panes' messages ---------------------------------------------------------

    def on_article_list_rows_painted(self, message: ArticleList.RowsPainted) -> None:
        if message.preview:
            self.startup.stored_rows_painted()
        else:
            self.startup.first_view_shown()

    def on_article_list_highlighted(self, message: ArticleList.Highlighted) -> None:
        if not self.panes_alive() or self.article_list.previewing:
            return  # the panes gone (at shutdown); or none to show until the corpus is loaded
        articles = self.article_list
        if message.article_id != articles.article_id_at(articles.cursor):
            return  # stale: the list changed after this was posted, and a newer one is on its way
        own = self.reader.follow(articles, self.view)
        if own is not None:
            self.keyword_panel.set_article_keywords(own)
        if message.article_id is not None and self.focused is self.reader:
            self.mark_read(message.article_id)  # n / p while reading

    def on_article_list_selected(self, message: ArticleList.Selected) -> None:
        if self.first_screen.still_opening():
            return
        self.focus_now(self.reader)
        self.mark_read(message.article_id)

    def on_keyword_panel_chosen(self, message: KeywordPanel.Chosen) -> None:
        self.filtering.add_keyword(message.keyword)
        self.focus_now(self.article_list)

    def on_filter_bar_changed(self, message: FilterBar.Changed) -> None:
        if self.loaded:
            self.request_view(message.value)

    def on_filter_bar_submitted(self, message: FilterBar.Submitted) -> None:
        if self.loaded:
            self.request_view(message.value)
        self.reading.remember_filter(message.value)
        self.focus_now(self.article_list)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    # -- filtering and sorting ----------------------------------------------------------------

    def request_view(self, text: str, *, keep_place: bool = False) -> None:
        """Compute the rows for filter `text` and the current sort (`tui.filtering`)."""
        self.filtering.request(text, keep_place=keep_place)

    def apply_filter(self, text: str) -> None:
        """Put `text` in the filter bar and apply it now."""
        self.filtering.apply(text)

    def set_sort(self, sort: str) -> None:
        """Order the list by `sort` (one of SORTS); the cursor goes to the first row."""
        if not self.first_screen.still_opening():
            self.filtering.set_sort(sort)

    def action_save_filter(self) -> None:
        self.saved_filters.ask_to_save(self.filter_bar.value)

    def action_saved_filters(self) -> None:
        self.saved_filters.pick()

    def action_cycle_sort(self) -> None:
        self.set_sort(next_sort(self.filtering.sort))

    def action_reverse_sort(self) -> None:
        self.set_sort(reverse_sort(self.filtering.sort))

    # -- moving around ------------------------------------------------------------------------

    def action_next_article(self) -> None:
        self.article_list.cursor += 1

    def action_previous_article(self) -> None:
        self.article_list.cursor -= 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return filter_key_applies(self) if action == "focus_filter" else True

    def action_focus_filter(self) -> None:
        self.focus_now(self.filter_bar.input)

    def focus_now(self, widget: Widget) -> None:
        """Focus `widget` before the next key is handled.

        `Widget.focus` defers the change (call_later), so keys typed right after `/` in the
        same burst (a fast typist, a paste, SSH batching) would reach the old pane's bindings.
        """
        self.screen.set_focus(widget)

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

    # -- insight: KWIC, trends and overview (`tui.insight`) -----------------------------------

    def action_kwic(self) -> None:
        if (keyword := self.insight.keyword_under_cursor()) is not None:
            self.open_kwic(keyword)

    def open_kwic(self, term: str) -> None:
        """Compute the concordance of `term` over the view and show it."""
        self.insight.kwic(term)

    def action_trends(self) -> None:
        if (keyword := self.insight.keyword_under_cursor()) is not None:
            self.insight.trends(keyword)

    def action_overview(self) -> None:
        if not self.first_screen.still_opening():
            self.insight.overview()

    # -- reading state (`tui.reading_state`) --------------------------------------------------

    def mark_read(self, article_id: str) -> None:
        """Mark `article_id` read (it was shown in the reader)."""
        self.reading.mark_read(article_id)

    def action_jump_new(self) -> None:
        self.live.jump_next()

    def action_bookmark(self) -> None:
        if not self.first_screen.still_opening():
            self.reading.bookmark_under_cursor()

    def action_toggle_read(self) -> None:
        if not self.first_screen.still_opening():
            self.reading.toggle_read_under_cursor()

    def end_session(self) -> None:
        """After the app has exited (quit, ctrl+c or a crash): stop indexing, save the reading
        state and the first screen the next open shows."""
        self.loader.cancel()
        table_head_start.abandon()  # begun at launch, and the app ended before its load took it
        self.reading.end_session()

    async def action_quit(self) -> None:
        self.loader.cancel()
        await asyncio.to_thread(self.reading.flush)  # the last save, off the UI thread
        self.exit(0)

    # -- copy, export, help, palette ----------------------------------------------------------

    def action_copy(self) -> None:
        sharing.copy(self)

    def action_export(self) -> None:
        sharing.export(self, self._export_dir)

    def binding_groups(self) -> list[tuple[str, list[BindingType]]]:
        """Every binding, grouped by where it applies, with the keys the keymap gives them
        (what the help screen lists)."""
        return rebound(binding_groups(self.BINDINGS), self._keymap)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.binding_groups()))

    def palette_commands(self) -> list[PaletteCommand]:
        """Every action as a palette command, plus filter by each section and source."""
        return palette_commands(self)


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
