"""The command line: `newsdesk [PATH...]` opens the app; subcommands run the engine headless.

    newsdesk [PATH...] [--follow-links]        open the TUI (no path: the bundled seeds/)
    newsdesk parse PATH... [--format jsonl|csv|parquet] [-o FILE] [--where FILTER]
    newsdesk parse --audit PATH... [--format table|jsonl|csv|parquet] [-o FILE]
    newsdesk keywords PATH... [--top N] [--per-article] [--format jsonl|csv|table] [--engine NAME]
                              [--where FILTER [--distinctive]]
    newsdesk index PATH...
    newsdesk kwic PATH... TERM [--width N] [--where FILTER]
    newsdesk serve [PATH...] [--port N] [--host ADDR] [--max-sessions N] [--public-url URL]
                                               the same TUI in a browser, behind a per-launch token
    newsdesk config [--path | --bindings]              the effective config as TOML / its file

`--config FILE` (anywhere before `--`) reads that config file instead of
`config.toml` in the config dir; the config gives the defaults for `--engine` and the
keywords per article, and the app's theme and keymap.
`--where FILTER` applies the filter language (DESIGN.md section 5) first, so a view of the
TUI can be reproduced in a script; a filter that does not parse is one line
`newsdesk: bad filter: MESSAGE: TERM`, exit 2. `parse` and `kwic` index keywords (cached)
only when the filter has a `kw:` term. `keywords --distinctive --where FILTER` prints
`keyword, key, docs_subset, docs_rest, g2, log_ratio`: the filtered articles against the rest.
Textual is imported only when the app opens, so headless commands start fast; Polars only
when a command reads a corpus or the app loads one (`--help` and `config` do without it, and
the app paints a stored first screen before it: `core.first_screen`). Every
failure is one line on stderr; a missing path exits 2; unreadable files are skipped with
`skipped PATH: reason` and the command still exits 0. Links in the folders that lead outside
the given paths are skipped so (a link to /etc/passwd is not read) unless `--follow-links`
is given (every command that takes paths, and the dashboard); paths named on the command
line are always read.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from core.cluster import ClusterError
from core.config import Config, ConfigError, config_path, load_config
from core.errors import OutputError
from core.sanitize import for_display

if TYPE_CHECKING:
    import polars as pl

    from core.corpus import Corpus
    from core.index import IndexResult, Progress
    from core.ingest import Skipped
    from core.query import Query

SUBCOMMANDS = ("parse", "keywords", "index", "kwic", "serve", "config")
EXIT_USAGE = 2
EXIT_FAILURE = 1


class UsageError(Exception):
    """A problem with what the user asked for: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block): exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {for_display(message, one_line=True)} (see {self.prog} --help)\n")


def _package_version() -> str:
    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "unknown"


def _report_skip(skipped: Skipped) -> None:
    # The reason can quote the file's own column names or keys, and comes back from the
    # snapshot on later runs: cleaned here, on its way to the terminal.
    print(f"skipped {for_display(Path(skipped.path))}: {for_display(skipped.reason, one_line=True)}", file=sys.stderr)


def _report_warning(message: str) -> None:
    print(f"newsdesk: warning: {for_display(message, one_line=True)}", file=sys.stderr)


def _report_error(error: object) -> None:
    print(f"newsdesk: {for_display(error, one_line=True)}", file=sys.stderr)


def _load(args: argparse.Namespace) -> Corpus:
    """The corpus of the command's paths; its snapshot is written while the command goes on."""
    from core.ingest import load_corpus

    return load_corpus(
        _existing_paths(args.paths), on_skip=_report_skip, warn=_report_warning, save_in_background=True,
        follow_links=args.follow_links, max_decompressed=args.config.max_decompressed_mib * 2**20,
    )


def _existing_paths(raw_paths: Sequence[str]) -> list[Path]:
    paths = [Path(p) for p in raw_paths]
    for path in paths:
        try:
            exists = path.exists()
        except OSError as error:  # in a folder we may not search
            raise UsageError(f"cannot read {for_display(path)}: {error.strerror or type(error).__name__}") from None
        if not exists:
            raise UsageError(f"no such file or directory: {for_display(path)}")
    return paths


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to read")
    _add_follow_links(parser)


def _add_follow_links(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--follow-links", action="store_true",
        help="also read what links in the folders lead to outside the given paths (by default they are skipped)",
    )


