"""The corpus snapshot: what every input file parsed into, stored so a re-open skips parsing.

A snapshot lives in the cache, named after the corpus's root paths and the parser's
fingerprint (`core.parser_fingerprint`: its modules' source and its libraries' versions, so
a newer parser never reuses an older parse), as two Parquet files:

- `<name>.parquet`: the de-duplicated articles (ARTICLE_SCHEMA), with a table of every
  input file (size, mtime, and why it was skipped, if it was) in the file's metadata. A
  re-open whose files are all unchanged reads only this. The table is a metadata entry of
  its own, decoded when first asked for (`StoredCorpus.files`): decoding it is pure Python,
  which a warm open would spend under the GIL beside the interface's imports before it could
  show a row; it is needed only once the folder is walked, after that.
- `<name>.sightings.parquet`: every article as found in each file (SNAPSHOT_SCHEMA), so
  that when some files change only those are parsed again. Rows are stored first
  sightings first, then repeats (the order a load keeps them in memory, so writing them
  costs no copy), with a `row` column that restores the order they were found in. A first
  sighting is the article row itself, so only its id and file are stored (`in_articles`)
  and its text is read back from the articles file: the text is written once, not twice,
  so the sightings file is small and quick to write at the end of a cold open.

The two carry one generation id; the articles file is written last and is what makes a
snapshot current, so a crash between the writes leaves the old snapshot or ignored
sightings, never a mix. A missing, corrupt or foreign snapshot is ignored (one warning
when it exists but cannot be read) and the corpus is parsed again.

A write killed midway leaves a `.tmp-<pid>-*` file beside the snapshot; every load removes
those whose writer is no longer running (or that no one touched for an hour:
`core.atomic.remove_stale_temps`), so a concurrent writer's temp file is left alone.

The articles file can be written on a thread of its own (`SnapshotStore.save_in_background`),
so that a cold load hands over its corpus without waiting for the write (compressing all
the text). `SnapshotStore`'s reads and writes of that
snapshot in this process wait for it first (`wait_for_save`; a `core.bodies` reader opened
on it must be opened after it), and so does the interpreter's exit.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import polars as pl

from core.atomic import Warn, remove_stale_temps, write_atomic
from core.bodies import ROWS_PER_GROUP
from core.corpus import ARTICLE_SCHEMA, SIGHTING_ORDER, SIGHTING_SCHEMA
from core.snapshot_names import (
    has_snapshot_of_any_parser,
    snapshot_path,
    snapshots_folder,
)

FILE_COLUMNS: dict[str, pl.DataType] = {
    "file": pl.String(),
    "file_size": pl.Int64(),
    "file_mtime_ns": pl.Int64(),
}
SNAPSHOT_SCHEMA: dict[str, pl.DataType] = {**SIGHTING_SCHEMA, **FILE_COLUMNS}
IN_ARTICLES = "in_articles"
"""True for a stored sighting that is an article's first sighting: its columns other than
the id and FILE_COLUMNS are null in the sightings file and read from the articles file."""
STORED_SIGHTING_SCHEMA: dict[str, pl.DataType] = {
    SIGHTING_ORDER: pl.UInt32(),
    **SNAPSHOT_SCHEMA,
    IN_ARTICLES: pl.Boolean(),
}
"""The sightings file's columns: the order the rows were found in, SNAPSHOT_SCHEMA, and
whether the row's text is in the articles file."""
_BY_REFERENCE = [name for name in SIGHTING_SCHEMA if name != "id"]
"""The columns a first sighting takes from its article."""
_META_KEY = "newsdesk-snapshot"
_FILES_KEY = "newsdesk-snapshot-files"
# lz4, not zstd (Polars' default): a warm open is mostly this read, and lz4 decodes several
# times faster (docs/decisions.md, "Snapshots").
# Small row groups let core.bodies read one article's body without decoding the others, and
# keep writing lean: with the default (very large groups) the writer holds about twice the
# frame while it writes.
_PARQUET_OPTIONS: dict[str, object] = {"compression": "lz4", "statistics": False, "row_group_size": ROWS_PER_GROUP}
_FORMAT = 5


@dataclass(frozen=True, slots=True)
class FileSignature:
    """What must be unchanged for a file's stored rows to be reused."""

    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class StoredFile:
    """An input file as the snapshot saw it; `skipped` is why it gave no articles, if so."""

    signature: FileSignature
    skipped: str | None = None


@dataclass(frozen=True)
class StoredCorpus:
    """A current snapshot's articles and file table."""

    articles: pl.DataFrame
    files_json: str
    """The file table as stored: `files` decodes it."""
    file_count: int
    generation: str

    @cached_property
    def files(self) -> dict[str, StoredFile]:
        """Every input file the snapshot saw, by name; ValueError when the stored table is damaged."""
        try:
            return {
                name: StoredFile(FileSignature(int(size), int(mtime)), None if skipped is None else str(skipped))
                for name, (size, mtime, skipped) in json.loads(self.files_json).items()
            }
        except (AttributeError, TypeError, ValueError) as error:
            raise ValueError(f"damaged file table ({type(error).__name__})") from error


