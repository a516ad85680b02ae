"""Walk paths, sniff each file (format, encoding, binary?), dispatch it to a reader, report skips.

`load_corpus(paths)` is the one entry point: directories are walked recursively in a
stable (sorted) order, hidden entries and the cache directory are passed over, a linked
folder is walked once (no loops), and a link that leads out of the given paths is not
followed unless asked (`follow_links`). Every file that cannot be used is reported once
through `on_skip` as a `Skipped(path, reason)`, and the walk goes on.

Reading is bounded: a file over MAX_FILE_BYTES is refused unread, compressed files inflate
no further than a per-file cap and one budget for the whole corpus (`DecompressionBudget`),
and Parquet, whose native reader a damaged file can crash, has its footer checked here and
is read in a child process (core.parquet_check, core.isolated).
"""

from __future__ import annotations

import codecs
import gzip
import io
import logging
import os
import pickle
import re
import stat
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import polars as pl

from core import html, scrape, tables
from core.atomic import Warn
from core.corpus import KEYWORD_SCHEMA, SIGHTING_ORDER, Corpus, Deduplicator, RawArticle, RowMemo, SightingColumns
from core.errors import UnreadableFile
from core.isolated import read_parquet_isolated
from core.parallel import WorkerPool, worker_count
from core.parquet_check import check_parquet
from core.paths import cache_dir, display_path
from core.prefetch import SnapshotPrefetch
from core.snapshot import (
    SNAPSHOT_SCHEMA,
    FileSignature,
    SnapshotStore,
    StoredCorpus,
    StoredFile,
    snapshot_path,
)

MAX_FILE_BYTES = 256 * 1024 * 1024
_SNIFF_BYTES = 8192
_DETECT_BYTES = 1024 * 1024
_MAX_CONTROL_SHARE = 0.3
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\n\r\t\f")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_COMMON_ENCODINGS = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250", "iso8859_2")
TABLE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that contributed nothing, and why, in one line."""

    path: str
    reason: str


SkipHandler = Callable[[Skipped], None]
_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadProgress:
    """Where a load is: files and bytes done of the total, and the corpus found so far."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    elapsed: float
    partial: Corpus | None
    """The articles found so far (None when this report carries no new rows)."""

    @property
    def bytes_per_second(self) -> float:
        return self.bytes_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        rate = self.bytes_per_second
        return (self.bytes_total - self.bytes_done) / rate if rate > 0 else None


ProgressHandler = Callable[[LoadProgress], None]
PARTIAL_EVERY_SECONDS = 0.5
"""While a load runs, how often the corpus found so far is reported."""
BATCH_BYTES = 1024 * 1024
BATCH_FILES = 256
"""Files are parsed in batches of up to this many bytes or files: one task for a worker,
one frame of rows. Small enough that a cancel is prompt and the first rows come early."""
ROWS_PER_FRAME = 4096
"""Rows of files read in this process are moved into a frame this many at a time."""
POOL_MIN_BYTES = 64 * 1024 * 1024
"""Below this many bytes to parse, a load stays in this process: starting worker
processes (~0.6-1 s on 2 cores) costs more than they save. Measured on 2 cores shared with
other jobs: the pool lost at 4, 8 and 16 MB of pages, won 2 runs of 3 at 32 MB, lost 5 of
6 at 37 MB (10k articles), and won 3 of 4 at 365 MB (100k articles)."""