def _add_config_option(parser: argparse.ArgumentParser) -> None:
    # `main` takes --config out of the arguments before parsing; this is for --help.
    parser.add_argument("--config", metavar="FILE", help="read this config file (default: config.toml in the config dir)")


def _take_config_option(arguments: list[str]) -> tuple[list[str], str | None]:
    """Remove `--config FILE` / `--config=FILE` (before any `--`) from `arguments`."""
    rest: list[str] = []
    chosen: str | None = None
    items = iter(arguments)
    for item in items:
        if item == "--":
            rest.append(item)
            rest.extend(items)
            break
        if item == "--config":
            chosen = next(items, None)
            if chosen is None:
                raise UsageError("--config needs a FILE")
        elif item.startswith("--config="):
            chosen = item.removeprefix("--config=")
        else:
            rest.append(item)
    return rest, chosen


def _build_parser(config: Config | None = None) -> argparse.ArgumentParser:
    config = config or Config()
    parser = _Parser(
        prog="newsdesk",
        description="Read and mine a corpus of scraped news articles.",
        epilog="Run without a subcommand to open the dashboard: newsdesk [PATH...]",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {_package_version()}")
    _add_config_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    parse = commands.add_parser("parse", help="print the parsed corpus, one record per article")
    _add_paths(parse)
    parse.add_argument("--format", choices=("jsonl", "csv", "parquet", "table"), help="default: jsonl (table with --audit)")
    parse.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _add_where(parse)
    parse.add_argument(
        "--audit", action="store_true", help="per file, the lines and words that went into no record, and why"
    )
    parse.set_defaults(run=_run_parse)

    _add_keyword_commands(commands, config)
    _add_remote_commands(commands)
    return parser


def _add_remote_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser("serve", help="serve the dashboard to a web browser (textual-serve)")
    serve.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to read (default: the bundled seeds/)")
    _add_follow_links(serve)
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="TCP port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--public-url", metavar="URL", help="the URL browsers reach the server by, when behind a proxy or tunnel")
    serve.add_argument("--max-sessions", type=int, metavar="N", help="browser sessions (app processes) at once (default: config max_sessions, 4)")
    serve.set_defaults(run=_run_serve)

    config = commands.add_parser("config", help="print the effective config as TOML (or where the file is)")
    config.add_argument("--path", action="store_true", help="print the config file's path only")
    config.add_argument("--bindings", action="store_true", help="list every binding id and its keys (for [keys])")
    config.set_defaults(run=_run_config)


def _add_keyword_commands(commands: argparse._SubParsersAction, config: Config) -> None:  # type: ignore[type-arg]
    from core.keywords import DEFAULT_ENGINE, ENGINES

    keywords = commands.add_parser("keywords", help="print the corpus's keywords (YAKE, cached)")
    _add_paths(keywords)
    keywords.add_argument(
        "--top", type=int, metavar="N", help=f"rows to print (default 20), or keywords per article (default and max: the config's top, {config.top})"
    )
    keywords.add_argument("--per-article", action="store_true", help="rows id, title, rank, keyword, score")
    keywords.add_argument("--format", choices=("jsonl", "csv", "table"), default="jsonl")
    keywords.add_argument("--engine", choices=ENGINES, default=config.engine or DEFAULT_ENGINE)
    _add_where(keywords)
    keywords.add_argument(
        "--distinctive", action="store_true",
        help="keywords over-represented in the --where subset against the rest (G2, log ratio)",
    )
    keywords.set_defaults(run=_run_keywords)

    index = commands.add_parser("index", help="extract and cache keywords, with a progress bar on stderr")
    _add_paths(index)
    index.add_argument("--engine", choices=ENGINES, default=config.engine or DEFAULT_ENGINE)
    index.add_argument(
        "--cluster", metavar="ADDRESS", help="extract on the Dask scheduler at ADDRESS (tcp://host:8786)"
    )
    index.set_defaults(run=_run_index)

    kwic = commands.add_parser("kwic", help="keyword-in-context lines for TERM")
    kwic.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to read")
    _add_follow_links(kwic)
    kwic.add_argument("term", metavar="TERM", help="a word or phrase (whole words, any case)")
    kwic.add_argument("--width", type=int, default=40, metavar="N", help="context characters each side")
    _add_where(kwic)
    kwic.set_defaults(run=_run_kwic)


def _build_tui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newsdesk",
        description="Open the newsdesk dashboard on PATHs (no path: the bundled sample corpus).",
        epilog=f"Headless commands: {', '.join(SUBCOMMANDS)} (newsdesk COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {_package_version()}")
    _add_config_option(parser)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to read")
    _add_follow_links(parser)
    parser.set_defaults(run=_run_tui)
    return parser


