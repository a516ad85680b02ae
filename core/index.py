"""Keyword extraction over a corpus: cache first, then a process pool over what is missing.

`index_keywords(articles)` returns the KEYWORD_SCHEMA frame for every article. Cached keyword
lists are loaded first; the remaining articles are extracted in chunks by a spawn-based
process pool (one Extractor per worker), or in this process when there are too few to pay
for the pool's start-up. Finished chunks go to the cache in batches as they complete, so a
killed run loses at most one batch. Callers watch `progress` (done/total, docs/s, cached),
receive partial results through `on_batch`, and stop early by setting `cancel`.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from core.atomic import Warn
from core.cache import KeywordCache, log_warning
from core.cluster import cluster_executor, cluster_workers
from core.corpus import KEYWORD_SCHEMA
from core.parallel import start_resource_tracker
from core.keyword_engines import DEFAULT_ENGINE, ENGINES
from core.keyword_rules import Keyword
from core.keywords import (
    TOP_DEFAULT,
    ArticleTask,
    Extractor,
    ExtractorParams,
    extract_batch,
    extract_batch_with,
    init_worker,
)

# Below this many uncached articles the pool's start-up (worker interpreters importing the
# engine) costs more than the parallelism saves (docs/decisions.md, "Keyword extraction").
POOL_MIN_DOCS = 200
MAX_CHUNK = 64
MIN_CHUNK = 4
# Results are written to the cache once this many are waiting, or this often.
FLUSH_DOCS = 256
FLUSH_SECONDS = 2.0
# How often a waiting run looks at `cancel`.
CANCEL_POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class Progress:
    """Where an indexing run is: `done` of `total` articles, `cached` of them from the cache."""

    done: int
    total: int
    cached: int
    elapsed: float

    @property
    def extracted(self) -> int:
        return self.done - self.cached

    @property
    def docs_per_s(self) -> float:
        """Throughput of the whole run so far (cached articles included)."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass(frozen=True, slots=True)
class IndexResult:
    """The keywords frame (KEYWORD_SCHEMA) and the run's final progress."""

    keywords: pl.DataFrame
    progress: Progress
    cancelled: bool

    def summary(self) -> str:
        """One line: `indexed N articles (E extracted, C cached) in S s, R docs/s`."""
        p = self.progress
        verb = "cancelled after" if self.cancelled else "indexed"
        return (
            f"{verb} {p.done} articles ({p.extracted} extracted, {p.cached} cached) "
            f"in {p.elapsed:.1f}s, {p.docs_per_s:.0f} docs/s"
        )


ProgressCallback = Callable[[Progress], None]
BatchCallback = Callable[[pl.DataFrame], None]
BodyLoader = Callable[[pl.Series], pl.Series]
"""Bodies of the articles with these ids, in that order (null for one no longer found)."""


def keywords_frame(results: dict[str, Sequence[Keyword]]) -> pl.DataFrame:
    """KEYWORD_SCHEMA rows for keyword lists by article id (rank 1 = first)."""
    rows = [
        (ident, rank, kw.keyword, kw.key, kw.score)
        for ident, keywords in results.items()
        for rank, kw in enumerate(keywords, 1)
    ]
    return pl.DataFrame(rows, schema=KEYWORD_SCHEMA, orient="row")


def _cached_keywords(segments: pl.DataFrame) -> pl.DataFrame:
    """The cache's one-row-per-article frame as KEYWORD_SCHEMA rows."""
    if not segments.height:
        return pl.DataFrame(schema=KEYWORD_SCHEMA)
    exploded = segments.explode("keywords").drop_nulls("keywords").unnest("keywords")
    return exploded.select(
        "id",
        pl.int_range(1, pl.len() + 1, dtype=pl.UInt32()).over("id").alias("rank"),
        "keyword",
        "key",
        "score",
    ).cast(KEYWORD_SCHEMA)


def _chunk_size(count: int, workers: int) -> int:
    return max(MIN_CHUNK, min(MAX_CHUNK, math.ceil(count / (workers * 8))))


def _chunks(tasks: list[ArticleTask], size: int) -> Iterator[list[ArticleTask]]:
    for start in range(0, len(tasks), size):
        yield tasks[start : start + size]


