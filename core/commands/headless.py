"""The commands that need no screen: `parse` (and `parse --audit`), `keywords`, `index`,
`kwic` and `config`. Each takes the parsed arguments (with `config`, `config_file`,
`interface` and `after` set by `core.commands.main`) and returns the exit code."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from core.commands.arguments import UsageError
from core.commands.inputs import apply_where, existing_paths, load, parse_where
from core.commands.report import ProgressBar, report_error, report_skip, report_warning
from core.config import config_path
from core.sanitize import for_display

if TYPE_CHECKING:
    import polars as pl

    from core.corpus import Corpus
    from core.index import IndexResult


def run_parse(args: argparse.Namespace) -> int:
    from core.output import write_frame

    if args.audit:
        return _run_audit(args)
    if args.format == "table":
        raise UsageError("--format table is for --audit (records are printed as jsonl, csv or parquet)")
    query = parse_where(args)
    corpus = load(args)
    write_frame(apply_where(args, query, corpus), args.format or "jsonl", args.output, args.paths)
    return 0


def _run_audit(args: argparse.Namespace) -> int:
    from core.audit import audit_frame, audit_paths, summary_frame
    from core.output import write_frame

    if args.where is not None:
        raise UsageError("--audit accounts for every file's words: it cannot be combined with --where")
    audit = audit_paths(existing_paths(args.paths), on_skip=report_skip)
    fmt = args.format or "table"
    write_frame(summary_frame(audit) if fmt == "table" else audit_frame(audit), fmt, args.output, args.paths)
    return 0


def _index(args: argparse.Namespace, show_progress: bool) -> tuple[Corpus, IndexResult]:
    from core.index import run_index

    corpus = load(args)
    bar = ProgressBar() if show_progress and sys.stderr.isatty() else None
    result = run_index(
        corpus.articles, engine=args.engine, top=args.config.top, progress=bar, warn=report_warning,
        cluster=getattr(args, "cluster", None),
    )
    if bar is not None:
        bar.close()
    return corpus, result


def run_keywords(args: argparse.Namespace) -> int:
    import polars as pl

    from core.output import write_frame
    from core.aggregate import aggregate_keywords

    if args.top is not None and args.top < 1:
        raise UsageError("--top must be at least 1")
    if args.distinctive and args.where is None:
        raise UsageError("--distinctive needs --where FILTER (the articles to compare with the rest)")
    if args.distinctive and args.per_article:
        raise UsageError("--distinctive and --per-article cannot be combined")
    query = parse_where(args)
    corpus, result = _index(args, show_progress=False)
    keywords = result.keywords
    subset = apply_where(args, query, corpus, keywords).get_column("id")
    if args.distinctive:
        frame = _distinctive(corpus, keywords, subset, args.top or 20)
    elif args.per_article:
        keywords = keywords.filter(pl.col("id").is_in(subset.implode()))
        titles = corpus.articles.select("id", "title")
        frame = keywords.join(titles, on="id", how="left", maintain_order="left")
        frame = frame.filter(pl.col("rank") <= (args.top or args.config.top)).select("id", "title", "rank", "keyword", "score")
    else:
        ids = None if subset.len() == corpus.articles.height else subset
        frame = aggregate_keywords(keywords, ids=ids, top=args.top or 20)
    write_frame(frame, args.format, None)
    return 0


def _distinctive(corpus: Corpus, keywords: pl.DataFrame, subset: pl.Series, top: int) -> pl.DataFrame:
    from core.keyness import distinctive_keywords

    if subset.is_empty():
        report_warning("the filter matches no article: nothing is distinctive")
    elif subset.len() == corpus.articles.height:
        report_warning("the filter matches every article: there is no rest to compare with")
    return distinctive_keywords(corpus.articles, keywords, subset, top=top)


def run_index(args: argparse.Namespace) -> int:
    def first_index() -> None:
        _corpus, result = _index(args, show_progress=True)
        print(for_display(result.summary()), file=sys.stderr)

    if getattr(args, "watch", False):
        from core.commands.watching import run_index_watch

        return run_index_watch(args, first_index)
    first_index()
    return 0


KWIC_TERM_CHARS = 2_000
"""The longest TERM: its regex would pass the engine's size limit."""
KWIC_MAX_WIDTH = 10_000
"""The widest context: each line is padded to it, and a huge width filled memory."""


def run_kwic(args: argparse.Namespace) -> int:
    from core.kwic import concordance_line, kwic

    if args.width < 0:
        raise UsageError("--width must be at least 0")
    if args.width > KWIC_MAX_WIDTH:
        raise UsageError(f"--width must be at most {KWIC_MAX_WIDTH:,}")
    if not args.term.strip():
        raise UsageError("TERM must hold a word or phrase")
    if len(args.term) > KWIC_TERM_CHARS:
        raise UsageError(f"TERM is too long ({len(args.term):,} characters; at most {KWIC_TERM_CHARS:,})")
    query = parse_where(args)
    corpus = load(args)
    lines = kwic(apply_where(args, query, corpus), args.term, args.width)
    if lines.is_empty():
        # Said, not silent: an empty stdout and exit 0 read as "the command did nothing".
        report_error(f'no occurrences of "{args.term}"')
        return 1
    for row in lines.iter_rows(named=True):
        left, match, right = concordance_line(row["left"], row["match"], row["right"], args.width)
        print(f"{left}{match}{right}  {for_display(row['id'], one_line=True)}")
    return 0


def run_config(args: argparse.Namespace) -> int:
    """The effective config as TOML, or its file's path, or (from the interface, which
    knows every widget's bindings) the binding ids and their keys. With an interface there to
    know the bindings, a `[keys]` table is checked against them: each problem is a warning
    line on stderr, and only the keys in effect are printed."""
    if args.path:
        print(for_display(config_path(args.config_file)))
        return 0
    if args.bindings and args.interface is None:
        raise UsageError("config --bindings needs the dashboard's bindings: run newsdesk config --bindings")
    config = args.config
    if args.interface is not None:
        for problem in args.interface.keymap_problems(config):
            report_warning(problem)
        config = replace(config, keys=dict(args.interface.effective_keys(config)))
    if args.bindings:
        for ident, keys, description in args.interface.binding_rows(args.config):
            print(for_display(f"{ident:<22} {keys:<24} {description}", one_line=True))
        return 0
    sys.stdout.write(config.to_toml())
    return 0
