"""Following the corpus's folders: batches of the files that appeared, changed or went.

`watch_batches(paths, stop)` yields a `FileChanges` per batch until `stop` is set. It runs
`watchfiles` (one OS watcher, debounced) and gathers its change sets until the folders have
been quiet for QUIET_MS, so a burst of files written by a scraper is one batch, not one per
file; a batch is also handed on once it holds MAX_BATCH_FILES files or has waited
MAX_BATCH_SECONDS, so a scraper that never pauses still shows its pages.

Files are named as the load's walk finds them (`core.walk`: the path as given, joined with
the part below it), so a batch's names, shown (`core.paths.display_path`), match the corpus's
`path` column. What the walk
passes over is ignored here too (hidden files and folders, the cache directory), and so are
the files a writer is still making: `*.part`, `*.tmp`, `*~`, and newsdesk's own temp files.

A given folder that is deleted and created again is watched again once it is back, and its
files are reported as changed (the OS watch of a deleted folder is gone with it). When the
OS runs out of watches (inotify's `max_user_watches`), one warning is given and the folders
are polled instead.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from core.atomic import Warn
from core.paths import cache_dir

QUIET_MS = 300
"""A batch is handed on once no file has changed for this long."""
STEP_MS = 50
"""watchfiles' own grouping: changes closer together than this come as one set."""
POLL_DELAY_MS = 1_000
"""How often the folders are walked when polled (past the OS's watch limit, so a tree of
thousands of folders): each walk stats every file, so not at watchfiles' default 300 ms."""
MAX_BATCH_FILES = 20_000
"""A batch is handed on when it holds this many files, even if writes go on."""
MAX_BATCH_SECONDS = 3.0
"""A batch is handed on when its first change is this old, even if writes go on."""
IGNORED_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", "~")
"""Files still being written by a downloader, an editor or a scraper."""
WATCH_LIMIT_WARNING = (
    "the system's limit on watched folders is reached (inotify max_user_watches): "
    "polling the folders for changes instead, which is slower"
)


@dataclass(frozen=True, slots=True)
class FileChanges:
    """One batch: files to read again (new or changed) and paths that are gone (a gone
    folder stands for every file under it)."""

    changed: frozenset[str] = field(default_factory=frozenset)
    deleted: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.changed or self.deleted)


def ignored_name(name: str) -> bool:
    """Whether a file or folder of this name is never read: hidden, or still being written."""
    return name.startswith(".") or name.endswith(IGNORED_SUFFIXES)