def load_corpus(
    paths: Sequence[Path],
    on_skip: SkipHandler | None = None,
    *,
    use_snapshot: bool = True,
    warn: Warn | None = None,
    progress: ProgressHandler | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
    pool_min_bytes: int = POOL_MIN_BYTES,
    body_limit: int | None = None,
    prefetched: SnapshotPrefetch | None = None,
    save_in_background: bool = False,
    follow_links: bool = False,
    max_decompressed: int | None = None,
) -> Corpus:
    """Parse every file under `paths` into one de-duplicated Corpus.

    With `use_snapshot`, files unchanged since the last open (same size and mtime) are not
    parsed again: their rows come from the corpus snapshot in the cache, and when no file
    changed the stored articles are the answer. `progress` hears about every file and now
    and then (PARTIAL_EVERY_SECONDS) gets the corpus found so far; with a snapshot, its
    first report carries the stored articles before any file is looked at, so a screen can
    show a large corpus at once. Setting `cancel` stops the load early with what was found.

    When at least `pool_min_bytes` are to be parsed, `workers` processes (None: one per
    CPU; 1: none) parse them; the result is the same as in one process. Callers' main
    modules must then be importable without side effects (`if __name__ == "__main__"`),
    as for any spawn-started process.

    `body_limit`: when the answer is a snapshot with more body text than this many bytes,
    its articles come without the `body` column, to be read by row with core.bodies from
    `core.snapshot.snapshot_path(paths)`; partial corpora reported from it likewise.

    `prefetched`: the snapshot already being read (`core.prefetch`), used when it is of these
    `paths` and `body_limit`.

    `save_in_background`: the corpus is returned while its snapshot's articles file is still
    being written, on a thread of its own (`core.snapshot.wait_for_save` waits for it; this
    process's next load of these paths does, and so does the interpreter's exit).

    `follow_links`: also read what links found in the walk lead to outside `paths` (by
    default they are skipped, with a reason). `max_decompressed`: the bytes the files may
    inflate to, all together (None: the config's default, `core.config`).
    """
    report = on_skip or _ignore_skip
    warn = warn or _log.warning
    store = SnapshotStore(paths, warn) if use_snapshot else None
    if store is not None and prefetched is not None and prefetched.is_for(paths, body_limit):
        stored = prefetched.result(warn)
    else:
        stored = store.load(body_limit) if store is not None else None
    started = time.perf_counter()
    if stored is not None and progress is not None:
        partial = Corpus(stored.articles, pl.DataFrame(schema=KEYWORD_SCHEMA))
        progress(LoadProgress(0, stored.file_count, 0, 0, time.perf_counter() - started, partial))
    if stored is not None:
        try:
            stored.files  # decoded here (once), after the stored rows were reported
        except ValueError as error:
            warn(f"ignored unreadable corpus snapshot {snapshot_path(paths)} ({error}); parsing again")
            stored = None
    files = _signed_files(paths, report, follow_links)
    if stored is not None and _unchanged(files, stored.files):
        for file, _, _ in files:
            reason = stored.files[file].skipped
            if reason is not None:
                report(Skipped(file, reason))
        if progress is not None:
            size = sum(_readable_size(signature) for _, _, signature in files)
            progress(LoadProgress(len(files), len(files), size, size, time.perf_counter() - started, None))
        return Corpus(stored.articles, pl.DataFrame(schema=KEYWORD_SCHEMA))
    budget = DecompressionBudget(_default_max_decompressed() if max_decompressed is None else max_decompressed)
    plan = _Plan(worker_count() if workers is None else max(1, workers), pool_min_bytes, warn, budget)
    deduplicator, table = _sightings(files, stored, store, report, progress, cancel, plan)
    complete = cancel is None or not cancel.is_set()
    if store is not None and complete:
        first, repeats = (
            frame if frame.width else pl.DataFrame(schema={SIGHTING_ORDER: pl.UInt32(), **SNAPSHOT_SCHEMA})
            for frame in deduplicator.sightings()
        )
        table.generation = store.save_sightings(first, repeats)
        del first, repeats
    articles = deduplicator.articles()
    del deduplicator  # the repeats go; the articles share the first sightings' text
    if store is not None and complete and table.generation is not None:
        if save_in_background:
            store.save_in_background(articles, table.files, table.generation)
        else:
            store.save(articles, table.files, table.generation)
    return Corpus(articles, pl.DataFrame(schema=KEYWORD_SCHEMA))


def _unchanged(files: list[_SignedFile], stored: dict[str, StoredFile]) -> bool:
    """Whether the walk found exactly the stored files, each with its stored size and mtime
    (and none of them refused for the corpus decompression cap, which may have changed)."""
    return len(files) == len(stored) and all(
        (known := stored.get(file)) is not None and _reusable(known, signature) for file, _, signature in files
    )


def _reusable(known: StoredFile, signature: FileSignature) -> bool:
    """Whether what the snapshot says of a file holds: it is unchanged, and was not refused
    for the cap (a cap is a setting, not a property of the file: it is tried again)."""
    return known.signature == signature and not (known.skipped or "").startswith(_OVER_CAP)


@dataclass
class _FileTable:
    """What the load saw of every file, for the next snapshot; `generation` once its sightings are stored."""

    files: dict[str, StoredFile]
    generation: str | None = None


