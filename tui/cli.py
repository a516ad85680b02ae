"""The command line: `newsdesk [PATH...]` opens the app; subcommands run the engine headless.

    newsdesk [PATH...]                         open the TUI (no path: the bundled seeds/)
    newsdesk parse PATH... [--format jsonl|csv|parquet] [-o FILE]
    newsdesk keywords PATH... [--top N] [--per-article] [--format jsonl|csv|table] [--engine NAME]
    newsdesk index PATH...
    newsdesk kwic PATH... TERM [--width N]

Textual is imported only when the app opens, so headless commands start fast. Every
failure is one line on stderr; a missing path exits 2; unreadable files are skipped with
`skipped PATH: reason` and the command still exits 0.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from core.ingest import Skipped, load_corpus
from core.output import OutputError, write_frame

SUBCOMMANDS = ("parse", "keywords", "index", "kwic")
EXIT_USAGE = 2


class UsageError(Exception):
    """A problem with what the user asked for: reported as one line, exit 2."""


def _package_version() -> str:
    try:
        return version("newsdesk")
    except PackageNotFoundError:
        return "unknown"


def _report_skip(skipped: Skipped) -> None:
    print(f"skipped {skipped.path}: {skipped.reason}", file=sys.stderr)


def _report_warning(message: str) -> None:
    print(f"newsdesk: warning: {message}", file=sys.stderr)


def _existing_paths(raw_paths: Sequence[str]) -> list[Path]:
    paths = [Path(p) for p in raw_paths]
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or directory: {path}")
    return paths


def _add_paths(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to read")


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Read and mine a corpus of scraped news articles.",
        epilog="Run without a subcommand to open the dashboard: newsdesk [PATH...]",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {_package_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    parse = commands.add_parser("parse", help="print the parsed corpus, one record per article")
    _add_paths(parse)
    parse.add_argument("--format", choices=("jsonl", "csv", "parquet"), default="jsonl")
    parse.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    parse.set_defaults(run=_run_parse)

    return parser


def _build_tui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsdesk",
        description="Open the newsdesk dashboard on PATHs (no path: the bundled sample corpus).",
        epilog=f"Headless commands: {', '.join(SUBCOMMANDS)} (newsdesk COMMAND --help).",
    )
    parser.add_argument("--version", action="version", version=f"newsdesk {_package_version()}")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories to read")
    parser.set_defaults(run=_run_tui)
    return parser


def _run_parse(args: argparse.Namespace) -> int:
    corpus = load_corpus(_existing_paths(args.paths), on_skip=_report_skip, warn=_report_warning)
    write_frame(corpus.articles, args.format, args.output)
    return 0


def _run_tui(args: argparse.Namespace) -> int:
    from core.paths import bundled_seeds

    paths = _existing_paths(args.paths) if args.paths else [bundled_seeds()]
    from tui.app import run_app

    return run_app(paths)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` script; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    is_subcommand = bool(arguments) and arguments[0] in SUBCOMMANDS
    parser = _build_parser() if is_subcommand or arguments[:1] in (["-h"], ["--help"]) else _build_tui_parser()
    args = parser.parse_args(arguments)
    try:
        return int(args.run(args))
    except (UsageError, OutputError) as error:
        print(f"newsdesk: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