def _corpus_files(articles_path: Path) -> list[Path]:
    """The snapshot files of the corpus of `articles_path`, whatever parser version made them."""
    corpus_key = articles_path.name.split("-", 1)[0]
    return list(articles_path.parent.glob(f"{corpus_key}-*.parquet"))


def _sightings_path(articles_path: Path) -> Path:
    return articles_path.with_name(articles_path.name.replace(".parquet", ".sightings.parquet"))


SAVE_WAITS_SECONDS = 10.0
"""How long a background save waits for its signal to start at the latest."""
_saves: dict[Path, threading.Thread] = {}
"""This process's background saves, by the articles file they write."""
_saves_lock = threading.Lock()


def wait_for_save(path: Path) -> None:
    """Return once this process's background save of the snapshot whose articles file is
    `path` (`snapshot_path`) has ended; at once when there is none."""
    with _saves_lock:
        threads = [thread for saved, thread in _saves.items() if saved == path]
    _join(threads)


def wait_for_saves() -> None:
    """Return once every background save this process has started has ended."""
    with _saves_lock:
        threads = list(_saves.values())
    _join(threads)


def _join(threads: list[threading.Thread]) -> None:
    for thread in threads:
        if thread is not threading.current_thread():  # a save that reads the snapshot: no self-join
            thread.join()