@dataclass(frozen=True, slots=True)
class _Plan:
    """How files are parsed: `workers` processes once `pool_min_bytes` are to be parsed."""

    workers: int
    pool_min_bytes: int
    warn: Warn
    budget: DecompressionBudget
    """Files that inflate are read in this process, against this budget (never by a pool)."""


_SignedFile = tuple[str, str, FileSignature]
"""A file to read: its display name, its path as the walk found it, and its size and mtime."""

_FileTask = tuple[str, str, int, int]
"""A file for `parse_batch`: its display name, absolute path, size and mtime (ns)."""


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """What `parse_batch` found: the sightings (SNAPSHOT_SCHEMA) of a batch of files, in
    order, and for each file why it contributed nothing (if it did not) and how many rows."""

    frame: pl.DataFrame
    files: list[tuple[tuple[str, ...], int]]


class _FileRows:
    """Sightings of files read one by one, with their file columns, until taken as a frame."""

    def __init__(self, memo: RowMemo) -> None:
        self._columns = SightingColumns(memo)
        self._names: list[str] = []
        self._sizes: list[int] = []
        self._mtimes: list[int] = []

    def __len__(self) -> int:
        return len(self._columns)

    def read(self, task: _FileTask, budget: DecompressionBudget | None = None) -> tuple[tuple[str, ...], int]:
        """Read one file's rows; why it gave none (if so) and how many it gave."""
        file, path, size, mtime_ns = task
        reasons: list[str] = []
        rows = self._columns.add(_read_collecting(Path(path), file, reasons, budget))
        self._names.extend([file] * rows)
        self._sizes.extend([size] * rows)
        self._mtimes.extend([mtime_ns] * rows)
        return tuple(reasons), rows

    def take_frame(self) -> pl.DataFrame:
        """The rows read so far (SNAPSHOT_SCHEMA); this starts over empty."""
        frame = self._columns.take_frame().with_columns(
            pl.Series("file", self._names, dtype=pl.String()),
            pl.Series("file_size", self._sizes, dtype=pl.Int64()),
            pl.Series("file_mtime_ns", self._mtimes, dtype=pl.Int64()),
        )
        self._names, self._sizes, self._mtimes = [], [], []
        return frame


def parse_batch(tasks: Sequence[_FileTask], memo: RowMemo | None = None) -> ParsedBatch:
    """Read, parse, clean and identify a batch of files into one frame of sightings."""
    rows = _FileRows({} if memo is None else memo)
    counts = [rows.read(task) for task in tasks]
    return ParsedBatch(rows.take_frame(), counts)


_worker_memo: RowMemo = {}
"""Repeats remembered across the batches one pool worker parses (it lives for one load)."""


def _parse_in_worker(job: tuple[Sequence[_FileTask], str]) -> str:
    """Parse a batch in a pool worker; the result goes to a file in `folder`, and only its
    name goes back through the pool's pipe.

    A worker killed while writing a large result into the pipe leaves a partial message
    there that the pool's reader waits on forever (the parent keeps the pipe's write end
    open); a file name is written whole, as pipe writes under PIPE_BUF are.
    """
    tasks, folder = job
    parsed = parse_batch(tasks, _worker_memo)
    handle, name = tempfile.mkstemp(suffix=".batch", dir=folder)
    with os.fdopen(handle, "wb") as out:
        pickle.dump(parsed, out, protocol=pickle.HIGHEST_PROTOCOL)
    return name


def _collect(name: str) -> ParsedBatch:
    """A batch a worker parsed, read back from its file, which goes."""
    try:
        with open(name, "rb") as handle:
            parsed: ParsedBatch = pickle.load(handle)
    finally:
        os.unlink(name)
    return parsed


def _task(file: str, path: str, signature: FileSignature) -> _FileTask:
    # Absolute: a worker's working directory need not be ours.
    return (file, os.path.abspath(path), signature.size, signature.mtime_ns)


def _batches(files: list[_SignedFile]) -> list[list[_FileTask]]:
    """Consecutive files in batches of up to BATCH_BYTES or BATCH_FILES."""
    batches: list[list[_FileTask]] = []
    batch: list[_FileTask] = []
    size = 0
    for file, path, signature in files:
        readable = _readable_size(signature)
        if batch and (size + readable > BATCH_BYTES or len(batch) >= BATCH_FILES):
            batches.append(batch)
            batch, size = [], 0
        batch.append(_task(file, path, signature))
        size += readable
    if batch:
        batches.append(batch)
    return batches


