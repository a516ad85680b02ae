"""The corpus snapshot: what every input file parsed into, stored so a re-open skips parsing.

A snapshot is one Parquet file in the cache, named after the corpus's root paths and the
parser's own source (so a newer parser never reuses an older parse). It holds the
*sightings*: every cleaned article row as found in each file, with the file's size and
mtime. On the next open a file whose size and mtime are unchanged takes its rows from the
snapshot; only new or changed files are parsed again. A missing, corrupt or foreign
snapshot is ignored (with one warning when it exists but cannot be read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core import paths
from core.atomic import write_atomic
from core.corpus import SIGHTING_SCHEMA

Warn = Callable[[str], None]

FILE_COLUMNS: dict[str, pl.DataType] = {
    "file": pl.String(),
    "file_size": pl.Int64(),
    "file_mtime_ns": pl.Int64(),
}
SNAPSHOT_SCHEMA: dict[str, pl.DataType] = {**SIGHTING_SCHEMA, **FILE_COLUMNS}
# The modules whose code decides what a file parses into.
_PARSER_MODULES = ("scrape.py", "tables.py", "html.py", "corpus.py", "sanitize.py", "ingest.py", "language.py")


@dataclass(frozen=True, slots=True)
class FileSignature:
    """What must be unchanged for a file's stored rows to be reused."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileSignature:
        status = path.stat()
        return cls(status.st_size, status.st_mtime_ns)


def _parser_fingerprint() -> str:
    digest = hashlib.blake2b(digest_size=8)
    core_dir = Path(__file__).resolve().parent
    for name in _PARSER_MODULES:
        digest.update((core_dir / name).read_bytes())
    return digest.hexdigest()


def snapshot_path(roots: Sequence[Path]) -> Path:
    """Where the snapshot of the corpus made of `roots` lives."""
    return paths.cache_dir() / "snapshots" / f"{paths.corpus_key(roots)}-{_parser_fingerprint()}.parquet"


@dataclass(frozen=True)
class Snapshot:
    """Stored rows (SNAPSHOT_SCHEMA) and the signature each stored file had."""

    rows: pl.DataFrame
    signatures: dict[str, FileSignature]

    @classmethod
    def empty(cls) -> Snapshot:
        return cls(pl.DataFrame(schema=SNAPSHOT_SCHEMA), {})


def load_snapshot(path: Path, warn: Warn) -> Snapshot:
    """The stored snapshot, or an empty one when there is none or it cannot be read."""
    try:
        present = path.exists()
    except OSError:  # the cache directory cannot be searched (EACCES): saving will say so, once
        return Snapshot.empty()
    if not present:
        return Snapshot.empty()
    try:
        frame = pl.read_parquet(path)
        if frame.schema != pl.Schema(SNAPSHOT_SCHEMA):
            raise ValueError("unexpected columns")
    except (OSError, ValueError, pl.exceptions.PolarsError) as error:
        warn(f"ignored unreadable corpus snapshot {path} ({type(error).__name__}); parsing again")
        return Snapshot.empty()
    files = frame.select(list(FILE_COLUMNS)).unique(maintain_order=True)
    signatures = {
        file: FileSignature(size, mtime)
        for file, size, mtime in files.iter_rows()
    }
    return Snapshot(frame, signatures)


def save_snapshot(path: Path, rows: pl.DataFrame, warn: Warn) -> bool:
    """Store `rows` (SNAPSHOT_SCHEMA); False (and one warning) when it cannot."""
    try:
        write_atomic(path, lambda temp: rows.write_parquet(temp, statistics=False))
    except (OSError, pl.exceptions.PolarsError) as error:
        warn(f"corpus snapshot not saved: cannot write {path.parent}: {getattr(error, 'strerror', None) or error}")
        return False
    return True
