"""`newsdesk index --watch PATH...`: keep the keyword cache and the corpus snapshot current
while scrapers write into the folders, so the next open is warm.

After the first index, each batch of changed files (`core.watch`) is loaded the way an open
loads (`core.ingest.load_corpus`: unchanged files come from the snapshot, only the batch's
are parsed) and the snapshot is saved before the next batch; the new articles' keywords are
extracted into the cache. One line per batch goes to stderr. Ctrl+C (SIGINT) or SIGTERM
stops the watch between batches, or ends the batch being read first: snapshot files are
written atomically, so the snapshot is the last batch's or the one before, never a mix.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from core.commands.inputs import existing_paths
from core.commands.report import report_skip, report_warning
from core.errors import Skipped
from core.sanitize import for_display


def batch_line(files: int, gone: int, added: int, removed: int) -> str:
    """"+3 files, 12 articles" (and what left, if anything did)."""
    line = f"+{files:,} file{'' if files == 1 else 's'}, {added:,} article{'' if added == 1 else 's'}"
    if gone or removed:
        line += f" (-{gone:,} file{'' if gone == 1 else 's'}, -{removed:,} article{'' if removed == 1 else 's'})"
    return line


def run_index_watch(args: argparse.Namespace, first_index: Callable[[], None]) -> int:
    """Watch `args.paths` until SIGINT or SIGTERM; `first_index()` runs once the watch is set up."""
    import polars as pl

    from core.index import run_index
    from core.ingest import load_corpus
    from core.watch import watch_batches

    paths = existing_paths(args.paths)
    stop = threading.Event()

    def stop_watching(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # asked twice: stop now
            raise KeyboardInterrupt
        stop.set()

    previous = {number: signal.signal(number, stop_watching) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        first_index()
        # A skipped file is said once (the first index said those it met), not at every batch:
        # again only when its reason changes.
        said: set[Skipped] = set()

        def report_new_skip(skipped: Skipped) -> None:
            if skipped not in said:
                said.add(skipped)
                report_skip(skipped)

        # Loaded again: files written while the first index ran are in its snapshot.
        ids = load_corpus(
            paths, on_skip=said.add, warn=report_warning, follow_links=args.follow_links,
            max_decompressed=args.config.max_decompressed_mib * 2**20,
        ).articles.get_column("id")

        def ready() -> None:
            print("newsdesk: watching for changes (Ctrl+C to stop)", file=sys.stderr, flush=True)

        for changes in watch_batches(paths, stop, report_warning, ready=ready):
            corpus = load_corpus(
                paths, on_skip=report_new_skip, warn=report_warning, follow_links=args.follow_links,
                max_decompressed=args.config.max_decompressed_mib * 2**20,
            )
            now = corpus.articles.get_column("id")
            new = corpus.articles.filter(~pl.col("id").is_in(ids.implode()))
            removed = int((~ids.is_in(now.implode())).sum())
            if new.height:
                run_index(new, engine=args.engine, top=args.config.top, processes=1, warn=report_warning)
            ids = now
            line = batch_line(len(changes.changed), len(changes.deleted), new.height, removed)
            print(for_display(line, one_line=True), file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    print("newsdesk: stopped watching; the snapshot is current", file=sys.stderr, flush=True)
    return 0

