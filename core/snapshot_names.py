"""Where a corpus's snapshot lives: named after its root paths and the parser's fingerprint.

No Polars here: the dashboard's launcher finds the stored first screen beside the snapshot
(`core.first_screen`) before it imports Polars; `core.snapshot` reads and writes the files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from core import paths
from core.parser_fingerprint import parser_fingerprint


def snapshots_folder() -> Path:
    """Where the snapshots of every corpus live."""
    return paths.cache_dir() / "snapshots"


def snapshot_path(roots: Sequence[Path]) -> Path:
    """Where the articles file of the corpus made of `roots` lives."""
    return snapshots_folder() / f"{paths.corpus_key(roots)}-{parser_fingerprint()}.parquet"


def has_snapshot_of_any_parser(roots: Sequence[Path]) -> bool:
    """Whether a snapshot of the corpus made of `roots` exists, whatever parser made it:
    found without the parser's fingerprint (the first thing a start would compute)."""
    folder = snapshots_folder()
    try:
        return any(folder.glob(f"{paths.corpus_key(roots)}-*.parquet"))
    except OSError:
        return True  # cannot tell: taken as warm, where nothing is begun ahead
