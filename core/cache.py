"""Content-addressed keyword cache in Parquet: atomic writes, safe with concurrent writers.

Layout: `<cache dir>/keywords/<fingerprint>/seg-<uuid>.parquet`, where the fingerprint hashes
the engine, its parameters and CACHE_VERSION, and each row of a segment is one article id with
its keyword list. Articles are identified by their content id, so an unchanged article is
found again whatever file it came from.

Every write goes to a new segment: a temp file in the same directory, then `os.replace`, so a
reader never sees half a file, two indexers writing at once both succeed (they never touch the
same file), and a process killed mid-write leaves only an ignored `.tmp-*` file. Readers union
all segments. A segment that cannot be read, or is not ours, is ignored (and removed) with one
warning and its articles are recomputed. A cache directory that cannot be written means no
caching and one warning, never a failure. Warnings go to the `warn` callback.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import polars as pl

from core import paths
from core.atomic import TEMP_PREFIX, Warn, write_atomic
from core.keyword_rules import Keyword
from core.keywords import ExtractorParams

CACHE_VERSION = 1
SEGMENT_GLOB = "seg-*.parquet"
# Compaction merges segments once there are more than this many.
COMPACT_THRESHOLD = 16
# A temp file older than this belongs to a writer that died; it is removed on compaction.
STALE_TEMP_SECONDS = 3600.0
_MARKER_KEY = "newsdesk-keyword-cache"

_ENTRY = pl.Struct({"keyword": pl.String(), "key": pl.String(), "score": pl.Float64()})
SEGMENT_SCHEMA: dict[str, pl.DataType] = {"id": pl.String(), "keywords": pl.List(_ENTRY)}

_log = logging.getLogger(__name__)


def log_warning(message: str) -> None:
    """The default warning sink: the `logging` module (the CLI and TUI pass their own)."""
    _log.warning(message)


def cache_key(params: ExtractorParams) -> str:
    """The directory name for one engine + parameter set + cache version."""
    return f"v{CACHE_VERSION}-{params.engine}-{params.fingerprint()}"


class KeywordCache:
    """The keyword lists of articles already extracted with one `ExtractorParams`."""

    def __init__(self, params: ExtractorParams, root: Path | None = None, warn: Warn | None = None) -> None:
        self.params = params
        self.directory = (root if root is not None else paths.cache_dir()) / "keywords" / cache_key(params)
        self._warn = warn or log_warning
        self._marker = {_MARKER_KEY: cache_key(params)}
        self.writable = True
        self._warned_unwritable = False

    def _segments(self) -> list[Path]:
        try:
            return sorted(self.directory.glob(SEGMENT_GLOB))
        except OSError:
            return []

    def load(self, ids: Iterable[str] | None = None) -> dict[str, list[Keyword]]:
        """Cached keyword lists by article id (only `ids` when given)."""
        frame = self.load_frame()
        if ids is not None:
            frame = frame.filter(pl.col("id").is_in(pl.Series(list(ids), dtype=pl.String()).implode()))
        return {
            row["id"]: [Keyword(e["keyword"], e["key"], e["score"]) for e in row["keywords"]]
            for row in frame.iter_rows(named=True)
        }

    def load_frame(self) -> pl.DataFrame:
        """All cached rows (SEGMENT_SCHEMA), one per article id."""
        frames: list[pl.DataFrame] = []
        bad: list[Path] = []
        for segment in self._segments():
            frame = self._read_segment(segment)
            if frame is None:
                bad.append(segment)
            elif frame.height:
                frames.append(frame)
        if bad:
            self._discard(bad)
        if not frames:
            return pl.DataFrame(schema=SEGMENT_SCHEMA)
        return pl.concat(frames, how="vertical").unique(subset="id", keep="first", maintain_order=True)

    def _read_segment(self, segment: Path) -> pl.DataFrame | None:
        """The segment's rows; None when it is corrupt or foreign; empty when it vanished."""
        try:
            if pl.read_parquet_metadata(segment).get(_MARKER_KEY) != self._marker[_MARKER_KEY]:
                return None
            frame = pl.read_parquet(segment)
        except FileNotFoundError:
            # A concurrent compaction removed it after merging its rows elsewhere.
            return pl.DataFrame(schema=SEGMENT_SCHEMA)
        except (OSError, pl.exceptions.PolarsError, ValueError):
            return None
        if dict(frame.schema) != SEGMENT_SCHEMA:
            return None
        return frame

    def _discard(self, bad: Sequence[Path]) -> None:
        names = ", ".join(p.name for p in bad[:3]) + (" ..." if len(bad) > 3 else "")
        self._warn(f"ignored {len(bad)} unreadable keyword cache file(s) in {self.directory} ({names}); recomputing")
        for segment in bad:
            try:
                segment.unlink(missing_ok=True)
            except OSError:
                pass  # read-only cache: the file stays ignored, the warning already said so

    def write(self, results: Mapping[str, Sequence[Keyword]]) -> bool:
        """Store keyword lists by article id as one new segment; False when not cached."""
        if not results or not self.writable:
            return False
        frame = pl.DataFrame(
            {
                "id": list(results),
                "keywords": [
                    [{"keyword": k.keyword, "key": k.key, "score": k.score} for k in kws]
                    for kws in results.values()
                ],
            },
            schema=SEGMENT_SCHEMA,
        )
        return self._write_segment(frame)

    def _write_segment(self, frame: pl.DataFrame) -> bool:
        segment = self.directory / f"seg-{uuid.uuid4().hex}.parquet"
        try:
            write_atomic(segment, lambda temp: frame.write_parquet(temp, metadata=self._marker, statistics=False))
        except (OSError, pl.exceptions.PolarsError) as error:
            self._disable(error)
            return False
        return True

    def _disable(self, error: Exception) -> None:
        self.writable = False
        if not self._warned_unwritable:
            self._warned_unwritable = True
            reason = getattr(error, "strerror", None) or error  # not "[Errno 13] ...: '<the path again>'"
            self._warn(f"keyword cache disabled: cannot write {self.directory}: {reason}")

    def compact(self, threshold: int = COMPACT_THRESHOLD) -> None:
        """Merge segments into one when there are more than `threshold`; remove stale temps.

        Safe with concurrent readers and writers: the merged segment is written (atomically)
        before the merged ones are removed, and a writer's new segment is never among them.
        """
        if not self.writable:
            return
        self._remove_stale_temps()
        segments = self._segments()
        if len(segments) <= threshold:
            return
        frames = [f for f in (self._read_segment(s) for s in segments) if f is not None]
        merged = pl.concat(frames, how="vertical").unique(subset="id", keep="first", maintain_order=True) if frames else None
        if merged is not None and not self._write_segment(merged):
            return
        for segment in segments:
            try:
                segment.unlink(missing_ok=True)
            except OSError:
                return

    def _remove_stale_temps(self) -> None:
        cutoff = time.time() - STALE_TEMP_SECONDS
        try:
            temps = list(self.directory.glob(f"{TEMP_PREFIX}*"))
        except OSError:
            return
        for temp in temps:
            try:
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()
            except OSError:
                continue  # another process removed it first