class _Run:
    """The bookkeeping of one indexing run: progress, batched cache writes, callbacks."""

    def __init__(
        self,
        cache: KeywordCache,
        total: int,
        cached: int,
        progress: ProgressCallback | None,
        on_batch: BatchCallback | None,
        flush_every: int = FLUSH_DOCS,
    ) -> None:
        self.cache = cache
        self.flush_every = flush_every
        self.total = total
        self.cached = cached
        self.done = cached
        self.started = time.perf_counter()
        self.results: dict[str, list[Keyword]] = {}
        self._pending: dict[str, list[Keyword]] = {}
        self._last_flush = self.started
        self._progress = progress
        self._on_batch = on_batch

    def report(self) -> Progress:
        snapshot = Progress(self.done, self.total, self.cached, time.perf_counter() - self.started)
        if self._progress is not None:
            self._progress(snapshot)
        return snapshot

    def add(self, batch: list[tuple[str, list[Keyword]]]) -> None:
        fresh = dict(batch)
        self.results.update(fresh)
        self._pending.update(fresh)
        self.done += len(fresh)
        if len(self._pending) >= self.flush_every or time.perf_counter() - self._last_flush >= FLUSH_SECONDS:
            self.flush()
        if self._on_batch is not None:
            self._on_batch(keywords_frame(fresh))
        self.report()

    def flush(self) -> None:
        if self._pending:
            self.cache.write(self._pending)
            self._pending = {}
        self._last_flush = time.perf_counter()


def _run_here(tasks: list[ArticleTask], params: ExtractorParams, run: _Run, cancel: threading.Event | None) -> bool:
    """Extract in this process; False when cancelled."""
    extractor = Extractor(params)
    for chunk in _chunks(tasks, min(MIN_CHUNK * 2, run.flush_every)):
        if cancel is not None and cancel.is_set():
            return False
        run.add([(ident, extractor.extract(title, body, lang)) for ident, title, body, lang in chunk])
    return True


def _pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where there is one, else spawn; never plain fork.

    fork would copy the caller's threads' held locks (the TUI is threaded). spawn re-imports
    the caller's main module in every worker (slow for the CLI); forkserver does that
    once, then forks each worker from its clean single-threaded server.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["core.keywords"])
        return context
    return multiprocessing.get_context("spawn")


def _run_pool(
    tasks: list[ArticleTask], params: ExtractorParams, workers: int, run: _Run, cancel: threading.Event | None
) -> bool:
    """Extract with a spawn-based process pool; False when cancelled."""
    start_resource_tracker()
    context = _pool_context()
    executor = ProcessPoolExecutor(workers, mp_context=context, initializer=init_worker, initargs=(params,))
    completed = False
    try:
        chunks = _chunks(tasks, _chunk_size(len(tasks), workers))
        completed = _drain([executor.submit(extract_batch, chunk) for chunk in chunks], run, cancel)
        return completed
    finally:
        executor.shutdown(wait=completed, cancel_futures=True)