def _pooled(batches: list[list[_FileTask]], plan: _Plan, cancel: threading.Event | None) -> Iterator[ParsedBatch]:
    """Every batch parsed by a pool, in order; stops early when cancelled.

    The first batch is parsed in this process while the workers start (~0.4 s at 100k
    pages, in which it would only wait), so the first rows come that much sooner. If the
    pool cannot start or a worker dies, the batches it has not delivered are parsed here
    too. Close the iterator when done with it early: that stops the pool.
    """
    delivered = 0
    memo: RowMemo = {}
    try:
        with (
            tempfile.TemporaryDirectory(prefix="newsdesk-parse-") as folder,
            WorkerPool(_parse_in_worker, min(plan.workers, len(batches) - 1)) as pool,
        ):
            later = pool.results([(batch, folder) for batch in batches[1:]], cancel)
            yield parse_batch(batches[0], memo)
            delivered += 1
            for name in later:
                parsed = _collect(name)
                delivered += 1
                yield parsed
        return
    except (BrokenProcessPool, OSError, pickle.UnpicklingError, EOFError) as error:
        plan.warn(f"parsing pool failed ({type(error).__name__}: {error}); parsing in one process")
    for batch in batches[delivered:]:
        if cancel is not None and cancel.is_set():
            return
        yield parse_batch(batch, memo)


def _sightings(
    files: list[_SignedFile],
    stored: StoredCorpus | None,
    store: SnapshotStore | None,
    report: SkipHandler,
    progress: ProgressHandler | None,
    cancel: threading.Event | None,
    plan: _Plan,
) -> tuple[Deduplicator, _FileTable]:
    """Every file's sightings, in walk order, de-duplicated as they come; and the file table.

    Unchanged files take their rows from the stored sightings; the others are parsed: by
    a pool when there is enough to parse, else here, one file at a time (a file is then
    read only after the progress report of the one before). Files that inflate (`inflates`)
    are always read here, in walk order, against the plan's one decompression budget.
    """
    known = stored.files if stored is not None else {}
    table = _FileTable({})
    reused: list[str] = []
    for file, _, signature in files:
        previous = known.get(file)
        if previous is not None and _reusable(previous, signature):
            reused.append(file)
            table.files[file] = previous
            if previous.skipped is not None:
                report(Skipped(file, previous.skipped))
    kept = (
        store.load_sightings(stored.generation, [f for f in reused if known[f].skipped is None])
        if store is not None and stored is not None
        else pl.DataFrame(schema=SNAPSHOT_SCHEMA)
    )
    kept_rows = _row_ranges(kept)
    kept_files = set(kept_rows) | {f for f in reused if known[f].skipped is not None}
    deduplicator = Deduplicator(keep_repeats=store is not None)
    tracker = _Tracker(files, progress, deduplicator)
    to_parse = [entry for entry in files if entry[0] not in kept_files]
    pooled = [entry for entry in to_parse if not inflates(entry[0])]
    batches = _batches(pooled)
    pool_pays = sum(_readable_size(signature) for _, _, signature in pooled) >= plan.pool_min_bytes
    parsed = _pooled(batches, plan, cancel) if plan.workers > 1 and len(batches) > 1 and pool_pays else None
    batch: ParsedBatch | None = None
    at = offset = 0
    try:
        for file, path, signature in files:
            if cancel is not None and cancel.is_set():
                break
            if file in kept_rows:
                start, length = kept_rows[file]
                tracker.add(kept, start, length)
                tracker.file_done(signature)
                continue
            if file in kept_files:
                tracker.file_done(signature)
                continue
            if parsed is None or inflates(file):
                reasons = tracker.read(_task(file, path, signature), plan.budget)
            else:
                if batch is None or at == len(batch.files):
                    batch = next(parsed, None)
                    if batch is None:  # cancelled while waiting for it
                        break
                    at = offset = 0
                reasons, rows = batch.files[at]
                tracker.add(batch.frame, offset, rows)
                at += 1
                offset += rows
            for reason in reasons:
                report(Skipped(file, reason))
            table.files[file] = StoredFile(signature, reasons[0] if reasons else None)
            tracker.file_done(signature)
    finally:
        if parsed is not None:
            parsed.close()
    tracker.finish()
    return deduplicator, table


def _row_ranges(sightings: pl.DataFrame) -> dict[str, tuple[int, int]]:
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


