"""Where a corpus's snapshot lives: named after its root paths and the parser's own source.

No Polars here: the dashboard's launcher finds the stored first screen beside the snapshot
(`core.first_screen`) before it imports Polars; `core.snapshot` reads and writes the files.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from core import paths

# The modules whose code decides what a file parses into.
_PARSER_MODULES = (
    "scrape.py", "tables.py", "html.py", "corpus.py", "sanitize.py", "ingest.py", "language.py",
    "parquet_check.py", "isolated.py",
)


def _parser_fingerprint() -> str:
    digest = hashlib.blake2b(digest_size=8)
    core_dir = Path(__file__).resolve().parent
    for name in _PARSER_MODULES:
        digest.update((core_dir / name).read_bytes())
    return digest.hexdigest()


def snapshot_path(roots: Sequence[Path]) -> Path:
    """Where the articles file of the corpus made of `roots` lives."""
    return paths.cache_dir() / "snapshots" / f"{paths.corpus_key(roots)}-{_parser_fingerprint()}.parquet"