def _run_parse(args: argparse.Namespace) -> int:
    from core.output import write_frame

    if args.audit:
        return _run_audit(args)
    if args.format == "table":
        raise UsageError("--format table is for --audit (records are printed as jsonl, csv or parquet)")
    query = _parse_where(args)
    corpus = _load(args)
    write_frame(_apply_where(args, query, corpus), args.format or "jsonl", args.output, args.paths)
    return 0


def _run_audit(args: argparse.Namespace) -> int:
    from core.audit import audit_frame, audit_paths, summary_frame
    from core.output import write_frame

    if args.where is not None:
        raise UsageError("--audit accounts for every file's words: it cannot be combined with --where")
    audit = audit_paths(_existing_paths(args.paths), on_skip=_report_skip)
    fmt = args.format or "table"
    write_frame(summary_frame(audit) if fmt == "table" else audit_frame(audit), fmt, args.output, args.paths)
    return 0


def _add_where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--where", metavar="FILTER",
        help="only the articles matching FILTER, the filter bar's language, e.g. 'section:energy -kw:oil'"
        " (a filter starting with '-': --where=-FILTER)",
    )


def _parse_where(args: argparse.Namespace) -> Query | None:
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


def _apply_where(
    args: argparse.Namespace, query: Query | None, corpus: Corpus, keywords: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The corpus's articles matching `query`. Keywords are extracted (or read from the cache)
    only when the query has a `kw:` term and `keywords` were not given; the dashboard's
    bookmarks for these paths are read only for `kind:bookmarked`."""
    if query is None or query.is_empty:
        return corpus.articles
    bookmarks: set[str] = set()
    if query.uses_bookmarks:
        from core.state import StateStore

        bookmarks = StateStore(_existing_paths(args.paths), _report_warning).load().bookmarks
    if keywords is None and query.uses_keywords:
        from core.index import run_index
        from core.keywords import DEFAULT_ENGINE

        engine = getattr(args, "engine", None) or args.config.engine or DEFAULT_ENGINE
        keywords = run_index(corpus.articles, engine=engine, top=args.config.top, warn=_report_warning).keywords
    return query.apply(corpus.articles, keywords, bookmarks)


def _index(args: argparse.Namespace, show_progress: bool) -> tuple[Corpus, IndexResult]:
    from core.index import run_index

    corpus = _load(args)
    bar = _ProgressBar() if show_progress and sys.stderr.isatty() else None
    result = run_index(
        corpus.articles, engine=args.engine, top=args.config.top, progress=bar, warn=_report_warning,
        cluster=getattr(args, "cluster", None),
    )
    if bar is not None:
        bar.close()
    return corpus, result


class _ProgressBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self) -> None:
        self._drawn_at = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._drawn_at < 0.1 and progress.done < progress.total:
            return
        self._drawn_at = now
        filled = self.WIDTH * progress.done // max(progress.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {progress.done}/{progress.total} {progress.docs_per_s:.0f} docs/s")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()


def _run_keywords(args: argparse.Namespace) -> int:
    import polars as pl

    from core.output import write_frame
    from core.stats import aggregate_keywords

    if args.top is not None and args.top < 1:
        raise UsageError("--top must be at least 1")
    if args.distinctive and args.where is None:
        raise UsageError("--distinctive needs --where FILTER (the articles to compare with the rest)")
    if args.distinctive and args.per_article:
        raise UsageError("--distinctive and --per-article cannot be combined")
    query = _parse_where(args)
    corpus, result = _index(args, show_progress=False)
    keywords = result.keywords
    subset = _apply_where(args, query, corpus, keywords).get_column("id")
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
    from core.stats import distinctive_keywords

    if subset.is_empty():
        _report_warning("the filter matches no article: nothing is distinctive")
    elif subset.len() == corpus.articles.height:
        _report_warning("the filter matches every article: there is no rest to compare with")
    return distinctive_keywords(corpus.articles, keywords, subset, top=top)


def _run_index(args: argparse.Namespace) -> int:
    _corpus, result = _index(args, show_progress=True)
    print(for_display(result.summary()), file=sys.stderr)
    return 0


KWIC_TERM_CHARS = 2_000
KWIC_MAX_WIDTH = 10_000


def _run_kwic(args: argparse.Namespace) -> int:
    from core.stats import kwic

    if args.width < 0:
        raise UsageError("--width must be at least 0")
    if args.width > KWIC_MAX_WIDTH:  # each line is padded to it: a huge width filled memory
        raise UsageError(f"--width must be at most {KWIC_MAX_WIDTH:,}")
    if not args.term.strip():
        raise UsageError("TERM must hold a word or phrase")
    if len(args.term) > KWIC_TERM_CHARS:  # its regex would pass the engine's size limit
        raise UsageError(f"TERM is too long ({len(args.term):,} characters; at most {KWIC_TERM_CHARS:,})")
    query = _parse_where(args)
    corpus = _load(args)
    for row in kwic(_apply_where(args, query, corpus), args.term, args.width).iter_rows(named=True):
        # The contexts keep their own spaces, so the match reads as running text.
        left, match, right = (for_display(row[part], one_line=True) for part in ("left", "match", "right"))
        print(f"{left:>{args.width}}{match}{right:<{args.width}}  {for_display(row['id'], one_line=True)}")
    return 0


def _run_tui(args: argparse.Namespace) -> int:
    from core.paths import bundled_seeds

    paths = _existing_paths(args.paths) if args.paths else [bundled_seeds()]
    from tui.launch import head_start

    first_screen, prefetched = head_start(paths)
    from tui.app import run_app

    return run_app(paths, config=args.config, prefetched=prefetched, first_screen=first_screen, follow_links=args.follow_links)


def _run_serve(args: argparse.Namespace) -> int:
    from core.config import MAX_SESSIONS_LIMIT
    from core.paths import bundled_seeds
    from tui.serve import public_url_problem, run

    if not 0 < args.port < 65536:
        raise UsageError("--port must be from 1 to 65535")
    max_sessions = args.config.max_sessions if args.max_sessions is None else args.max_sessions
    if not 0 < max_sessions <= MAX_SESSIONS_LIMIT:
        raise UsageError(f"--max-sessions must be from 1 to {MAX_SESSIONS_LIMIT}")
    if args.public_url is not None and (problem := public_url_problem(args.public_url)):
        raise UsageError(problem)
    paths = _existing_paths(args.paths) if args.paths else [bundled_seeds()]
    command = [sys.executable, "-m", "tui.cli"]
    if args.config_file is not None:
        command += ["--config", str(Path(args.config_file).resolve())]
    if args.follow_links:
        command.append("--follow-links")
    command += ["--", *(str(path.resolve()) for path in paths)]
    return run(command, host=args.host, port=args.port, max_sessions=max_sessions, public_url=args.public_url)


def _run_config(args: argparse.Namespace) -> int:
    if args.path:
        print(for_display(config_path(args.config_file)))
        return 0
    if args.bindings:
        import tui.app  # noqa: F401  (loads every widget and screen, so their bindings are known)
        from tui.configure import binding_rows

        for ident, keys, description in binding_rows(args.config):
            print(for_display(f"{ident:<22} {keys:<24} {description}", one_line=True))
        return 0
    if args.config.keys:
        import tui.app  # noqa: F401  (loads every widget and screen, so their bindings are known)
        from tui.configure import keymap_problems

        for problem in keymap_problems(args.config):
            _report_warning(problem)
    sys.stdout.write(args.config.to_toml())
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` script; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        arguments, config_file = _take_config_option(arguments)
        config = load_config(config_file)
    except (UsageError, ConfigError) as error:
        _report_error(error)
        return EXIT_USAGE
    is_subcommand = bool(arguments) and arguments[0] in SUBCOMMANDS
    parser = _build_parser(config) if is_subcommand or arguments[:1] in (["-h"], ["--help"]) else _build_tui_parser()
    args = parser.parse_args(arguments)
    args.config, args.config_file = config, config_file
    if args.run is not _run_tui:  # the app shows them as notifications
        for warning in config.warnings:
            _report_warning(warning)
        gc.enable()  # off for start-up (tui.launch); the dashboard switches it on at its first view
    try:
        code = int(args.run(args))
        # A command's snapshot is written when it returns, not only at exit. Only a command
        # that loaded core.snapshot can have saved one (`config` need not import Polars for this).
        snapshot = sys.modules.get("core.snapshot")
        if snapshot is not None:
            snapshot.wait_for_saves()
        return code
    except (UsageError, OutputError) as error:
        _report_error(error)
        return EXIT_USAGE
    except ClusterError as error:
        _report_error(error)
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Point stdout at /dev/null so the
        # interpreter's final flush does not fail (and turn the exit status into 120).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