def _signed_files(paths: Sequence[Path], report: SkipHandler, follow_links: bool = False) -> list[_SignedFile]:
    """Every file to read with its size and mtime, in walk order.

    Paths stay strings and a walked file's status comes from its directory entry: at 20,000
    files, making a `Path` of each and statting through it took about half of the walk."""
    signed = []
    for path, entry in _file_entries(paths, report, follow_links):
        try:
            status = entry.stat() if entry is not None else os.stat(path)
            signed.append((display_path(path), path, FileSignature(status.st_size, status.st_mtime_ns)))
        except OSError as error:
            report(Skipped(display_path(path), error.strerror or type(error).__name__))
    return signed


def _readable_size(signature: FileSignature) -> int:
    return signature.size if signature.size <= MAX_FILE_BYTES else 0


class _Tracker:
    """Feeds rows to the de-duplicator and reports progress, with the corpus so far now and then.

    Rows of files read here wait as Python values until there are ROWS_PER_FRAME of them or
    a partial corpus is due: making a frame per file would cost more than parsing it.
    """

    def __init__(
        self, files: list[_SignedFile], progress: ProgressHandler | None, deduplicator: Deduplicator
    ) -> None:
        self._progress = progress
        self._deduplicator = deduplicator
        self._here = _FileRows({})
        self._run: tuple[pl.DataFrame, int, int] | None = None
        """Rows of one frame, file after file, not yet handed on: one slice for them all,
        not one a file (20,000 of them at 100k pages)."""
        self._files_total = len(files)
        # Files over the limit are refused unread: counting them would skew rate and time left.
        self._bytes_total = sum(_readable_size(signature) for _, _, signature in files)
        self._files_done = 0
        self._bytes_done = 0
        self._started = time.perf_counter()
        self._last_partial: float | None = None
        self._added_at_partial = 0
        self._partial_interval = PARTIAL_EVERY_SECONDS
        self.added = 0

    def read(self, task: _FileTask, budget: DecompressionBudget | None = None) -> tuple[str, ...]:
        """Read a file here; why it gave no rows, if it gave none."""
        self._hand_on_run()
        reasons, rows = self._here.read(task, budget)
        self.added += rows
        if len(self._here) >= ROWS_PER_FRAME:
            self._flush()
        return reasons

    def add(self, frame: pl.DataFrame, start: int, length: int) -> None:
        """Rows `start` to `start + length` of `frame` (a parsed batch or the stored sightings)."""
        run = self._run
        if run is not None and run[0] is frame and run[1] + run[2] == start:
            self._run = (frame, run[1], run[2] + length)
        else:
            self._flush()
            self._run = (frame, start, length)
        self.added += length

    def _flush(self) -> None:
        if len(self._here):
            self._deduplicator.add(self._here.take_frame())
        self._hand_on_run()

    def _hand_on_run(self) -> None:
        if self._run is not None:
            frame, start, length = self._run
            self._run = None
            self._deduplicator.add(frame.slice(start, length))

    def finish(self) -> None:
        self._flush()

    def file_done(self, signature: FileSignature) -> None:
        self._files_done += 1
        self._bytes_done += _readable_size(signature)
        if self._progress is None:
            return
        now = time.perf_counter()
        due = self._last_partial is None or now - self._last_partial >= self._partial_interval
        last = self._files_done == self._files_total
        partial = None
        if (due or last) and (self.added > self._added_at_partial or self._last_partial is None):
            self._added_at_partial = self.added
            if self._last_partial is not None:
                # Space partials out as the load grows: each makes the screen rebuild its view.
                self._partial_interval *= 2
            self._last_partial = now
            self._flush()
            partial = Corpus(self._deduplicator.articles(), pl.DataFrame(schema=KEYWORD_SCHEMA))
        self._progress(
            LoadProgress(
                self._files_done, self._files_total, self._bytes_done, self._bytes_total,
                now - self._started, partial,
            )
        )


def _ignore_skip(skipped: Skipped) -> None:
    """The default skip handler: the caller did not ask to hear about skipped files."""


def _read_reporting(path: Path, report: SkipHandler, budget: DecompressionBudget) -> list[RawArticle]:
    """The file's articles, or [] after reporting why it contributes none."""
    shown = display_path(path)
    reasons: list[str] = []
    articles = _read_collecting(path, shown, reasons, budget)
    for reason in reasons:
        report(Skipped(shown, reason))
    return articles


