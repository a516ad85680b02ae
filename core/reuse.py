"""What a load may take from the corpus snapshot instead of parsing: which stored files still
hold, and where each file's rows are among the stored sightings."""

from __future__ import annotations

import polars as pl

from core.read import OVER_CAP
from core.snapshot import FileSignature, StoredFile
from core.walk import SignedFile


def unchanged(files: list[SignedFile], stored: dict[str, StoredFile]) -> bool:
    """Whether the walk found exactly the stored files, each with its stored size and mtime
    (and none of them refused for the corpus decompression cap, which may have changed)."""
    return len(files) == len(stored) and all(
        (known := stored.get(file)) is not None and reusable(known, signature) for file, _, signature in files
    )


def reusable(known: StoredFile, signature: FileSignature) -> bool:
    """Whether what the snapshot says of a file holds: it is unchanged, and was not refused
    for the cap (a cap is a setting, not a property of the file: it is tried again)."""
    return known.signature == signature and not (known.skipped or "").startswith(OVER_CAP)


def row_ranges(sightings: pl.DataFrame) -> dict[str, tuple[int, int]]:
    """Each file's (first row, row count) in `sightings`, whose rows come file by file."""
    if sightings.is_empty():
        return {}
    runs = sightings.select(pl.col("file").rle()).unnest("file")
    ranges: dict[str, tuple[int, int]] = {}
    start = 0
    for length, file in runs.iter_rows():
        ranges[file] = (start, length)
        start += length
    return ranges
