"""The open of a corpus, in the order it happens: one object (`StartUp`) owns the sequence.

0. Before the interface is imported (the `newsdesk` script, `tui.cli.head_start`): the
   first screen the last session stored is read (`core.first_screen`); without one, the
   corpus snapshot's read starts in a thread (`read_snapshot_ahead`: Polars decodes it
   without the GIL while Textual is imported). Cycle collection is off (`core.gc_policy`).
1. The app starts (`enter`): collection is off for start-up, whoever started the app.
2. The panes are mounted (`begin`): a stored first screen is painted, without Polars; the
   load starts once those rows are painted (`stored_rows_painted`), or after
   FIRST_VIEW_WAIT_SECONDS should they never be (a screen over them). Without a first
   screen the load starts at once.
3. The load worker (`tui.loading`) reads the reading state, then reports the corpus's stored
   articles (from its snapshot) before walking the folder: it waits for those rows' paint
   (`wait_for_first_view`), since the walk holds the GIL between its thousands of stats.
4. Rows computed for the list (`rows_computed`): once the list says they are painted
   (`first_view_shown`), start-up is over: the waiting load walks the folder, and automatic
   collection is on again with what start-up made frozen out of it. Should the list paint
   nothing (no rows, a screen over it) it ends all the same.
5. The corpus is loaded (`corpus_adopted`) and its rows are on screen (`rows_shown`): the
   text is prepared for search SEARCH_PREPARE_DELAY later (it competes with the first
   paint), and the idle collector takes over collection (`core.gc_policy`).
6. The app exits (`end`): collection back to the default, and a load still waiting goes on
   (and stops).

This module imports no Textual or Polars at import time: the script's step 0 uses it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core import gc_policy

if TYPE_CHECKING:
    from core.prefetch import SnapshotPrefetch
    from tui.app import NewsdeskApp

FIRST_VIEW_WAIT_SECONDS = 1.0
"""How long a warm load waits for the stored articles' first paint before walking the folder
(and how long a first screen waits for its paint before the load starts all the same)."""

SEARCH_PREPARE_DELAY = 0.5
"""Seconds after the first view is painted before the text is lower-cased for search."""


def read_snapshot_ahead(paths: Sequence[Path], body_limit: int | None = None) -> SnapshotPrefetch:
    """Start reading the snapshot of `paths` in a thread (`core.prefetch`), for the load to
    take over; `body_limit` as the load's (default `core.bodies.BODIES_IN_MEMORY_MAX_BYTES`)."""
    from core.bodies import BODIES_IN_MEMORY_MAX_BYTES
    from core.prefetch import SnapshotPrefetch

    return SnapshotPrefetch(paths, BODIES_IN_MEMORY_MAX_BYTES if body_limit is None else body_limit)


class StartUp:
    """The start-up sequence of one app (see the module's docstring for its steps)."""

    def __init__(self, app: NewsdeskApp, start_load: Callable[[], None], prepare_search: Callable[[], None]) -> None:
        self._app = app
        self._start_load = start_load
        self._prepare_search = prepare_search
        self._load_started = False
        self._first_view_painted = threading.Event()
        self._search_pending = False
        self.idle_collector = gc_policy.IdleCollector(app)
        """Cycle collection while the user is idle (started once the corpus is on screen)."""

    @property
    def over(self) -> bool:
        """The first view is on screen (or it could not be): a warm load walks the folder
        and collection is back on."""
        return self._first_view_painted.is_set()

    # 1. The app starts.
    def enter(self) -> None:
        gc_policy.defer_start_up()

    # 2. The panes are mounted.
    def begin(self) -> None:
        stored = self._app.first_screen.stored
        if stored is None:
            self.start_load()
            return
        self._app.first_screen.show(stored)
        self._app.set_timer(FIRST_VIEW_WAIT_SECONDS, self.start_load)

    def stored_rows_painted(self) -> None:
        """The first screen is up: the corpus loads behind it."""
        self.start_load()

    def start_load(self) -> None:
        """Start reading the corpus (once)."""
        if not self._load_started:
            self._load_started = True
            self._start_load()

    # 3. The load worker has the stored articles (its thread).
    def wait_for_first_view(self) -> None:
        self._first_view_painted.wait(FIRST_VIEW_WAIT_SECONDS)

    # 4. Rows for the list.
    def rows_computed(self, has_rows: bool) -> None:
        if self.over:
            return
        if has_rows:
            # The list says when its rows are painted (`first_view_shown`); should it not
            # be painting (a screen over it), start-up ends all the same.
            self._app.set_timer(FIRST_VIEW_WAIT_SECONDS, self.first_view_shown)
        else:
            self._app.call_after_refresh(self.first_view_shown)  # no rows for the list to paint

    def first_view_shown(self) -> None:
        """Start-up is over (also when the load failed: no view is coming)."""
        if self.over:
            return
        self._first_view_painted.set()
        if not self.idle_collector.started:
            gc_policy.start_up_over()
        self._app.saved_filters.read_in_background()

    # 5. The corpus is loaded, and its rows are on screen.
    def corpus_adopted(self) -> None:
        self._search_pending = True  # prepared once its first view is on screen

    def rows_shown(self, loaded: bool) -> None:
        if self._search_pending:
            # After the first rows are painted: lower-casing every article competes with it.
            self._search_pending = False
            self._app.set_timer(SEARCH_PREPARE_DELAY, self._prepare_search)
        if loaded:
            self.idle_collector.start()  # the corpus is on screen: what lives now lives long
            self._app.call_after_refresh(self._app.loader.rows_shown.set)

    # 6. The app exits.
    def end(self) -> None:
        self.idle_collector.stop()
        self._app.loader.rows_shown.set()  # a snapshot waiting to be written is written now
        self._first_view_painted.set()  # a load waiting for it goes on (and stops)