READER_FAILURES = (RecursionError, ValueError, MemoryError)
"""What a reader may raise on hostile content besides UnreadableFile (Python's JSON parser
past its depth, an integer too long to convert): the file is skipped with `reader_failure`."""


MAX_REASON_CHARS = 300
"""A reason quoting the file (a reader's error shows the line it stopped at) is cut here:
an unterminated quote in a CSV made a skip line of the file's size."""


def short_reason(reason: str) -> str:
    """`reason` on one line of at most MAX_REASON_CHARS characters."""
    line = " ".join(reason.split())
    return line if len(line) <= MAX_REASON_CHARS else line[: MAX_REASON_CHARS - 1] + "…"


def reader_failure(error: BaseException) -> str:
    """A reader's unexpected failure as a one-line reason (at most 200 characters of detail)."""
    if isinstance(error, RecursionError):
        return "could not be read (nested too deeply)"
    lines = str(error).strip().splitlines()
    detail = f": {lines[0][:200]}" if lines else ""
    return f"could not be read ({type(error).__name__}{detail})"


def _read_collecting(
    path: Path, shown: str, reasons: list[str], budget: DecompressionBudget | None = None
) -> list[RawArticle]:
    """The file's articles (their `path` is `shown`), or [] after noting why it contributes none."""
    try:
        articles = read_file(path, shown, budget)
    except UnreadableFile as error:
        reasons.append(short_reason(str(error)))
        return []
    except OSError as error:
        reasons.append(_reason(error))
        return []
    except READER_FAILURES as error:
        # A reader's own failure on hostile content (nesting past the parser's depth, a
        # number too long to convert): this file is skipped, never the whole load.
        reasons.append(reader_failure(error))
        return []
    if not articles:
        reasons.append("no articles found")
    return articles


def read_articles(
    paths: Sequence[Path],
    on_skip: SkipHandler | None = None,
    *,
    follow_links: bool = False,
    max_decompressed: int | None = None,
) -> Iterator[RawArticle]:
    """Every article and teaser found under `paths`, file by file, in walk order (no snapshot)."""
    report = on_skip or _ignore_skip
    budget = DecompressionBudget(_default_max_decompressed() if max_decompressed is None else max_decompressed)
    for path in iter_files(paths, report, follow_links=follow_links):
        yield from _read_reporting(path, report, budget)


def _default_max_decompressed() -> int:
    from core.config import default_max_decompressed_mib

    return default_max_decompressed_mib() * 2**20


def iter_files(paths: Iterable[Path], report: SkipHandler, *, follow_links: bool = False) -> Iterator[Path]:
    """Files under `paths` in a stable order; named files are always included, links that
    lead out of `paths` only with `follow_links`."""
    for path, _ in _file_entries(paths, report, follow_links):
        yield Path(path)


def _file_entries(
    paths: Iterable[Path], report: SkipHandler, follow_links: bool = False
) -> Iterator[tuple[str, os.DirEntry[str] | None]]:
    """`iter_files` as path strings, each with its directory entry when a walk found it."""
    paths = list(paths)
    excluded = _resolved(cache_dir())
    roots = None if follow_links else _roots(paths)
    for path in paths:
        try:  # is_dir/exists raise (EACCES) for a path in a folder we may not search
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as error:
            report(Skipped(display_path(path), _reason(error)))
            continue
        if is_dir:
            for entry in _walk(path, excluded, report, roots=roots):
                yield entry.path, entry
        elif exists:
            yield os.fspath(path), None
        else:
            report(Skipped(display_path(path), "no such file or directory"))


LINK_OUTSIDE = "link to a {kind} outside the given paths (use --follow-links)"


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return None


def _roots(paths: Iterable[Path]) -> tuple[str, ...]:
    """The given paths, links resolved: what a link found in a walk may lead into."""
    return tuple(str(real) for real in map(_resolved, paths) if real is not None)


def _inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _link_outside(entry: os.DirEntry[str], roots: tuple[str, ...]) -> str | None:
    """Why a walked link is not followed (it leads out of the given paths), or None.

    A dangling link is let through: reading it fails with the plain reason, and it
    reveals nothing."""
    real = _resolved(Path(entry.path))
    if real is None or not real.exists() or _inside(str(real), roots):
        return None
    return LINK_OUTSIDE.format(kind="folder" if entry.is_dir() else "file")


