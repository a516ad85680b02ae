"""User state per corpus: read marks, bookmarks, the last filter and sort.

One JSON file per corpus in the platform state directory (`NEWSDESK_STATE_DIR`
overrides), named after the corpus's root paths. Writes are atomic, so a crash leaves the
old state or the new one. A state file that cannot be understood is moved aside (renamed
`*.corrupt-<time>`, so nothing is lost) with one warning, and the corpus opens with fresh
state; a state directory that cannot be written means one warning and no persistence.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core import paths
from core.atomic import Warn, write_atomic

STATE_VERSION = 1


@dataclass
class CorpusState:
    """What the user did with one corpus."""

    read: set[str] = field(default_factory=set)
    bookmarks: set[str] = field(default_factory=set)
    last_filter: str = ""
    sort: str = ""

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": STATE_VERSION,
                "read": sorted(self.read),
                "bookmarks": sorted(self.bookmarks),
                "last_filter": self.last_filter,
                "sort": self.sort,
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
        if not (_strings(read) and _strings(bookmarks) and isinstance(last_filter, str) and isinstance(sort, str)):
            raise ValueError("fields of the wrong type")
        return cls(set(read), set(bookmarks), last_filter, sort)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class StateStore:
    """Loads and saves the CorpusState of the corpus made of `roots`."""

    def __init__(self, roots: Sequence[Path], warn: Warn) -> None:
        self.path = paths.state_dir() / "corpora" / f"{paths.corpus_key(roots)}.json"
        self._warn = warn
        self._writable = True

    def load(self) -> CorpusState:
        """The stored state; fresh state when there is none or it is unreadable."""
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

    def save(self, state: CorpusState) -> bool:
        """Write `state` atomically; False (one warning per store) when it cannot be written."""
        if not self._writable:
            return False
        payload = state.to_json()
        try:
            write_atomic(self.path, lambda temp: temp.write_text(payload, encoding="utf-8"))
        except OSError as error:
            self._writable = False
            self._warn(f"reading state not saved: cannot write {self.path.parent}: {error.strerror or error}")
            return False
        return True

    def _set_aside(self, reason: str) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.rename(aside)
        except OSError as error:
            self._warn(f"state file {self.path} is unusable ({reason}) and could not be moved aside: {error.strerror}")
            return
        self._warn(f"state file {self.path} was unusable ({reason}); moved aside to {aside.name}, starting fresh")
