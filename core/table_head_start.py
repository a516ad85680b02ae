"""A large JSON-lines table's batches begun at launch, while the interface is imported.

Opening one large table cold, the first rows wait for the interface to be imported and
drawn, and while that keeps one core busy the others have nothing to do. The dashboard's
launch (`tui.cli.head_start`) calls `begin`: in a thread, the table's batches are found
(`core.table_spans`, which needs no Polars) and handed to a pool of worker processes that
run at a lower priority than the launch, every batch the first included, made as
`core.table_pool` makes them. When the load reaches the table, `core.table_pool` takes the
pool over (`claim`) if the file and its batches are still what they were, and else it is
stopped. A pool no load takes is stopped by `abandon`.

Only a file named alone on the command line is begun: a JSON-lines table (`.jsonl`,
`.ndjson`, or `.json` that is not one array), no link, at least the pool's `min_bytes`,
whose first batch is UTF-8 (a legacy codec is the first batch's to decide, in the load).
Delimited tables are not: finding where their batches end means reading them whole.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.parallel import POOL_FAILURES, WorkerPool
from core.paths import display_path
from core.table_spans import FIRST_BATCH_BYTES, Span, TableJob, line_spans, unsplittable

if TYPE_CHECKING:
    from core.table_jobs import JobResult, LanguageJob

HEAD_START_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
HEAD_START_WINDOW = 12
"""Batches in the workers' hands at once: enough to keep them busy until the load takes
the pool over (about 70 MB: the first batches are small)."""


def run_job(job: TableJob | LanguageJob) -> JobResult | list[str | None]:
    """A job done in a worker (`core.table_jobs.in_worker`); imported there,
    not here, so that beginning costs the launch no import of Polars or the readers."""
    from core.table_jobs import in_worker

    return in_worker(job)


@dataclass(frozen=True, slots=True)
class _Begun:
    jobs: tuple[TableJob, ...]
    size: int
    mtime_ns: int
    pool: WorkerPool[TableJob | LanguageJob, JobResult | list[str | None]]
    folder: str

    def stop(self) -> None:
        self.pool.close(now=True)
        shutil.rmtree(self.folder, ignore_errors=True)


_lock = threading.Lock()
_thread: threading.Thread | None = None
_begun: _Begun | None = None


def begin(paths: Sequence[Path], workers: int, min_bytes: int) -> None:
    """Begin the batches of the one large JSON-lines table `paths` names, if it does (see
    the module's docstring), in a thread; returns at once."""
    global _thread
    if len(paths) != 1 or workers < 2:
        return
    path = paths[0]
    if os.path.splitext(path.name.lower())[1] not in HEAD_START_SUFFIXES:
        return
    thread = threading.Thread(
        target=_begin, args=(path, workers, min_bytes), name="newsdesk-table-head-start", daemon=True
    )
    with _lock:
        if _thread is not None:
            return
        _thread = thread
    thread.start()


def _begin(path: Path, workers: int, min_bytes: int) -> None:
    global _begun
    folder: str | None = None
    try:
        if path.is_symlink():
            return
        status = path.stat()
        if not stat.S_ISREG(status.st_mode) or status.st_size < min_bytes:
            return
        absolute = str(path.resolve())
        spans = begun_spans(Path(absolute))
        if not spans:
            return
        with open(absolute, "rb") as handle:
            handle.read(spans[0].length).decode("utf-8")
        folder = tempfile.mkdtemp(prefix="newsdesk-table-")
        shown = display_path(path)
        suffix = os.path.splitext(path.name.lower())[1]
        jobs = tuple(TableJob(absolute, shown, suffix, span.offset, span.length, b"", None, folder) for span in spans)
        pool = WorkerPool(run_job, workers, window=HEAD_START_WINDOW, background=True)
    except (OSError, UnicodeDecodeError, *POOL_FAILURES):
        # Nothing is lost: the load reads the table as it would have without this.
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        pool.hand(jobs)
    except POOL_FAILURES:
        pool.close(now=True)
        shutil.rmtree(folder, ignore_errors=True)
        return
    with _lock:
        _begun = _Begun(jobs, status.st_size, status.st_mtime_ns, pool, folder)


def begun_spans(path: Path) -> list[Span]:
    """The batches a pool is begun on for the table at `path`, every one the first included;
    none for a file that is not begun on (not JSON lines, or one JSON array). Raises OSError."""
    if os.path.splitext(path.name.lower())[1] not in HEAD_START_SUFFIXES:
        return []
    with open(path, "rb") as handle:
        if unsplittable(handle.read(FIRST_BATCH_BYTES), delimited=False):
            return []
        return list(line_spans(handle, os.fstat(handle.fileno()).st_size))


def begun() -> bool:
    """Whether a pool was begun at launch (and not yet taken or stopped)."""
    with _lock:
        return _thread is not None and (_begun is not None or _thread.is_alive())


def _take() -> _Begun | None:
    """What was begun (once its thread is done), now the caller's; another `begin` may follow."""
    global _begun, _thread
    with _lock:
        thread = _thread
    if thread is None:
        return None
    thread.join()
    with _lock:
        begun, _begun = _begun, None
        if _thread is thread:
            _thread = None
    return begun


def claim(jobs: Sequence[TableJob]) -> tuple[WorkerPool[TableJob | LanguageJob, JobResult | list[str | None]], str] | None:
    """The pool begun at launch on these very jobs (wherever their sightings go), to be
    handed no more of them, and the folder its workers write to; None when none was begun
    on them (one begun on others, or on a file changed since, is stopped)."""
    begun = _take()
    if begun is None:
        return None
    try:
        status = os.stat(jobs[0].path) if jobs else None
    except OSError:
        status = None
    same = (
        status is not None
        and (status.st_size, status.st_mtime_ns) == (begun.size, begun.mtime_ns)
        and [job._replace(folder="") for job in begun.jobs] == [job._replace(folder="") for job in jobs]
    )
    if not same:
        begun.stop()
        return None
    return begun.pool, begun.folder


def abandon() -> bool:
    """Stop a pool begun at launch that no load has taken (the load is over, or the app);
    whether there was one."""
    begun = _take()
    if begun is None:
        return False
    begun.stop()
    return True
