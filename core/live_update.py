"""A batch of changed files read into the open corpus: which rows come, change or leave.

`LiveCorpus` keeps every sighting of the open corpus (its order, article id and file: from
the snapshot's sightings, `SnapshotStore.sighting_index`), so a batch is de-duplicated as a
whole load would be: an article found on a new page that an older page holds stays one
record (its `copies` grow), and an article leaves only when no file holds it any more.
`read(changes, ids)` parses the batch's files (only those, `core.ingest.parse_batch`) and
answers a `Delta` for the articles `ids` now shown; `core.view.CorpusView.apply_delta`
applies it.

A changed file's sightings keep its place in the found order; a new file's come after every
other. Without a readable snapshot (a read-only cache), each article counts as found once,
in its own file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core.atomic import Warn
from core.corpus import ARTICLE_SCHEMA, SIGHTING_ORDER
from core.errors import Skipped
from core.paths import display_path
from core.watch import FileChanges

_ORDER = SIGHTING_ORDER
_INDEX_SCHEMA = {_ORDER: pl.Float64(), "id": pl.String(), "file": pl.String()}
REPLACED_COLUMNS = [name for name in ARTICLE_SCHEMA if name not in ("id", "body", "copies", "words")]
"""What a new first sighting of an article replaces in its row (its text is its id's)."""
REPLACED = "_replaced"


@dataclass(frozen=True)
class Delta:
    """What a batch does to the corpus's rows."""

    added: pl.DataFrame
    """New articles (ARTICLE_SCHEMA, with their bodies), in the order found."""
    updated: pl.DataFrame
    """Rows of articles already shown that a changed file held or holds: id, copies, path
    and, where a changed file now holds their first sighting (REPLACED true), REPLACED_COLUMNS."""
    removed: frozenset[str]
    """Ids of the articles no file holds any more."""
    files: int = 0
    """Files read."""
    found: int = 0
    """Articles found in them (sightings, repeats included)."""
    gone: int = 0
    """Files deleted."""
    skipped: list[Skipped] = field(default_factory=list)
    """Files read that gave no articles, and why."""
    names: frozenset[str] = frozenset()
    """The files read or gone (as the corpus names them)."""

    @property
    def changes_rows(self) -> bool:
        return bool(self.added.height or self.updated.height or self.removed)


class LiveCorpus:
    """The sightings of the open corpus, kept up to date batch by batch (one worker uses it)."""

    def __init__(self, sightings: pl.DataFrame, paths: Sequence[Path] = (), follow_links: bool = False) -> None:
        self._sightings = sightings.select(list(_INDEX_SCHEMA)).cast(_INDEX_SCHEMA)  # type: ignore[arg-type]
        self._roots = None if follow_links else [os.path.realpath(path) for path in paths]
        """Where a file read may lead (None: anywhere but the system's files, as `--follow-links`)."""

    @classmethod
    def of(cls, paths: Sequence[Path], articles: pl.DataFrame, warn: Warn, follow_links: bool = False) -> LiveCorpus:
        """The sightings of `articles`, the corpus loaded from `paths`: the snapshot's when
        it is of these very articles, else one per article. A file that is a link leading out
        of `paths` is not read, as in a load, unless `follow_links`."""
        from core.snapshot import SnapshotStore

        stored = SnapshotStore(paths, warn).sighting_index()
        ids = articles.get_column("id")
        if stored is not None and stored.height >= ids.len():
            first = stored.unique("id", keep="first", maintain_order=True).get_column("id")
            if first.len() == ids.len() and first.is_in(ids.implode()).all():
                return cls(stored, paths, follow_links)
        own = articles.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias(_ORDER), "id", pl.col("path").alias("file"))
        return cls(own, paths, follow_links)

    @property
    def sightings(self) -> int:
        return self._sightings.height

    def read(self, changes: FileChanges, shown: pl.Series) -> Delta:
        """Parse the batch's files and de-duplicate them against the other files; `shown`:
        the ids of the articles the corpus has now."""
        from core.ingest import parse_batch

        tasks: list[tuple[str, str, int, int]] = []
        vanished: set[str] = set()
        refused: list[Skipped] = []
        for path in sorted(changes.changed):
            try:
                status = os.stat(path)
            except OSError:
                vanished.add(display_path(path))  # changed, then gone before it was read
                continue
            if os.path.isdir(path):
                continue
            outside = self._outside(path)
            if outside is not None:
                refused.append(Skipped(display_path(path), outside))
                vanished.add(display_path(path))  # what it gave before (if anything) goes
                continue
            tasks.append((display_path(path), os.path.abspath(path), status.st_size, status.st_mtime_ns))
        index = self._sightings
        files = index.get_column("file")
        deleted = [display_path(path) for path in changes.deleted] + sorted(vanished)
        gone_mask = files.is_in(deleted)
        for folder in deleted:
            gone_mask = gone_mask | files.str.starts_with(folder.rstrip(os.sep) + os.sep)
        gone_files = set(files.filter(gone_mask).unique().to_list())
        parsed = parse_batch(tasks)
        frame = parsed.frame
        skipped = refused + [
            Skipped(task[0], reasons[0]) for task, (reasons, _) in zip(tasks, parsed.files, strict=True) if reasons
        ]
        read_files = {task[0] for task in tasks}
        touched = read_files | gone_files
        old = index.filter(pl.col("file").is_in(list(touched)))
        kept = index.filter(~pl.col("file").is_in(list(touched)))
        fresh = _ordered(frame.select("id", "file"), old, index)
        # Numbered again 0, 1, 2...: each file's rows stay whole numbers in a row, so the next
        # change of a file has the unit after its first number to itself.
        self._sightings = (
            pl.concat([kept, fresh], how="vertical")
            .sort(_ORDER, maintain_order=True)
            .with_columns(pl.int_range(pl.len()).cast(pl.Float64).alias(_ORDER))
        )
        affected = pl.concat([old.get_column("id"), fresh.get_column("id")]).unique()
        summary = (
            self._sightings.filter(pl.col("id").is_in(affected.implode()))
            .group_by("id", maintain_order=True)
            .agg(pl.len().cast(pl.UInt32).alias("copies"), pl.col("file").first().alias("path"))
        )
        is_shown = pl.col("id").is_in(shown.implode())
        removed = frozenset(affected.filter(affected.is_in(shown.implode()) & ~affected.is_in(summary.get_column("id").implode())).to_list())
        first_rows = frame.join(summary.select("id", pl.col("path").alias("file")), on=["id", "file"], how="semi").unique(
            "id", keep="first", maintain_order=True
        )
        existing = summary.filter(is_shown)
        replaced = first_rows.filter(is_shown).select("id", *REPLACED_COLUMNS).drop("path")
        updated = existing.join(replaced.with_columns(pl.lit(True).alias(REPLACED)), on="id", how="left")
        added = (
            first_rows.filter(~is_shown)
            .drop("copies", strict=False)
            .join(summary.select("id", "copies"), on="id", how="left")
            .select(list(ARTICLE_SCHEMA))
            .cast(ARTICLE_SCHEMA)  # type: ignore[arg-type]
        )
        return Delta(added, updated, removed, len(tasks), frame.height, len(gone_files), skipped, frozenset(touched))


    def _outside(self, path: str) -> str | None:
        """Why the file at `path` is not read (a link out of the paths, or into the system's
        files), or None."""
        from core.walk import LINK_ABOVE, LINK_OUTSIDE

        real = os.path.realpath(path)
        if any(real == folder or real.startswith(folder + os.sep) for folder in ("/proc", "/sys", "/dev")):
            return LINK_ABOVE.format(where="the system's own files")
        if self._roots is not None and not any(
            real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in self._roots
        ):
            return LINK_OUTSIDE.format(kind="file")
        return None


