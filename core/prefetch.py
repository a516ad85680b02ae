"""SnapshotPrefetch: the corpus snapshot read in a thread while the program starts.

A warm open of a large corpus must read its snapshot (without the bodies) and import the
user interface before it can show a row, and each takes a noticeable time. The read
is Parquet decoding in Polars, which runs without the GIL, so started before the interface
is imported it overlaps with the import instead of following it. `load_corpus(prefetched=)`
takes the result when it is of the same paths and body limit, and replays any warning the
read gave (a damaged snapshot) through its own `warn`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from core.atomic import Warn
from core.snapshot import SnapshotStore, StoredCorpus


class SnapshotPrefetch:
    """Starts reading the snapshot of the corpus made of `paths` at once, in a daemon thread."""

    def __init__(self, paths: Sequence[Path], body_limit: int | None) -> None:
        self._paths = [Path(path) for path in paths]
        self._body_limit = body_limit
        self._warnings: list[str] = []
        self._stored: StoredCorpus | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="newsdesk-snapshot-prefetch", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._stored = SnapshotStore(self._paths, self._warnings.append).load(self._body_limit)
        except BaseException as error:  # handed to the caller of `result`, in its thread
            self._error = error

    def is_for(self, paths: Sequence[Path], body_limit: int | None) -> bool:
        """Whether this read is of the corpus made of `paths`, with `body_limit`."""
        return [Path(path) for path in paths] == self._paths and body_limit == self._body_limit

    def result(self, warn: Warn) -> StoredCorpus | None:
        """The snapshot read (None: none, or unreadable), once the read is done; its warnings
        go to `warn`."""
        self._thread.join()
        for message in self._warnings:
            warn(message)
        if self._error is not None:
            raise self._error
        return self._stored