def _walk(
    directory: Path,
    excluded: Path | None,
    report: SkipHandler,
    visited: set[Path] | None = None,
    *,
    roots: tuple[str, ...] | None = None,
) -> Iterator[os.DirEntry[str]]:
    """Depth-first in name order, files and folders interleaved (like `find | sort`).

    Symlinked folders are followed once each: a folder already walked (a link loop, or two
    links to one place) is not walked again. With `roots`, a link (to a file or a folder)
    that resolves outside them is reported and not followed. An entry that cannot even be
    looked at (a link into a folder we may not search) is reported and passed over.

    The folders being walked are a stack, not a recursion: folders nested a thousand deep
    ran past Python's recursion limit, and the walk stopped there without a word.
    """
    visited = set() if visited is None else visited
    real = _resolved(directory)
    listing = _listing(directory, real, excluded, report, visited)
    stack = [(listing, real)] if listing is not None else []
    while stack:
        entries, real = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            outside = _link_outside(entry, roots) if roots is not None and entry.is_symlink() else None
            is_dir = outside is None and entry.is_dir()
        except OSError as error:
            report(Skipped(display_path(entry.path), _reason(error)))
            continue
        if outside is not None:
            report(Skipped(display_path(entry.path), outside))
        elif is_dir:
            # A folder that is no link is where its parent is: resolving each of a deep
            # tree's folders from the root took time growing with the square of the depth.
            inner = _resolved(Path(entry.path)) if real is None or entry.is_symlink() else real / entry.name
            if (listing := _listing(Path(entry.path), inner, excluded, report, visited)) is not None:
                stack.append((listing, inner))
        else:
            yield entry


def _listing(
    directory: Path, real: Path | None, excluded: Path | None, report: SkipHandler, visited: set[Path]
) -> Iterator[os.DirEntry[str]] | None:
    """The entries of `directory` (whose links resolve to `real`) in name order, or None when
    it is not to be walked (walked already, the cache, or unreadable: then reported)."""
    if real is None or real in visited or real == excluded:
        return None
    visited.add(real)
    try:
        with os.scandir(directory) as scan:
            return iter(sorted(scan, key=lambda entry: entry.name))
    except OSError as error:
        report(Skipped(str(directory), _reason(error)))
        return None


