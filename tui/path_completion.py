"""Path completion for a text input: `PathSuggester`, a Textual `Suggester` over the file
system, and `PathInput`, an input that uses it and completes on `tab`.

As the user types a path, the input shows (dimmed) the first name in its folder that starts
with the last segment typed, matched case for case; `right` at the end of the input (or
`tab`, where the prompt binds it) accepts it. A folder is completed with a trailing `/`, `~`
is expanded for the listing (the text keeps the `~`), a relative path is taken from the
prompt's base folder, and names starting with `.` are offered only when the segment does.

Listing a folder never blocks the interface: it runs in a daemon thread (a hung network
mount holds that thread only, not the app nor its exit), reads at most LISTING_MAX entries,
and is kept for the life of the suggester, so one folder is listed once however fast the
user types; a key that completes (`suggest_now`) uses the listings already read, so it
is handled in order with the keys typed around it (`PathInput` is an `OrderedInput`).
A name that is not printable text (control characters, an escape sequence,
bytes that are not UTF-8, invisible characters) is never offered: the input would show it
raw.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from pathlib import Path

from textual.binding import Binding, BindingType
from textual.suggester import Suggester

from core.paths import display_path
from tui.widgets.ordered_input import OrderedInput

LISTING_MAX = 1000
"""Entries read from one folder; a folder with more offers completions from the first ones."""


def list_names(directory: Path, limit: int = LISTING_MAX) -> tuple[str, ...]:
    """The printable names of `directory`'s first `limit` entries, sorted, folders with a
    trailing `/` (() when it cannot be read)."""
    names: list[str] = []
    try:
        with os.scandir(directory) as entries:
            for entry in itertools.islice(entries, limit):
                name = entry.name
                if display_path(name) != name or "/" in name:
                    continue  # never shown raw
                try:
                    folder = entry.is_dir()
                except OSError:
                    folder = False
                names.append(f"{name}/" if folder else name)
    except (OSError, ValueError):  # ValueError: a NUL in the path typed
        return ()
    return tuple(sorted(names))


class PathSuggester(Suggester):
    """Suggests the rest of a path from the names in its folder (see the module docstring)."""

    def __init__(self, base: Path, *, limit: int = LISTING_MAX) -> None:
        # No cache of suggestions: the listings are the cache, per folder.
        super().__init__(use_cache=False, case_sensitive=True)
        self.base = base
        """Where relative paths start."""
        self._limit = limit
        self._listings: dict[Path, asyncio.Future[tuple[str, ...]]] = {}

    async def get_suggestion(self, value: str) -> str | None:
        if value == "~" or (where := self._split(value)) is None:
            return "~/" if value == "~" else None
        folder, segment = where
        # shielded: a suggestion overtaken by the next key is cancelled, the listing is not
        return _completion(value, segment, await asyncio.shield(self.listing(folder)))

    def suggest_now(self, value: str) -> str | None:
        """The suggestion for `value` from the folders listed so far, without waiting (a key
        that completes runs between the keys around it); None also while its folder is being
        listed (the listing is started)."""
        if value == "~" or (where := self._split(value)) is None:
            return "~/" if value == "~" else None
        folder, segment = where
        listing = self.listing(folder)
        return _completion(value, segment, listing.result()) if listing.done() else None

    def _split(self, value: str) -> tuple[Path, str] | None:
        """(folder, last segment) of a typed path; None when there is nothing to complete."""
        folder_text, slash, segment = value.rpartition("/")
        if not segment or not value.isprintable():
            return None
        folder = self._folder(folder_text + slash)
        return None if folder is None else (folder, segment)

    def _folder(self, text: str) -> Path | None:
        """The folder a typed path's last segment is in (None: `~user` that does not exist)."""
        if not text:
            return self.base
        try:
            folder = Path(text).expanduser()
        except RuntimeError:  # no home directory for that `~`
            return None
        return folder if folder.is_absolute() else self.base / folder

    def listing(self, folder: Path) -> asyncio.Future[tuple[str, ...]]:
        """The names in `folder`, listed once in a daemon thread (call it early to have them
        ready by the time the user types)."""
        listing = self._listings.get(folder)
        if listing is None:
            loop = asyncio.get_running_loop()
            listing = self._listings[folder] = loop.create_future()
            limit = self._limit

            def run() -> None:
                names = list_names(folder, limit)
                try:
                    loop.call_soon_threadsafe(_settle, listing, names)
                except RuntimeError:  # the app has exited meanwhile: nobody waits for the names
                    return

            threading.Thread(target=run, name="newsdesk-path-listing", daemon=True).start()
        return listing


def _completion(value: str, segment: str, names: tuple[str, ...]) -> str | None:
    """`value` completed with the first of `names` that starts with `segment` (a hidden
    name only when `segment` starts with a dot)."""
    for name in names:
        if name.startswith(segment) and len(name) > len(segment) and (segment.startswith(".") or not name.startswith(".")):
            return value + name[len(segment) :]
    return None


def _settle(listing: asyncio.Future[tuple[str, ...]], names: tuple[str, ...]) -> None:
    if not listing.done():
        listing.set_result(names)


class PathInput(OrderedInput):
    """An input for a path: completes as the user types (`PathSuggester`), `tab` accepts.

    | Key | Action |
    | :- | :- |
    | `tab`, `right` at the end | Accept the path completion shown. |
    """

    BINDINGS: list[BindingType] = [
        Binding("tab", "complete", "Complete path", show=False, id="export.complete"),
    ]

    def __init__(self, value: str, base: Path, *, id: str | None = None) -> None:
        self.path_suggester = PathSuggester(base)
        """Completes relative paths from `base`."""
        super().__init__(value, id=id, select_on_focus=False, suggester=self.path_suggester)

    def on_mount(self) -> None:
        self.path_suggester.listing(self.path_suggester.base)  # read while the user types the first letters

    def action_complete(self) -> None:
        """Complete the path from its folder's names and put the cursor at its end."""
        suggestion = self.path_suggester.suggest_now(self.value)
        if suggestion is not None:
            self.value = suggestion
        self.cursor_position = len(self.value)
