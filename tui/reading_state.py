"""Reading state of the open corpus: read marks, bookmarks, the last filter and sort, the
history of filters applied (walked with up/down in the filter bar).

Per corpus, through `core.state.StateStore`: read by the load worker (`tui.loading`), put in
place on the UI thread (`restore`), saved by a thread worker at most once every
SAVE_INTERVAL_SECONDS while the user reads, and once more on quit (`flush`) or after the app
has exited (`end_session`). The first screen of the next open (`tui.first_screen`) is written
with it.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

from core.sanitize import for_display
from core.state import CorpusState, StateStore
from core.sorts import is_sort

if TYPE_CHECKING:
    from core.query_terms import Marks
    from tui.app import NewsdeskApp

SAVE_INTERVAL_SECONDS = 1.0
"""Reading state is written at most this often while the user reads (and once more on quit)."""


class ReadingState:
    """The open corpus's reading state and its saving."""

    def __init__(self, app: NewsdeskApp) -> None:
        self._app = app
        self.state = CorpusState()
        """Read marks, bookmarks, last filter and sort of this corpus (saved as they change)."""
        self._store: StateStore | None = None
        self._marks: Marks | None = None
        """The marks as filters see them, copied once per change (not per keystroke)."""
        self._lock = threading.Lock()
        self._dirty = False
        self._saved_at = 0.0
        self._timer_pending = False
        self._ui_thread = threading.get_ident()

    def open_store(self) -> StateStore:
        """The corpus's store (the load worker reads the state through it, off the UI thread)."""
        return StateStore(self._app.paths, self._warn)

    def restore(self, store: StateStore, state: CorpusState) -> None:
        """Put this corpus's stored state (read by the load worker) in place: marks, filter, sort."""
        app = self._app
        self._store, self.state, self._marks = store, state, None
        app.article_list.read_ids = state.read
        app.article_list.bookmarked_ids = state.bookmarks
        app.filter_bar.history = state.history  # the same list: filters applied from now on show up in the walk
        if is_sort(state.sort):
            app.filtering.sort = state.sort
            app.status_bar.set(sort=state.sort)
        if state.last_filter.strip():
            # applied once the corpus is on screen (the load applies the filter bar's text)
            app.filter_bar.set_value(state.last_filter, apply=False)

    def _warn(self, text: str) -> None:
        """StateStore's warnings (a corrupt file moved aside, an unwritable dir) as notifications."""
        app = self._app
        if not app.is_running:
            print(f"newsdesk: {for_display(text, one_line=True)}", file=sys.stderr)  # the final save, after the app exited
        elif threading.get_ident() == self._ui_thread:
            app.notify(text, title="Reading state", severity="warning", markup=False, timeout=10)
        else:
            app.call_from_thread(app.notify, text, title="Reading state", severity="warning", markup=False, timeout=10)

    def marks(self) -> Marks:
        """A copy of the read and bookmarked ids, for a filter computed off the UI thread."""
        if self._marks is None:
            from core.query_terms import Marks  # imports Polars, which the first screen does without

            self._marks = Marks(read=frozenset(self.state.read), bookmarked=frozenset(self.state.bookmarks))
        return self._marks

    def toggle_read_under_cursor(self) -> None:
        """Mark the article under the list's cursor unread when it is read, read when not.
        An un-read is saved as a removal, so it survives another dashboard's save."""
        self._toggle_under_cursor(self.state.read, "No article to mark.", "Marked {} read", "Marked {} unread")

    def mark_read(self, article_id: str) -> None:
        """Mark `article_id` read (it was shown in the reader)."""
        if article_id in self.state.read:
            return
        self.state.read.add(article_id)
        self._marks = None
        self._app.article_list.refresh_article(article_id)
        self.schedule_save()

    def bookmark_under_cursor(self) -> None:
        """Bookmark the article under the list's cursor, or remove its bookmark."""
        self._toggle_under_cursor(self.state.bookmarks, "Nothing to bookmark.", "Bookmarked {}", "Removed the bookmark of {}")

    def _toggle_under_cursor(self, marks: set[str], nothing: str, added: str, removed: str) -> None:
        """Add the article under the cursor to `marks`, or take it out; say which (`added`,
        `removed`: messages with a place for the title); views using marks are computed again."""
        app = self._app
        article_id = app.article_list.article_id_at(app.article_list.cursor)
        if article_id is None:
            app.notify(nothing, severity="warning")
            return
        title = repr(str(app.article_list.frame.row(app.article_list.cursor, named=True)["title"]))
        if article_id in marks:
            marks.discard(article_id)
            app.notify(removed.format(title), markup=False)
        else:
            marks.add(article_id)
            app.notify(added.format(title), markup=False)
        self._marks = None
        app.article_list.refresh_article(article_id)
        self.schedule_save()
        app.filtering.marks_changed()

    def shown(self, text: str, sort: str) -> None:
        """The loaded corpus shows filter `text` in `sort` order: the next open starts there."""
        if (self.state.last_filter, self.state.sort) != (text, sort):
            self.state.last_filter, self.state.sort = text, sort
            self.schedule_save()

    def remember_filter(self, text: str) -> None:
        """Filter `text` was applied (entered, or recalled by name): first in the history."""
        if self.state.push_history(text):
            self.schedule_save()

    def schedule_save(self) -> None:
        """Save the state soon: now if the last save is a second old, else when it will be."""
        self._dirty = True
        self._app.first_screen.dirty = True  # its read marks and stars
        if self._timer_pending:
            return
        self._timer_pending = True
        wait = max(0.05, SAVE_INTERVAL_SECONDS - (time.monotonic() - self._saved_at))  # a zero wait breaks Timer
        self._app.set_timer(wait, self._start_save)

    def _start_save(self) -> None:
        self._timer_pending = False
        self._saved_at = time.monotonic()
        self._app.run_worker(self.flush, thread=True, exit_on_error=False, group="state", description="saving reading state")

    def flush(self) -> None:
        """Write the state now if it changed since the last write, and the first screen the
        next open shows (any thread; writes are serialised)."""
        with self._lock:
            if self._dirty and self._store is not None:
                self._dirty = False
                # A copy: the UI thread keeps adding marks while this one writes.
                self._store.save(self.state.copy())
            self._app.first_screen.write(self._app.paths, self.state)

    def end_session(self) -> None:
        """After the app has exited: save the state, and store the first screen once the
        snapshot it belongs to is written (a corpus parsed this session writes it in the
        background)."""
        self.flush()
        first_screen = self._app.first_screen
        if first_screen.dirty and first_screen.remembered:
            from core.snapshot import snapshot_path, wait_for_save

            wait_for_save(snapshot_path(self._app.paths))
            self.flush()