class DecompressionBudget:
    """The bytes a load may still inflate from compressed files (`.gz`, and Parquet pages as
    their footers declare them): one budget for the whole corpus, spent in walk order.

    A budget is spent in one process: files that inflate are read by the process that
    holds it (the parent of a parse pool), so which file crosses the cap does not depend on
    how work was split, and nothing is ever inflated past it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    @property
    def left(self) -> int:
        return max(0, self.limit - self.spent)

    def refusal(self) -> UnreadableFile:
        return UnreadableFile(
            f"{_OVER_CAP} ({_size(self.limit)}; setting max_decompressed_mib"
            f" or {DECOMPRESSED_ENV})"
        )


DECOMPRESSED_ENV = "NEWSDESK_MAX_DECOMPRESSED_MIB"
_OVER_CAP = "over the corpus decompression cap"
MAX_INFLATION = 100
"""A compressed file that inflates to more than this many times its size (past
INFLATION_FLOOR) is refused: text, HTML and JSON compress ten- to thirtyfold; only
repetition made to fill memory compresses further."""
INFLATION_FLOOR = 32 * 1024 * 1024


def _size(count: int) -> str:
    return f"{count / 2**30:g} GiB" if count >= 2**30 else f"{count / 2**20:g} MiB"


def inflates(name: str) -> bool:
    """Whether reading the file named `name` inflates compressed data (spends a budget)."""
    name = name.lower()
    return name.endswith((".gz", ".parquet"))


def read_file(path: Path, shown: str | None = None, budget: DecompressionBudget | None = None) -> list[RawArticle]:
    """Read one file with the reader its name and content call for; articles name it
    `shown` (default: its display path). What it inflates is taken from `budget` (none:
    only the per-file cap applies)."""
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise UnreadableFile("not a regular file (a pipe, device or socket)")
    size = status.st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"too large ({size / 2**20:.0f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)")
    if size == 0:
        raise UnreadableFile("empty file")
    name = path.name.lower()
    if name.endswith(".gz"):
        with open(path, "rb") as compressed:
            data = _gunzip(compressed, budget, size)
        name = name[: -len(".gz")]
    else:
        data = path.read_bytes()
    return read_bytes(data, name, display_path(path) if shown is None else shown, budget)


def read_bytes(data: bytes, name: str, path: str, budget: DecompressionBudget | None = None) -> list[RawArticle]:
    """Dispatch `data` (named `name`, reported as `path`) to the right reader.

    Parquet is read by native code that a damaged file can crash: its footer is checked
    here first, and the file is read in a child process (core.isolated)."""
    suffix = os.path.splitext(name)[1]
    if suffix == ".parquet":
        footer = check_parquet(data)
        if budget is not None:
            if footer.uncompressed_bytes > budget.left:
                raise budget.refusal()
            budget.spent += footer.uncompressed_bytes
        return read_parquet_isolated(data, path)
    text = decode(data)
    if suffix in TABLE_SUFFIXES:
        return tables.read_text_table(text, suffix, path)
    if suffix in HTML_SUFFIXES or html.looks_like_html(text):
        return html.read_html(text, path)
    return scrape.parse_page(text, path)


def _gunzip(source: bytes | BinaryIO, budget: DecompressionBudget | None = None, size: int | None = None) -> bytes:
    """The inflated bytes of gzip `source` (`size` bytes), decompressed only up to the least
    of the per-file cap, MAX_INFLATION times `size` (at least INFLATION_FLOOR) and what is
    left of `budget`; past it, UnreadableFile naming the cap that was reached (the bytes
    inflated count against the budget either way)."""
    size = len(source) if isinstance(source, bytes) else size
    ratio_limit = MAX_FILE_BYTES if size is None else max(INFLATION_FLOOR, MAX_INFLATION * size)
    file_limit = min(MAX_FILE_BYTES, ratio_limit)
    left = budget.left if budget is not None else file_limit
    if budget is not None and left == 0:
        raise budget.refusal()
    limit = min(file_limit, left)
    stream_source = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with gzip.GzipFile(fileobj=stream_source) as stream:
            # One read: the buffer is sized to the limit but only what is inflated is touched.
            inflated = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise UnreadableFile(f"not a valid gzip file ({error})") from error
    if budget is not None:
        budget.spent += len(inflated)
    if len(inflated) <= limit:
        return inflated
    if budget is not None and left < file_limit:
        raise budget.refusal()
    if ratio_limit < MAX_FILE_BYTES:
        raise UnreadableFile(f"decompresses to more than {MAX_INFLATION} times its size (a decompression bomb, not text)")
    raise UnreadableFile(f"decompresses to more than {MAX_FILE_BYTES // 2**20} MiB")


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding, or raise UnreadableFile for binary data."""
    if not data:
        raise UnreadableFile("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    text = _as_utf8(data) if _mostly_printable(data[:_SNIFF_BYTES]) else None
    if text is not None:
        return text
    encoding = _detect_encoding(data[:_DETECT_BYTES])
    has_nul = b"\x00" in data[:_SNIFF_BYTES]
    if encoding is None or (has_nul and not encoding.startswith(("utf_16", "utf_32"))):
        raise UnreadableFile("binary file (not text in any known encoding)")
    return data.decode(encoding, errors="replace")


def _as_utf8(data: bytes) -> str | None:
    """UTF-8, with encoded lone surrogates (CESU-8, broken encoders) read as U+FFFD.

    They are replaced here, not left for cleaning: table readers hand the text to Polars,
    which panics on a string holding a surrogate."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return _SURROGATE.sub("\ufffd", data.decode("utf-8", errors="surrogatepass"))
    except UnicodeDecodeError:
        return None


def _mostly_printable(sample: bytes) -> bool:
    """Text, not binary that happens to be valid UTF-8 (a run of zero bytes is valid UTF-8).

    Scraped text may carry stray control characters, which ingest removes; a file that is
    mostly control characters is data of another kind.
    """
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls <= len(sample) * _MAX_CONTROL_SHARE


def _detect_encoding(sample: bytes) -> str | None:
    """The detector's best guess; among equally good guesses, the most widely used encoding.

    Short Western European texts fit cp1250, cp1252 and cp1257 equally well; picking the
    common one avoids decoding "à" as "ŕ".
    """
    import charset_normalizer  # on first use: most corpora are UTF-8

    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None:
        return None
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return min(tied, key=lambda name: _COMMON_ENCODINGS.index(name) if name in _COMMON_ENCODINGS else len(_COMMON_ENCODINGS))
