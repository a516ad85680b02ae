"""Saved filters in the dashboard: save the filter under a name, recall it, delete it.

`ctrl+s` in the filter bar (or the palette's "Save filter as…") asks for a name
(`tui.screens.saved_filters.SaveFilterScreen`); `F` lists the saved filters to apply or delete
one; the palette lists each as "Filter: <name> — <text>". They are the user's, for every
corpus (`core.saved_filters`): read by a thread worker once the first view is on screen,
and again, for the next look, when the list or the palette opens after another dashboard
changed the file; written by a thread worker (a save may wait for another dashboard's lock).
The UI thread only reads the copy in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.saved_filters import SavedFilterStore
from tui.commands import PaletteCommand
from tui.screens.saved_filters import SaveFilterScreen, SavedFiltersScreen, describe, one_line

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


class SavedFilters:
    """The user's saved filters, as this dashboard sees them."""

    def __init__(self, app: NewsdeskApp) -> None:
        self._app = app
        self._store = SavedFilterStore(self._warn)
        self._filters: dict[str, str] = {}
        self._read = False
        """The stored filters were read once (in a worker, after the first view)."""
        self._reading = False
        self._then: list[Callable[[], None]] = []
        """What waits for the read under way (a list asked for before the first read ended)."""
        self._changes = 0
        """Local changes so far: a finished save adopts the stored filters only when no later change is on its way."""
        self._pending = 0
        self._lock = threading.Lock()
        self._ui_thread = threading.get_ident()

    @property
    def filters(self) -> dict[str, str]:
        """Name -> filter text, as last read (`read_in_background`) or changed here."""
        return self._filters

    def read_in_background(self, then: Callable[[], None] | None = None) -> None:
        """Read the stored filters in a thread worker, if never read or another dashboard
        changed them since; `then` runs on the UI thread afterwards."""
        if self._reading:
            if then is not None:
                self._then.append(then)
            return
        self._reading = True
        if then is not None:
            self._then.append(then)
        changes = self._changes

        def read() -> None:
            fresh = None
            try:
                with self._lock:
                    stale = not self._read or (not self._pending and self._store.changed_on_disk())
                    fresh = self._store.load() if stale else None
            finally:  # whatever happened, the next look may read again
                if self._app.is_running:
                    self._app.call_from_thread(self._adopt, fresh, changes)

        self._app.run_worker(read, thread=True, exit_on_error=False, group="saved-filters-read", description="reading saved filters")

    def _adopt(self, fresh: dict[str, str] | None, changes: int) -> None:
        if fresh is not None and changes == self._changes and not self._pending:
            self._filters = fresh  # no change was made here while it was read
        self._read = True
        self._reading = False
        waiting, self._then = self._then, []
        for then in waiting:
            then()

    def _warn(self, text: str) -> None:
        app = self._app
        if threading.get_ident() == self._ui_thread:
            app.notify(text, title="Saved filters", severity="warning", timeout=10)
        elif app.is_running:
            app.call_from_thread(app.notify, text, title="Saved filters", severity="warning", timeout=10)

    def ask_to_save(self, text: str) -> None:
        """Ask for a name to save filter `text` under, and save it."""
        app = self._app
        if isinstance(app.screen, SaveFilterScreen):
            return
        text = text.strip()
        if not text:
            app.notify("Nothing to save: the filter is empty.", severity="warning")
            return
        if app.filter_bar.error_text:
            app.notify("The filter does not parse: fix it before saving it.", severity="warning")
            return

        def named(name: str | None) -> None:
            if name is not None:
                self.save(name, text)

        app.push_screen(SaveFilterScreen(text, self.filters), callback=named)

    def save(self, name: str, text: str) -> None:
        """Save filter `text` under `name` (replacing the filter of that name)."""
        self.filters[name] = text
        self._write()
        self._app.notify(f"Saved filter {one_line(name)}: {one_line(text)}", title="Saved filters")

    def delete(self, name: str) -> None:
        """Delete the saved filter `name`."""
        if self.filters.pop(name, None) is not None:
            self._write()
            self._app.notify(f"Deleted saved filter {one_line(name)}", title="Saved filters")

    def recall(self, name: str | None) -> None:
        """Apply the saved filter `name` (None or unknown: do nothing)."""
        text = self.filters.get(name) if name is not None else None
        if text is None:
            return
        app = self._app
        if app.loaded:
            app.apply_filter(text)
        else:  # the load applies the filter bar's text once the corpus is on screen
            app.filter_bar.set_value(text, apply=False)
        app.reading.remember_filter(text)
        app.focus_now(app.article_list)

    def pick(self) -> None:
        """List the saved filters: apply one, or delete some."""
        app = self._app
        if isinstance(app.screen, SavedFiltersScreen):
            return
        if not self._read:  # asked for before the first read ended
            self.read_in_background(then=self.pick)
            return
        self.read_in_background()  # another dashboard's changes, for the next look
        if not self.filters:
            app.notify("No saved filters yet: ctrl+s in the filter bar saves the filter.", severity="warning")
            return
        app.push_screen(SavedFiltersScreen(self.filters, self.delete), callback=self.recall)

    def palette_commands(self) -> list[PaletteCommand]:
        """"Save filter as…" and a "Filter: <name> — <text>" command per saved filter."""
        app = self._app
        self.read_in_background()  # another dashboard's changes, for the next look
        commands = [PaletteCommand("Save filter as…", "Save the filter under a name (ctrl+s in the filter bar)", lambda: self.ask_to_save(app.filter_bar.value))]
        commands.append(PaletteCommand("Saved filters…", "Apply or delete a saved filter (F)", self.pick))
        for name, text in sorted(self.filters.items(), key=lambda item: item[0].casefold()):
            commands.append(PaletteCommand(f"Filter: {describe(name, text)}", "Saved filter", lambda name=name: self.recall(name)))  # type: ignore[misc]
        return commands

    def _write(self) -> None:
        """Write the filters in a thread worker: the file's lock may be held by another dashboard."""
        self._changes += 1
        self._pending += 1
        changes, store = self._changes, self._store

        def write() -> None:
            with self._lock:
                stored = store.save(self._filters)
            if self._app.is_running:
                self._app.call_from_thread(self._written, stored, changes)

        self._app.run_worker(write, thread=True, exit_on_error=False, group="saved-filters", description="saving filters")

    def _written(self, stored: dict[str, str] | None, changes: int) -> None:
        self._pending -= 1
        if stored is not None and changes == self._changes:
            self._filters = stored  # with the other dashboards' names
