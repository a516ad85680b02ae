"""Path completion for a text input: `PathSuggester`, a Textual `Suggester` over the file system.

As the user types a path, the input shows (dimmed) the first name in its folder that starts
with the last segment typed, matched case for case; `right` at the end of the input (or
`tab`, where the prompt binds it) accepts it. A folder is completed with a trailing `/`, `~`
is expanded for the listing (the text keeps the `~`), a relative path is taken from the
prompt's base folder, and names starting with `.` are offered only when the segment does.

Listing a folder never blocks the interface: it runs in a daemon thread (a hung network
mount holds that thread only, not the app nor its exit), reads at most LISTING_MAX entries,
and is kept for the life of the suggester, so one folder is listed once however fast the
user types. A name that is not printable text (control characters, an escape sequence,
bytes that are not UTF-8, invisible characters) is never offered: the input would show it
raw.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from pathlib import Path

from textual.suggester import Suggester

from core.paths import display_path

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
        if value == "~":
            return "~/"
        folder_text, slash, segment = value.rpartition("/")
        if not segment or not value.isprintable():
            return None
        folder = self._folder(folder_text + slash)
        if folder is None:
            return None
        # shielded: a suggestion overtaken by the next key is cancelled, the listing is not
        for name in await asyncio.shield(self._names(folder)):
            if name.startswith(segment) and len(name) > len(segment) and (segment.startswith(".") or not name.startswith(".")):
                return value + name[len(segment) :]
        return None

    def _folder(self, text: str) -> Path | None:
        """The folder a typed path's last segment is in (None: `~user` that does not exist)."""
        if not text:
            return self.base
        try:
            folder = Path(text).expanduser()
        except RuntimeError:  # no home directory for that `~`
            return None
        return folder if folder.is_absolute() else self.base / folder

    def _names(self, folder: Path) -> asyncio.Future[tuple[str, ...]]:
        """The names in `folder`, listed once in a daemon thread."""
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


def _settle(listing: asyncio.Future[tuple[str, ...]], names: tuple[str, ...]) -> None:
    if not listing.done():
        listing.set_result(names)