def _drain(submitted: list[Future[list[tuple[str, list[Keyword]]]]], run: _Run, cancel: threading.Event | None) -> bool:
    """Fold finished chunks into `run` as they complete; False (the rest cancelled) when cancelled."""
    pending = set(submitted)
    try:
        while pending:
            if cancel is not None and cancel.is_set():
                return False
            finished, pending = wait(pending, timeout=CANCEL_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in finished:
                run.add(future.result())
        return True
    finally:
        for future in pending:
            future.cancel()


def _run_cluster(
    tasks: list[ArticleTask], params: ExtractorParams, address: str, run: _Run, cancel: threading.Event | None
) -> bool:
    """Extract on the Dask cluster at `address`; False when cancelled."""
    with cluster_executor(address) as executor:
        chunks = _chunks(tasks, _chunk_size(len(tasks), cluster_workers(executor)))
        return _drain([executor.submit(extract_batch_with, params, chunk) for chunk in chunks], run, cancel)


def _run_pool_or_here(
    tasks: list[ArticleTask],
    params: ExtractorParams,
    workers: int,
    run: _Run,
    cancel: threading.Event | None,
    warn: Warn,
) -> bool:
    """The pool; if it cannot start or a worker dies, the rest is extracted in this process."""
    try:
        return _run_pool(tasks, params, workers, run, cancel)
    except (BrokenProcessPool, OSError) as error:
        warn(f"keyword pool failed ({type(error).__name__}: {error}); extracting in one process")
    rest = [task for task in tasks if task[0] not in run.results]
    return _run_here(rest, params, run, cancel)


def run_index(
    articles: pl.DataFrame,
    *,
    engine: str = DEFAULT_ENGINE,
    top: int = TOP_DEFAULT,
    processes: int | None = None,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    on_batch: BatchCallback | None = None,
    cancel: threading.Event | None = None,
    warn: Warn | None = None,
    flush_every: int = FLUSH_DOCS,
    cluster: str | None = None,
    bodies: BodyLoader | None = None,
) -> IndexResult:
    """Keywords for every article of `articles` (needs id, title, body, language), with stats.

    `processes`: pool size (None: every core; 1: no pool). `cache_dir`: cache root (None:
    `paths.cache_dir()`). `on_batch` receives each new chunk's KEYWORD_SCHEMA rows (the
    cached ones first, as one frame). After `cancel` is set the run stops at the next chunk
    and returns what it has, all of it cached. New results are written to the cache every
    `flush_every` articles (or FLUSH_SECONDS), so a killed run loses at most that many.
    `cluster`: the address of a Dask scheduler to extract on instead of local processes
    (raises ClusterError when it cannot be used). `bodies`: for `articles` without a body
    column, gives the bodies of the given ids in that order; asked only for the articles
    whose keywords are not cached.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown keyword engine {engine!r} (choose from {', '.join(ENGINES)})")
    params = ExtractorParams(engine=engine, top=top, fallback_language=majority_language(articles))
    cache = KeywordCache(params, cache_dir, warn)
    with_body = "body" in articles.columns
    if not with_body and bodies is None:
        raise ValueError("articles without a body column need `bodies`")
    columns = ["id", "title", "body", "language"] if with_body else ["id", "title", "language"]
    unique = articles.select(columns).unique(subset="id", keep="first", maintain_order=True)
    segments = cache.load_frame()
    hits = segments.filter(pl.col("id").is_in(unique["id"].implode()))
    cached = _cached_keywords(hits)
    missing = unique.filter(~pl.col("id").is_in(hits["id"].implode()))
    run = _Run(cache, unique.height, hits.height, progress, on_batch, flush_every)
    if on_batch is not None and cached.height:
        on_batch(cached)
    run.report()
    if not with_body and bodies is not None:
        missing = missing.insert_column(2, bodies(missing.get_column("id")).fill_null("").alias("body"))
    tasks: list[ArticleTask] = list(missing.iter_rows())
    workers = min(processes or os.cpu_count() or 1, max(1, len(tasks) // MIN_CHUNK))
    try:
        if cluster is not None:
            completed = _run_cluster(tasks, params, cluster, run, cancel) if tasks else True
        elif len(tasks) < POOL_MIN_DOCS or workers <= 1:
            completed = _run_here(tasks, params, run, cancel)
        else:
            completed = _run_pool_or_here(tasks, params, workers, run, cancel, warn or log_warning)
    finally:
        run.flush()
    cache.compact()
    frame = _ordered(pl.concat([cached, keywords_frame(run.results)], how="vertical"), unique["id"])
    return IndexResult(frame, run.report(), cancelled=not completed)


def majority_language(articles: pl.DataFrame) -> str | None:
    """The corpus's most common detected language (ties: the first code), for misdetected texts."""
    if "language" not in articles.columns:
        return None
    counts = articles.get_column("language").drop_nulls().value_counts()
    if counts.is_empty():
        return None
    return str(counts.sort(["count", "language"], descending=[True, False]).item(0, "language"))


def _ordered(keywords: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """Rows in article order, then rank."""
    order = pl.DataFrame({"id": ids, "_order": pl.int_range(0, ids.len(), eager=True)})
    return keywords.join(order, on="id", how="inner").sort("_order", "rank").drop("_order")


def index_keywords(
    articles: pl.DataFrame,
    *,
    engine: str = DEFAULT_ENGINE,
    top: int = TOP_DEFAULT,
    processes: int | None = None,
    cache_dir: Path | None = None,
    progress: ProgressCallback | None = None,
    on_batch: BatchCallback | None = None,
    cancel: threading.Event | None = None,
    warn: Warn | None = None,
    bodies: BodyLoader | None = None,
) -> pl.DataFrame:
    """The KEYWORD_SCHEMA frame for `articles`; see `run_index` for the arguments."""
    return run_index(
        articles,
        engine=engine,
        top=top,
        processes=processes,
        cache_dir=cache_dir,
        progress=progress,
        on_batch=on_batch,
        cancel=cancel,
        warn=warn,
        bodies=bodies,
    ).keywords