def _ordered(found: pl.DataFrame, old: pl.DataFrame, index: pl.DataFrame) -> pl.DataFrame:
    """Sightings `found` (id, file) numbered in the found order: a file read before keeps
    its place (its rows between its first old number and the next), a new one goes last."""
    if found.is_empty():
        return pl.DataFrame(schema=_INDEX_SCHEMA)
    start = float(index.get_column(_ORDER).max() or 0) + 1 if index.height else 0.0
    places = dict(old.group_by("file").agg(pl.col(_ORDER).min()).iter_rows())
    numbered = found.with_columns(pl.int_range(pl.len()).over("file").alias("_at"), pl.len().over("file").alias("_of"))
    new_files = [file for file in numbered.get_column("file").unique(maintain_order=True).to_list() if file not in places]
    base = {**{file: start + position for position, file in enumerate(new_files)}, **places}
    bases = pl.Series("_base", [base[file] for file in numbered.get_column("file").to_list()], dtype=pl.Float64)
    # Within one file: rows spread over (base, base + 1), before the next file's first number
    # (numbers are whole between batches). A new file has its own unit after every number in use.
    return numbered.with_columns(bases).select(
        (pl.col("_base") + (pl.col("_at") + 1) / (pl.col("_of") + 1)).alias(_ORDER), "id", "file"
    ).cast(_INDEX_SCHEMA)  # type: ignore[arg-type]
