"""Saved filters: filter texts the user named, one set for every corpus.

A saved filter names a way of looking at news (`kw:"nato" -lang:ru`), which is as useful in
the next corpus as in this one, so they are kept once for the user: one JSON file,
`saved-filters.json` in the state directory (`NEWSDESK_STATE_DIR` overrides), not in a
corpus's state file.

Saves merge as `core.state` does for read marks: several dashboards may run at once, so a
save takes the file as it is now and applies the names this store added, changed or removed
since it last loaded or saved (its base), under the same kind of lock. A file that cannot be
understood is moved aside (`*.corrupt-<time>`) with one warning; a folder that cannot be
written means one warning and the names kept for this session only.
"""

from __future__ import annotations

import json
from pathlib import Path

from core import paths
from core.atomic import Warn, remove_stale_temps, set_aside, write_atomic
from core.sanitize import for_display
from core.state import locked

SAVED_FILTERS_VERSION = 1
NAME_MAX = 80
"""Characters kept of a name."""


def saved_filters_path() -> Path:
    """Where the saved filters live."""
    return paths.state_dir() / "saved-filters.json"


def clean_name(name: str) -> str:
    """`name` as it is stored: one line, no control characters, spaces collapsed, capped."""
    return " ".join(for_display(name, one_line=True).split())[:NAME_MAX]


class SavedFilterStore:
    """Loads and saves the saved filters (name -> filter text)."""

    def __init__(self, warn: Warn, path: Path | None = None) -> None:
        self.path = path or saved_filters_path()
        self.lock_path = self.path.with_name(f"{self.path.name}.lock")
        self._warn = warn
        self._writable = True
        self._base: dict[str, str] = {}
        self._stamp: tuple[int, int] | None = None

    def load(self) -> dict[str, str]:
        """The stored filters, by name ({} when there are none or the file is unusable)."""
        filters = self._read()
        self._base = dict(filters)
        return filters

    def changed_on_disk(self) -> bool:
        """The file changed (another dashboard saved) since this store last read or wrote it."""
        return self._file_stamp() != self._stamp

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            status = self.path.stat()
        except OSError:
            return None
        return status.st_mtime_ns, status.st_size

    def _read(self) -> dict[str, str]:
        self._stamp = self._file_stamp()
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):  # none saved yet (a save says why it cannot write)
            return {}
        except (OSError, UnicodeDecodeError) as error:
            self._set_aside(f"cannot be read ({error})")
            return {}
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            self._set_aside("not JSON")
            return {}
        filters = data.get("filters") if isinstance(data, dict) and data.get("version") == SAVED_FILTERS_VERSION else None
        if not isinstance(filters, dict) or not all(isinstance(key, str) and isinstance(value, str) for key, value in filters.items()):
            self._set_aside("not a saved-filters file of this version")
            return {}
        return {clean_name(name): text for name, text in filters.items() if clean_name(name)}

    def save(self, filters: dict[str, str]) -> dict[str, str] | None:
        """Apply the changes of `filters` since the last load or save to the stored filters
        and write them; the filters as stored now (other dashboards' too), None (one warning
        per store) when they cannot be written."""
        if not self._writable:
            return None
        mine = dict(filters)
        try:
            with locked(self.lock_path):
                stored = self._read()
                for name in self._base.keys() - mine.keys():
                    stored.pop(name, None)
                stored.update({name: text for name, text in mine.items() if self._base.get(name) != text})
                payload = json.dumps({"version": SAVED_FILTERS_VERSION, "filters": dict(sorted(stored.items()))}, ensure_ascii=False, indent=1)
                write_atomic(self.path, lambda temp: temp.write_text(payload, encoding="utf-8"))
                self._stamp = self._file_stamp()
        except OSError as error:
            self._writable = False
            self._warn(f"saved filters not saved: cannot write {self.path.parent}: {error.strerror or error}")
            return None
        self._base = dict(stored)
        remove_stale_temps(self.path.parent, self.path.name)
        return stored

    def _set_aside(self, reason: str) -> None:
        set_aside(self.path, "saved filters", reason, self._warn)
