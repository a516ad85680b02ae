"""What the commands read: the paths named on the command line (a missing one is a usage
error), the corpus they make, and the `--where` filter applied to its articles."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.commands.arguments import UsageError
from core.commands.report import report_skip, report_warning
from core.sanitize import for_display

if TYPE_CHECKING:
    import polars as pl

    from core.corpus import Corpus
    from core.query import Query


def existing_paths(raw_paths: Sequence[str]) -> list[Path]:
    paths = [Path(p) for p in raw_paths]
    for path in paths:
        try:
            exists = path.exists()
        except OSError as error:  # in a folder we may not search
            raise UsageError(f"cannot read {for_display(path)}: {error.strerror or type(error).__name__}") from None
        if not exists:
            raise UsageError(f"no such file or directory: {for_display(path)}")
    return paths


def load(args: argparse.Namespace) -> Corpus:
    """The corpus of the command's paths. Its snapshot is written while the command goes on;
    the command's end waits for it (`args.after`), so it is written when the command returns,
    not only at exit."""
    from core.ingest import load_corpus
    from core.snapshot import wait_for_saves

    corpus = load_corpus(
        existing_paths(args.paths), on_skip=report_skip, warn=report_warning, save_in_background=True,
        follow_links=args.follow_links, max_decompressed=args.config.max_decompressed_mib * 2**20,
    )
    args.after.append(wait_for_saves)
    return corpus


def parse_where(args: argparse.Namespace) -> Query | None:
    """The parsed `--where` filter (None without one); a filter that does not parse is a
    UsageError naming the offending term."""
    from core.query import QueryError, parse_filter

    if args.where is None:
        return None
    query = parse_filter(args.where)
    if isinstance(query, QueryError):
        term = args.where[query.start : query.end]
        raise UsageError(f"bad filter: {query.message}: {term}")
    return query


def apply_where(
    args: argparse.Namespace, query: Query | None, corpus: Corpus, keywords: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The corpus's articles matching `query`. Keywords are extracted (or read from the cache)
    only when the query has a `kw:` term and `keywords` were not given; the dashboard's
    read marks and bookmarks for these paths are read only for `is:` terms."""
    if query is None or query.is_empty:
        return corpus.articles
    marks = None
    if query.uses_marks:
        from core.query_terms import Marks
        from core.state import StateStore

        state = StateStore(existing_paths(args.paths), report_warning).load()
        marks = Marks(read=frozenset(state.read), bookmarked=frozenset(state.bookmarks))
    if keywords is None and query.uses_keywords:
        from core.index import run_index
        from core.keyword_engines import DEFAULT_ENGINE

        engine = getattr(args, "engine", None) or args.config.engine or DEFAULT_ENGINE
        keywords = run_index(corpus.articles, engine=engine, top=args.config.top, warn=report_warning).keywords
    return query.apply(corpus.articles, keywords, marks)
