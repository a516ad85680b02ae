"""User state per corpus: read marks, bookmarks, the last filter and sort, the filter history.

One JSON file per corpus in the platform state directory (`NEWSDESK_STATE_DIR`
overrides), named after the corpus's root paths. Writes are atomic, so a crash leaves the
old state or the new one. A state file that cannot be understood is moved aside (renamed
`*.corrupt-<time>`, so nothing is lost) with one warning, and the corpus opens with fresh
state; a state directory that cannot be written means one warning and no persistence.

Several dashboards may read one corpus at once (two terminals, browser tabs under
`serve`: each its own process). A save never overwrites what the others saved: it merges.
Each store remembers the marks it last loaded or saved (its base); a save takes the file
as it is now, adds the marks this dashboard added since its base and removes the ones it
removed, under an exclusive lock (`fcntl.flock` on `<state file>.lock`) held from the read
to the rename. So a bookmark made in one dashboard survives another's later save, and so
does an un-bookmark (the other never changed that mark, so it does not put it back); when
both changed the same mark, the later save wins. The last filter and sort are the saving
dashboard's: last writer wins. The filter history (most recent first, no repeats, at most
HISTORY_MAX entries) keeps both: the filters this dashboard applied since its base go in
front of the stored history, which holds the other's.

A state file from before the history existed loads with an empty history.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from core import paths
from core.atomic import Warn, remove_stale_temps, set_aside, write_atomic

try:
    import fcntl
except ImportError:  # Windows: saves still merge, without the lock between processes
    fcntl = None  # type: ignore[assignment]

STATE_VERSION = 1
HISTORY_MAX = 100
"""Filters kept in a corpus's history; the oldest go first."""
LOCK_WAIT_SECONDS = 5.0
"""How long a save waits for another process's save: a peer stopped (Ctrl-Z) while it held
the lock must not hang this one, above all at exit."""


@dataclass
class CorpusState:
    """What the user did with one corpus."""

    read: set[str] = field(default_factory=set)
    bookmarks: set[str] = field(default_factory=set)
    last_filter: str = ""
    sort: str = ""
    history: list[str] = field(default_factory=list)
    """Filters applied, most recent first (`push_history`)."""

    def push_history(self, text: str) -> bool:
        """Put filter `text` first in the history (moved there if it was already in it);
        False when that changes nothing (blank, or first already)."""
        text = text.strip()
        if not text or (self.history and self.history[0] == text):
            return False
        self.history[:] = [text, *(entry for entry in self.history if entry != text)][:HISTORY_MAX]
        return True

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": STATE_VERSION,
                "read": sorted(self.read),
                "bookmarks": sorted(self.bookmarks),
                "last_filter": self.last_filter,
                "sort": self.sort,
                "history": self.history,
            },
            ensure_ascii=False,
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> CorpusState:
        """Parse a state file's text; raises ValueError when it is not a state file."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != STATE_VERSION:
            raise ValueError("not a newsdesk state file of this version")
        read, bookmarks = data.get("read", []), data.get("bookmarks", [])
        last_filter, sort = data.get("last_filter", ""), data.get("sort", "")
        history = data.get("history", [])  # absent from files written before it existed
        if not (_strings(read) and _strings(bookmarks) and _strings(history) and isinstance(last_filter, str) and isinstance(sort, str)):
            raise ValueError("fields of the wrong type")
        return cls(set(read), set(bookmarks), last_filter, sort, _deduplicated(history)[:HISTORY_MAX])

    def copy(self) -> CorpusState:
        """A copy whose sets can change without changing this one's."""
        return replace(self, read=set(self.read), bookmarks=set(self.bookmarks), history=list(self.history))

    def merged_onto(self, stored: CorpusState, base: CorpusState) -> CorpusState:
        """`stored` with the marks this state added and removed since `base`, and this
        state's filter and sort, and the filters this state applied since `base` in front of
        `stored`'s history."""
        return CorpusState(
            read=_apply_changes(stored.read, base.read, self.read),
            bookmarks=_apply_changes(stored.bookmarks, base.bookmarks, self.bookmarks),
            last_filter=self.last_filter,
            sort=self.sort,
            history=_deduplicated([*_pushed_since(base.history, self.history), *stored.history])[:HISTORY_MAX],
        )