class _Roots:
    """The given paths, and how a path the OS reports is named in the corpus."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.given = [os.fspath(path) for path in paths]
        self.absolute = [os.path.abspath(path) for path in self.given]
        self._cache = os.path.abspath(cache_dir())

    def name(self, reported: str) -> str | None:
        """The walk's path of the file at `reported` (absolute), or None when it is not
        one the walk would read (outside the paths, hidden, temporary, the cache)."""
        if reported == self._cache or reported.startswith(self._cache + os.sep):
            return None
        for given, absolute in zip(self.given, self.absolute, strict=True):
            if reported == absolute:
                return given
            if reported.startswith(absolute.rstrip(os.sep) + os.sep):
                below = reported[len(absolute.rstrip(os.sep)) + 1 :]
                if any(ignored_name(part) for part in below.split(os.sep)):
                    return None
                return os.path.join(given, below)
        return None

    def watched(self) -> list[str]:
        """The folders to watch: each given folder, and the folder of each given file."""
        places: list[str] = []
        for absolute in self.absolute:
            place = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
            if os.path.isdir(place) and place not in places:
                places.append(place)
        return places


def _identity(path: str) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


class _Batch:
    """Changes gathered until the folders are quiet."""

    def __init__(self) -> None:
        self.changed: set[str] = set()
        self.deleted: set[str] = set()
        self.started: float | None = None

    def add_changed(self, name: str) -> None:
        self.started = self.started or time.monotonic()
        self.deleted.discard(name)
        self.changed.add(name)

    def add_deleted(self, name: str) -> None:
        self.started = self.started or time.monotonic()
        self.changed.discard(name)
        self.deleted.add(name)

    def __len__(self) -> int:
        return len(self.changed) + len(self.deleted)

    def full(self) -> bool:
        return len(self) >= MAX_BATCH_FILES or (
            self.started is not None and time.monotonic() - self.started >= MAX_BATCH_SECONDS
        )

    def take(self) -> FileChanges:
        changes = FileChanges(frozenset(self.changed), frozenset(self.deleted))
        self.changed, self.deleted, self.started = set(), set(), None
        return changes


class StopSignal(Protocol):
    """What says the watch is to end: a `threading.Event`, or anything with its two methods."""

    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def watch_batches(
    paths: Sequence[Path],
    stop: StopSignal,
    warn: Warn,
    *,
    force_polling: bool | None = None,
    quiet_ms: int = QUIET_MS,
    ready: Callable[[], None] | None = None,
) -> Iterator[FileChanges]:
    """Batches of changes under `paths` until `stop` is set (see the module's docstring).
    `ready` is called once the OS watch is in place: changes made after it are seen."""
    from watchfiles import Change, watch

    roots = _Roots(paths)
    batch = _Batch()
    polling = force_polling
    unreadable_ignored = False
    lost: set[str] = set()  # given folders seen gone: read whole once they are back and watched
    while not stop.is_set():
        places = roots.watched()
        if not places:  # every given folder is gone: wait for one to come back
            stop.wait(quiet_ms / 1000)
            continue
        identities = {place: _identity(place) for place in places}
        gone = False  # a watched folder was reported deleted: the OS watch on it is dead
        since = time.time_ns()
        missing = [absolute for absolute in roots.absolute if not os.path.exists(absolute)]
        lost.update(missing)
        watched_since = False
        try:
            changes = watch(
                *places,
                watch_filter=lambda _change, path: not ignored_name(os.path.basename(path)),
                debounce=max(quiet_ms, STEP_MS),
                step=STEP_MS,
                stop_event=stop,
                rust_timeout=quiet_ms,
                yield_on_timeout=True,
                raise_interrupt=False,
                force_polling=polling,
                poll_delay_ms=POLL_DELAY_MS,
                # Not ignored at first: watchfiles then ignores every error on a folder
                # below, the OS's watch limit too, and those folders would go unwatched.
                ignore_permission_denied=unreadable_ignored,
            )
            for found in changes:
                if ready is not None:
                    ready()
                    ready = None
                if not watched_since:  # the watch is in place: what came back meanwhile is read
                    watched_since = True
                    for absolute, given in zip(roots.absolute, roots.given, strict=True):
                        if absolute in lost and os.path.isdir(absolute):
                            lost.discard(absolute)
                            _add_folder(absolute, given, batch)
                for change, reported in found:
                    if change == Change.deleted and reported in identities:
                        gone = True
                        lost.add(reported)
                    name = roots.name(reported)
                    if name is None:
                        continue
                    if change == Change.deleted:
                        batch.add_deleted(name)
                    elif os.path.isdir(reported):
                        _add_folder(reported, name, batch)  # moved in whole: no event per file
                    else:
                        batch.add_changed(name)
                if batch and (not found or batch.full()):
                    yield batch.take()
                if gone or (not found and _moved(identities, missing)):
                    # A folder went or came back: watch the folders as they are now. A folder
                    # made again at once may have the old one's inode, so its identity does
                    # not say it is another: the deletion reported for it does.
                    break
        except OSError as error:
            if not unreadable_ignored and _is_permission(error):
                unreadable_ignored = True  # a folder we may not read: the load reports it
                continue
            if polling or not _is_watch_limit(error):
                warn(f"cannot watch the folders for changes: {error.strerror or error}")
                return
            warn(WATCH_LIMIT_WARNING)
            polling = True
            # What changed while the OS watch was failing is looked for once, by time.
            for absolute, given in zip(roots.absolute, roots.given, strict=True):
                if os.path.isdir(absolute):
                    _add_folder(absolute, given, batch, since)
            continue
        if stop.is_set():
            break
        for absolute, given in zip(roots.absolute, roots.given, strict=True):
            if os.path.isdir(absolute) and (absolute in missing or _identity(absolute) != identities.get(absolute)):
                if identities.get(absolute) is not None:  # another folder in its place: the old one's files are gone
                    batch.add_deleted(given)
                _add_folder(absolute, given, batch)  # created again: all its files are new
            elif identities.get(absolute) is not None and not os.path.exists(absolute):
                # A watched folder seen gone by its identity: the OS's events for it may not
                # have been read (they end with its watch), so its going is said here, and it
                # is read whole once it is back.
                batch.add_deleted(given)
                lost.add(absolute)
        if batch:
            yield batch.take()
    if batch:
        yield batch.take()


def _moved(identities: dict[str, tuple[int, int] | None], missing: list[str]) -> bool:
    """Whether a watched folder is gone or another in its place, or a missing one is back."""
    return any(_identity(place) != identity for place, identity in identities.items()) or any(
        os.path.exists(path) for path in missing
    )


def _is_watch_limit(error: OSError) -> bool:
    return error.errno == errno.ENOSPC or "watch limit" in str(error).lower()


def _is_permission(error: OSError) -> bool:
    return isinstance(error, PermissionError) or error.errno == errno.EACCES or "permission denied" in str(error).lower()


def _add_folder(folder: str, name: str, batch: _Batch, since_ns: int | None = None) -> None:
    """Every file the walk would read under `folder` (named `name` in the corpus) as changed;
    with `since_ns`, only those modified since then."""
    from core.walk import signed_files

    for _, path, signature in signed_files([Path(folder)], _ignore):
        if since_ns is not None and signature.mtime_ns < since_ns:
            continue
        below = os.path.relpath(path, folder)
        if not any(ignored_name(part) for part in below.split(os.sep)):
            batch.add_changed(os.path.join(name, below))


def _ignore(_skipped: object) -> None:
    """Files the walk cannot use are reported by the load that reads the batch."""

