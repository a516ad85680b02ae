"""The load pipeline: every file under the given paths into one de-duplicated Corpus.

`load_corpus(paths)` is the one entry point. It takes the files the walk finds
(core.walk), reuses what the corpus snapshot holds for unchanged ones (core.reuse), parses
the others here or in worker processes (core.parse_pool), reports progress and the corpus
found so far (core.progress), and saves the next snapshot. Every file that cannot be used
is reported once through `on_skip` as a `Skipped(path, reason)`, and the load goes on.

One file is read by core.file_rows, within bounds (core.read): a page over MAX_FILE_BYTES
is refused unread, compressed files inflate within a per-file and a per-corpus cap, Parquet
is read in a child process; a large text table is read here in batches, with no size limit,
its rows reported as they come, and its later batches made by worker processes of their
own when it is large enough (core.table_pool).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core.atomic import Warn
from core.corpus import KEYWORD_SCHEMA, SIGHTING_ORDER, Corpus, Deduplicator, RawArticle, RowMemo
from core.decode import decode  # noqa: F401  (callers take it from here)
from core.errors import SkipHandler, Skipped
# read_file and read_table_batches are imported for callers that take them from here.
from core.file_rows import FileRows, is_table, read_collecting, read_file, read_table_batches  # noqa: F401
from core.parallel import POOL_MIN_BYTES, worker_count
from core.parse_pool import FileTask as _FileTask
from core.parse_pool import ParsedBatch, WorkerJob, hand_back, pooled
from core.paths import display_path
from core.prefetch import SnapshotPrefetch
from core.progress import PARTIAL_EVERY_SECONDS, LoadProgress, ProgressHandler
from core.read import MAX_FILE_BYTES, DecompressionBudget, default_max_decompressed, inflates
from core.reuse import reusable, row_ranges, unchanged
from core.snapshot import (
    SNAPSHOT_SCHEMA,
    FileSignature,
    SnapshotStore,
    StoredCorpus,
    StoredFile,
    snapshot_path,
)
from core.table_pool import LanguageFill, LanguagesDue, TablePool
from core.walk import SignedFile as _SignedFile
from core.walk import iter_files, signed_files

_log = logging.getLogger(__name__)

BATCH_BYTES = 1024 * 1024
BATCH_FILES = 256
"""Files are parsed in batches of up to this many bytes or files: one task for a worker,
one frame of rows. Small enough that a cancel is prompt and the first rows come early."""
ROWS_PER_FRAME = 4096
"""Rows of files read in this process are moved into a frame this many at a time."""


def load_corpus(
    paths: Sequence[Path],
    on_skip: SkipHandler | None = None,
    *,
    use_snapshot: bool = True,
    warn: Warn | None = None,
    progress: ProgressHandler | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
    pool_min_bytes: int | None = None,
    body_limit: int | None = None,
    prefetched: SnapshotPrefetch | None = None,
    save_in_background: bool = False,
    save_after: threading.Event | None = None,
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

    When at least `pool_min_bytes` (None: POOL_MIN_BYTES) are to be parsed, `workers`
    processes (None: one per CPU; 1: none) parse them; the result is the same as in one
    process. Callers' main modules must then be importable without side effects (`if
    __name__ == "__main__"`), as for any spawn-started process.

    `body_limit`: when the answer is a snapshot with more body text than this many bytes,
    its articles come without the `body` column, to be read by row with core.bodies from
    `core.snapshot.snapshot_path(paths)`; partial corpora reported from it likewise.

    `prefetched`: the snapshot already being read (`core.prefetch`), used when it is of these
    `paths` and `body_limit`.

    `save_in_background`: the corpus is returned while its snapshot (its sightings, then its
    articles file) is still to be written, on a thread of its own (`core.snapshot.wait_for_save` waits for it; this
    process's next load of these paths does, and so does the interpreter's exit); with
    `save_after`, the writing starts once that is set (the rows are on screen).

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
    files = signed_files(paths, report, follow_links)
    if stored is not None and unchanged(files, stored.files):
        for file, _, _ in files:
            reason = stored.files[file].skipped
            if reason is not None:
                report(Skipped(file, reason))
        if progress is not None:
            size = sum(_readable_size(signature, path) for _, path, signature in files)
            progress(LoadProgress(len(files), len(files), size, size, time.perf_counter() - started, None))
        return Corpus(stored.articles, pl.DataFrame(schema=KEYWORD_SCHEMA))
    budget = DecompressionBudget(default_max_decompressed() if max_decompressed is None else max_decompressed)
    plan = _Plan(
        worker_count() if workers is None else max(1, workers),
        POOL_MIN_BYTES if pool_min_bytes is None else pool_min_bytes,
        warn,
        budget,
    )
    deduplicator, table = _sightings(files, stored, store, report, progress, cancel, plan)
    complete = cancel is None or not cancel.is_set()
    articles = deduplicator.articles()
    if store is not None and complete:
        first, repeats = (
            frame if frame.width else pl.DataFrame(schema={SIGHTING_ORDER: pl.UInt32(), **SNAPSHOT_SCHEMA})
            for frame in deduplicator.sightings()
        )
        del deduplicator  # what it kept is in `articles`, `first` and `repeats` now
        if save_in_background:
            store.save_in_background((first, repeats), articles, table.files, after=save_after)
        else:
            generation = store.save_sightings(first, repeats)
            del first, repeats
            if generation is not None:
                store.save(articles, table.files, generation)
    return Corpus(articles, pl.DataFrame(schema=KEYWORD_SCHEMA))


@dataclass
class _FileTable:
    """What the load saw of every file, for the next snapshot."""

    files: dict[str, StoredFile]


@dataclass(frozen=True, slots=True)
class _Plan:
    """How files are parsed: `workers` processes once `pool_min_bytes` are to be parsed."""

    workers: int
    pool_min_bytes: int
    warn: Warn
    budget: DecompressionBudget
    """Files that inflate are read in this process, against this budget (never by a pool)."""


def parse_batch(tasks: Sequence[_FileTask], memo: RowMemo | None = None) -> ParsedBatch:
    """Read, parse, clean and identify a batch of files into one frame of sightings."""
    rows = FileRows({} if memo is None else memo)
    counts = [rows.read(task) for task in tasks]
    return ParsedBatch(rows.take_frame(), counts)


_worker_memo: RowMemo = {}
"""Repeats remembered across the batches one pool worker parses (it lives for one load)."""


def _parse_in_worker(job: WorkerJob) -> str:
    """Parse a batch in a pool worker; only the name of the file its result is in goes back."""
    tasks, folder = job
    return hand_back(parse_batch(tasks, _worker_memo), folder)


def _task(file: str, path: str, signature: FileSignature) -> _FileTask:
    # Absolute: a worker's working directory need not be ours.
    return (file, os.path.abspath(path), signature.size, signature.mtime_ns)


def _batches(files: list[_SignedFile]) -> list[list[_FileTask]]:
    """Consecutive files in batches of up to BATCH_BYTES or BATCH_FILES."""
    batches: list[list[_FileTask]] = []
    batch: list[_FileTask] = []
    size = 0
    for file, path, signature in files:
        readable = _readable_size(signature, path)
        if batch and (size + readable > BATCH_BYTES or len(batch) >= BATCH_FILES):
            batches.append(batch)
            batch, size = [], 0
        batch.append(_task(file, path, signature))
        size += readable
    if batch:
        batches.append(batch)
    return batches


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
        if previous is not None and reusable(previous, signature):
            reused.append(file)
            table.files[file] = previous
            if previous.skipped is not None:
                report(Skipped(file, previous.skipped))
    kept = (
        store.load_sightings(stored.generation, [f for f in reused if known[f].skipped is None])
        if store is not None and stored is not None
        else pl.DataFrame(schema=SNAPSHOT_SCHEMA)
    )
    kept_rows = row_ranges(kept)
    kept_files = set(kept_rows) | {f for f in reused if known[f].skipped is not None}
    deduplicator = Deduplicator(keep_repeats=store is not None)
    tables = TablePool(plan.workers, plan.pool_min_bytes, plan.warn, cancel)
    tracker = _Tracker(files, progress, deduplicator, cancel, tables)
    to_parse = [entry for entry in files if entry[0] not in kept_files]
    # Compressed files spend one budget, and large tables report rows as they come: both
    # are read here, in walk order, even when a pool parses the rest.
    to_pool = [entry for entry in to_parse if not _read_here(entry[1], entry[2])]
    batches = _batches(to_pool)
    pool_pays = sum(_readable_size(signature, path) for _, path, signature in to_pool) >= plan.pool_min_bytes
    parsed = (
        pooled(batches, parse_batch, _parse_in_worker, plan.workers, plan.warn, cancel)
        if plan.workers > 1 and len(batches) > 1 and pool_pays
        else None
    )
    batch: ParsedBatch | None = None
    at = offset = 0
    try:
        for file, path, signature in files:
            if cancel is not None and cancel.is_set():
                break
            if file in kept_rows:
                start, length = kept_rows[file]
                tracker.add(kept, start, length)
                tracker.file_done(signature, path)
                continue
            if file in kept_files:
                tracker.file_done(signature, path)
                continue
            if parsed is None or _read_here(path, signature):
                reasons = tracker.read(_task(file, path, signature), plan.budget)
                if cancel is not None and cancel.is_set():
                    break  # perhaps while a large table was read: it is not done
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
            tracker.file_done(signature, path)
    finally:
        if parsed is not None:
            parsed.close()
    tracker.finish()
    return deduplicator, table


def _readable_size(signature: FileSignature, path: str) -> int:
    return signature.size if signature.size <= MAX_FILE_BYTES or is_table(path) else 0


def _read_here(path: str, signature: FileSignature) -> bool:
    """Whether the file is read in this process even when a pool parses the others: a file
    that inflates (one decompression budget for the corpus) or a large table, read in
    batches whose rows are reported as they come."""
    return inflates(path) or (is_table(path) and signature.size > BATCH_BYTES)


class _Tracker:
    """Feeds rows to the de-duplicator and reports progress, with the corpus so far now and then.

    Rows of files read here wait as Python values until there are ROWS_PER_FRAME of them or
    a partial corpus is due: making a frame per file would cost more than parsing it.
    """

    def __init__(
        self,
        files: list[_SignedFile],
        progress: ProgressHandler | None,
        deduplicator: Deduplicator,
        cancel: threading.Event | None = None,
        tables: TablePool | None = None,
    ) -> None:
        self._progress = progress
        self._cancel = cancel
        self._deduplicator = deduplicator
        self._here = FileRows({}, tables)
        self._run: tuple[pl.DataFrame, int, int] | None = None
        """Rows of one frame, file after file, not yet handed on: one slice for them all,
        not one a file (20,000 of them at 100k pages)."""
        self._files_total = len(files)
        # Files over the limit are refused unread: counting them would skew rate and time left.
        self._bytes_total = sum(_readable_size(signature, path) for _, path, signature in files)
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
        counted = 0

        def between(rows: int, at: int) -> bool:
            nonlocal counted
            counted += rows
            self.added += rows
            if len(self._here) >= ROWS_PER_FRAME:
                self._flush()
            self._report(self._bytes_done + at, last=False)
            return self._cancel is None or not self._cancel.is_set()

        first_row = self.added  # the file's first row among every row of the load

        def languages(item: LanguagesDue | LanguageFill) -> None:
            self._flush()  # the rows filled are the de-duplicator's before their languages
            if isinstance(item, LanguageFill):
                self._deduplicator.fill_languages(first_row + item.first_row, item.languages)
                return
            # Every row is in: shown now, when this is the last file, with no wait for the languages.
            if self._files_done + 1 == self._files_total:
                self._report(self._bytes_total, last=True, languages_due=True)

        file, path, size, mtime_ns = task
        # As a pool reads it (reports at the end) unless it is a large table, never pooled.
        batched = is_table(path) and size > BATCH_BYTES
        reasons, rows = self._here.read(task, budget, between if batched else None, languages if batched else None)
        self.added += rows - counted
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

    def file_done(self, signature: FileSignature, path: str) -> None:
        self._files_done += 1
        self._bytes_done += _readable_size(signature, path)
        self._report(self._bytes_done, last=self._files_done == self._files_total)

    def _report(self, bytes_done: int, last: bool, languages_due: bool = False) -> None:
        """Progress, with the corpus so far when one is due (and at the `last` file); also
        between the batches of a large table, so its first rows show before it is read,
        and once its last file's rows are all in while some of their languages are to come
        (`languages_due`)."""
        if self._progress is None:
            return
        now = time.perf_counter()
        due = self._last_partial is None or now - self._last_partial >= self._partial_interval
        partial = None
        if languages_due or ((due or last) and (self.added > self._added_at_partial or self._last_partial is None)):
            self._added_at_partial = self.added
            if self._last_partial is not None:
                # Space partials out as the load grows: each makes the screen rebuild its view.
                self._partial_interval *= 2
            self._last_partial = now
            self._flush()
            partial = Corpus(self._deduplicator.articles(), pl.DataFrame(schema=KEYWORD_SCHEMA))
        self._progress(
            LoadProgress(
                self._files_done, self._files_total, bytes_done, self._bytes_total,
                now - self._started, partial, languages_due,
            )
        )


def _ignore_skip(skipped: Skipped) -> None:
    """The default skip handler: the caller did not ask to hear about skipped files."""


def _read_reporting(path: Path, report: SkipHandler, budget: DecompressionBudget) -> list[RawArticle]:
    """The file's articles, or [] after reporting why it contributes none."""
    shown = display_path(path)
    reasons: list[str] = []
    articles = read_collecting(path, shown, reasons, budget)
    for reason in reasons:
        report(Skipped(shown, reason))
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
    budget = DecompressionBudget(default_max_decompressed() if max_decompressed is None else max_decompressed)
    for path in iter_files(paths, report, follow_links=follow_links):
        yield from _read_reporting(path, report, budget)