def _pushed_since(base: list[str], mine: list[str]) -> list[str]:
    """The filters pushed onto history `base` to make `mine`, most recent first.

    A push puts a filter first and drops its older place, so `mine` is the pushed filters
    followed by the rest of `base` in order (cut at HISTORY_MAX): the shortest head of `mine`
    whose tail is that rest."""
    for count in range(len(mine) + 1):
        head = set(mine[:count])
        rest = [entry for entry in base if entry not in head]
        if mine[count:] == rest[: len(mine) - count]:
            return mine[:count]
    return mine


def _deduplicated(entries: list[str]) -> list[str]:
    return list(dict.fromkeys(entries))


def _apply_changes(stored: set[str], base: set[str], mine: set[str]) -> set[str]:
    return (stored | (mine - base)) - (base - mine)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class StateStore:
    """Loads and saves the CorpusState of the corpus made of `roots`."""

    def __init__(self, roots: Sequence[Path], warn: Warn) -> None:
        self.path = paths.state_dir() / "corpora" / f"{paths.corpus_key(roots)}.json"
        self.lock_path = self.path.with_name(f"{self.path.name}.lock")
        self._warn = warn
        self._writable = True
        self._base = CorpusState()
        """The marks as this store last loaded or saved them: a save applies the changes since."""

    def load(self) -> CorpusState:
        """The stored state; fresh state when there is none or it is unreadable."""
        state = self._read()
        self._base = state.copy()
        return state

    def _read(self) -> CorpusState:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return CorpusState()
        except (OSError, UnicodeDecodeError) as error:
            self._set_aside(f"cannot be read ({error})")
            return CorpusState()
        try:
            return CorpusState.from_json(text)
        except ValueError as error:  # json.JSONDecodeError is a ValueError
            self._set_aside(str(error).splitlines()[0])
            return CorpusState()
        except RecursionError:  # nested past the JSON parser's depth
            self._set_aside("nested too deeply")
            return CorpusState()

    def save(self, state: CorpusState) -> bool:
        """Merge `state`'s changes since the last load or save into the stored state (see the
        module's docstring) and write it atomically; False (one warning per store) when it
        cannot be written."""
        if not self._writable:
            return False
        mine = state.copy()  # the caller may go on changing `state`
        try:
            with self._locked():
                merged = mine.merged_onto(self._read(), self._base)
                payload = merged.to_json()
                write_atomic(self.path, lambda temp: temp.write_text(payload, encoding="utf-8"))
        except OSError as error:
            self._writable = False
            self._warn(f"reading state not saved: cannot write {self.path.parent}: {error.strerror or error}")
            return False
        self._base = mine
        remove_stale_temps(self.path.parent, self.path.name)  # left by a save that was killed
        return True

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        """Hold the corpus's state lock (other processes' saves wait); OSError when it cannot be made."""
        return locked(self.lock_path)

    def _set_aside(self, reason: str) -> None:
        set_aside(self.path, "state file", reason, self._warn)


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold the exclusive lock of `lock_path` (made if missing, with its folder); other
    processes' saves wait for it. OSError when it cannot be made or is held too long."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        if fcntl is not None:
            _wait_for_lock(descriptor, lock_path)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _wait_for_lock(descriptor: int, path: Path) -> None:
    """Take the exclusive lock on `descriptor`, waiting at most LOCK_WAIT_SECONDS; OSError
    naming `path` when another process holds it longer."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise OSError(f"another newsdesk has held {path.name} for over {LOCK_WAIT_SECONDS:g} s") from None
            time.sleep(0.05)
