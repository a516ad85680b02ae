"""The command line's grammar: every command's arguments (the dashboard's and `serve`'s too,
so `--help` answers without the interface), `--config FILE`, and the usage errors that are
one line and exit 2. Which code runs a command is `core.commands.run`'s business."""

from __future__ import annotations

import argparse
from importlib.metadata import PackageNotFoundError, version
from typing import NoReturn

from core.config import Config
from core.sanitize import for_display

SUBCOMMANDS = ("parse", "keywords", "index", "kwic", "serve", "config")
EXIT_USAGE = 2
EXIT_FAILURE = 1


class UsageError(Exception):
    """A problem with what the user asked for: reported as one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block): exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {for_display(message, one_line=True)} (see {self.prog} --help)\n")


def package_version() -> str:
    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "unknown"


def take_config_option(arguments: list[str]) -> tuple[list[str], str | None]:
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


def build_parser(config: Config | None = None) -> argparse.ArgumentParser:
    """The parser of `newsdesk COMMAND ...`; the parsed `command` names the subcommand."""
    config = config or Config()
    parser = _Parser(
        prog="newsdesk",
        description="Read and mine a corpus of scraped news articles.",
        epilog="Run without a subcommand to open the dashboard: newsdesk [PATH...]",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {package_version()}")
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

    _add_keyword_commands(commands, config)
    _add_remote_commands(commands)
    return parser


def build_dashboard_parser() -> argparse.ArgumentParser:
    """The parser of `newsdesk [PATH...]`; its `command` is None."""
    parser = _Parser(
        prog="newsdesk",
        description="Open the newsdesk dashboard on PATHs (no path: the bundled sample corpus).",
        epilog=f"Headless commands: {', '.join(SUBCOMMANDS)} (newsdesk COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {package_version()}")
    _add_config_option(parser)
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to read")
    _add_follow_links(parser)
    parser.set_defaults(command=None)
    return parser


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


def _add_where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--where", metavar="FILTER",
        help="only the articles matching FILTER, the filter bar's language, e.g. 'section:energy -kw:oil'"
        " (a filter starting with '-': --where=-FILTER); is:read, is:unread and is:bookmarked"
        " test the marks the dashboard saved for these paths",
    )


def _add_remote_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = commands.add_parser("serve", help="serve the dashboard to a web browser (textual-serve)")
    serve.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to read (default: the bundled seeds/)")
    _add_follow_links(serve)
    serve.add_argument("--port", type=int, default=8000, metavar="N", help="TCP port (default 8000)")
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDR", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--public-url", metavar="URL", help="the URL browsers reach the server by, when behind a proxy or tunnel")
    serve.add_argument("--max-sessions", type=int, metavar="N", help="browser sessions (app processes) at once (default: config max_sessions, 4)")

    config = commands.add_parser("config", help="print the effective config as TOML (or where the file is)")
    config.add_argument("--path", action="store_true", help="print the config file's path only")
    config.add_argument("--bindings", action="store_true", help="list every binding id and its keys (for [keys])")


def _add_keyword_commands(commands: argparse._SubParsersAction, config: Config) -> None:  # type: ignore[type-arg]
    from core.keyword_engines import DEFAULT_ENGINE, ENGINES

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

    index = commands.add_parser("index", help="extract and cache keywords, with a progress bar on stderr")
    _add_paths(index)
    index.add_argument("--engine", choices=ENGINES, default=config.engine or DEFAULT_ENGINE)
    index.add_argument(
        "--cluster", metavar="ADDRESS", help="extract on the Dask scheduler at ADDRESS (tcp://host:8786)"
    )
    index.add_argument(
        "--watch", action="store_true",
        help="then keep the cache and snapshot current as files change, until Ctrl+C or SIGTERM",
    )

    kwic = commands.add_parser("kwic", help="keyword-in-context lines for TERM")
    kwic.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to read")
    _add_follow_links(kwic)
    kwic.add_argument("term", metavar="TERM", help="a word or phrase (whole words, any case; between two words a possessive 's, a hyphen or quotes may stand; none found: exit 1)")
    kwic.add_argument("--width", type=int, default=40, metavar="N", help="context characters each side")
    _add_where(kwic)