class SnapshotStore:
    """Reads and writes the snapshot of the corpus made of `roots`."""

    def __init__(self, roots: Sequence[Path], warn: Warn) -> None:
        self._roots = roots
        self._warn = warn

    @cached_property
    def path(self) -> Path:
        """The articles file (named after the parser's fingerprint: computed on first use)."""
        return snapshot_path(self._roots)

    @cached_property
    def sightings_path(self) -> Path:
        return _sightings_path(self.path)

    def load(self, body_limit: int | None = None) -> StoredCorpus | None:
        """The current snapshot, or None when there is none or it cannot be read.

        With `body_limit`, a snapshot holding more body text than that many bytes is read
        without its `body` column (core.bodies reads bodies from the file when needed)."""
        with _saves_lock:
            saving = bool(_saves)
        if not saving and not has_snapshot_of_any_parser(self._roots):
            # None stored: known without the parser's fingerprint, which the first start
            # after an install computes from the parser's sources, before the first rows.
            remove_stale_temps(snapshots_folder())
            return None
        wait_for_save(self.path)
        remove_stale_temps(self.path.parent)  # left by writers that were killed
        try:
            if not self.path.exists():
                return None
        except OSError:  # the cache directory cannot be searched: saving will say so, once
            return None
        try:
            metadata = pl.read_parquet_metadata(self.path)
            meta = json.loads(metadata[_META_KEY])
            if meta.get("format") != _FORMAT:
                raise ValueError("another snapshot format")
            files_json = metadata[_FILES_KEY]
            schema = ARTICLE_SCHEMA
            if body_limit is not None and int(meta.get("body_bytes", 0)) > body_limit:
                schema = {name: dtype for name, dtype in ARTICLE_SCHEMA.items() if name != "body"}
            articles = pl.read_parquet(self.path, columns=list(schema))
            if articles.schema != pl.Schema(schema):
                raise ValueError("unexpected columns")
            return StoredCorpus(articles, files_json, int(meta["file_count"]), str(meta["generation"]))
        except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError) as error:
            self._warn(f"ignored unreadable corpus snapshot {self.path} ({type(error).__name__}); parsing again")
            return None

    def load_sightings(self, generation: str, files: Collection[str]) -> pl.DataFrame:
        """Stored sightings (SNAPSHOT_SCHEMA) of `files` in the order they were found; empty
        when they do not belong to `generation` or cannot be read (those files are then
        parsed again)."""
        empty = pl.DataFrame(schema=SNAPSHOT_SCHEMA)
        if not files:
            return empty
        wait_for_save(self.path)
        try:
            if pl.read_parquet_metadata(self.sightings_path).get(_META_KEY) != generation:
                return empty
            rows = pl.scan_parquet(self.sightings_path).filter(pl.col("file").is_in(list(files))).collect()
            if rows.schema != pl.Schema(STORED_SIGHTING_SCHEMA):
                return empty
            first = rows.filter(pl.col(IN_ARTICLES))
            if not first.is_empty():
                texts = self._article_texts(generation, first.get_column("id"))
                if texts is None:
                    return empty
                rows = pl.concat(
                    [first.drop(_BY_REFERENCE).join(texts, on="id", how="left"), rows.filter(~pl.col(IN_ARTICLES))],
                    how="diagonal",
                )
        except (OSError, ValueError, pl.exceptions.PolarsError):
            return empty
        return rows.sort(SIGHTING_ORDER).select(list(SNAPSHOT_SCHEMA))

    def sighting_index(self) -> pl.DataFrame | None:
        """Every stored sighting's order, id and file (SIGHTING_ORDER, id, file), found-first
        order, for the current snapshot; None when there is none or its two files are not
        of one generation."""
        wait_for_save(self.path)
        try:
            meta = json.loads(pl.read_parquet_metadata(self.path)[_META_KEY])
            if pl.read_parquet_metadata(self.sightings_path).get(_META_KEY) != meta.get("generation"):
                return None
            rows = pl.read_parquet(self.sightings_path, columns=[SIGHTING_ORDER, "id", "file"])
        except (OSError, ValueError, KeyError, TypeError, pl.exceptions.PolarsError):
            return None
        return rows.sort(SIGHTING_ORDER)

    def _article_texts(self, generation: str, ids: pl.Series) -> pl.DataFrame | None:
        """The articles `ids` (SIGHTING_SCHEMA) from the articles file of `generation`;
        None when that file is of another generation or lacks any of them."""
        with open(self.path, "rb") as handle:  # one file, even if a writer replaces the path meanwhile
            if json.loads(pl.read_parquet_metadata(handle)[_META_KEY]).get("generation") != generation:
                return None
            handle.seek(0)
            wanted = pl.DataFrame({"id": ids.unique()})
            texts = pl.scan_parquet(handle).select(list(SIGHTING_SCHEMA)).join(wanted.lazy(), on="id", how="semi").collect()
        return texts if texts.height == wanted.height else None

    def save_sightings(self, first: pl.DataFrame, repeats: pl.DataFrame) -> str | None:
        """Store the sightings under a new generation id: `first`, the articles' first
        sightings, by reference; `repeats` whole (both SNAPSHOT_SCHEMA numbered by
        SIGHTING_ORDER, as `core.corpus.Deduplicator.sightings` gives them). None (one
        warning) when it cannot."""
        wait_for_save(self.path)  # a save still writing the articles of the sightings it replaces
        generation = uuid.uuid4().hex
        stored = pl.concat(
            [
                first.select(
                    SIGHTING_ORDER,
                    *(pl.lit(None, dtype).alias(name) if name in _BY_REFERENCE else pl.col(name) for name, dtype in SNAPSHOT_SCHEMA.items()),
                    pl.lit(True).alias(IN_ARTICLES),
                ),
                repeats.select(SIGHTING_ORDER, *SNAPSHOT_SCHEMA, pl.lit(False).alias(IN_ARTICLES)),
            ]
        ).cast(STORED_SIGHTING_SCHEMA)  # type: ignore[arg-type]
        ok = self._write(self.sightings_path, stored, generation)
        return generation if ok else None

    def save(self, articles: pl.DataFrame, files: dict[str, StoredFile], generation: str) -> bool:
        """Store the articles and file table, making the snapshot of `generation` current."""
        meta = json.dumps(
            {
                "format": _FORMAT,
                "generation": generation,
                "body_bytes": int(articles.get_column("body").str.len_bytes().sum() or 0),
                "file_count": len(files),
            }
        )
        table = json.dumps(
            {name: [stored.signature.size, stored.signature.mtime_ns, stored.skipped] for name, stored in files.items()}
        )
        saved = self._write(self.path, articles, meta, files=table)
        if saved:
            self._remove_other_versions()
        return saved

    def save_in_background(
        self,
        sightings: tuple[pl.DataFrame, pl.DataFrame],
        articles: pl.DataFrame,
        files: dict[str, StoredFile],
        after: threading.Event | None = None,
    ) -> None:
        """`save_sightings` and then `save` on a thread of its own (not a daemon: the
        interpreter waits for it at exit), once `after` is set (at most SAVE_WAITS_SECONDS
        later): writing a large snapshot keeps Polars' threads busy, and the rows being
        shown wait for them."""

        def save() -> None:
            if after is not None:
                after.wait(SAVE_WAITS_SECONDS)
            generation = self.save_sightings(*sightings)
            if generation is not None:
                self.save(articles, files, generation)

        wait_for_save(self.path)
        thread = threading.Thread(target=save, name="newsdesk-snapshot-save")
        with _saves_lock:
            for path in [path for path, done in _saves.items() if not done.is_alive()]:
                del _saves[path]
            _saves[self.path] = thread
            thread.start()  # under the lock: no one may find it registered and not started

    def _remove_other_versions(self) -> None:
        """Delete this corpus's snapshots made by other parser versions: they are never read
        again (a snapshot's name carries its parser's fingerprint), and a large corpus's takes
        much disk. One that cannot be deleted is left for the next save."""
        for old in _corpus_files(self.path):
            if old not in (self.path, self.sightings_path):
                with contextlib.suppress(OSError):
                    old.unlink()

    def _write(self, path: Path, frame: pl.DataFrame, meta: str, files: str | None = None) -> bool:
        metadata = {_META_KEY: meta} if files is None else {_META_KEY: meta, _FILES_KEY: files}
        try:
            write_atomic(path, lambda temp: frame.write_parquet(temp, **_PARQUET_OPTIONS, metadata=metadata))
        except (OSError, pl.exceptions.PolarsError) as error:
            self._warn(
                f"corpus snapshot not saved: cannot write {path.parent}: {getattr(error, 'strerror', None) or error}"
            )
            return False
        return True
