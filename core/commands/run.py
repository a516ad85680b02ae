"""`main`: parse the command line, run the command, turn every failure into one line on
stderr and an exit code. What needs a screen comes in an `Interface` (`tui.cli` gives
one); without it, the headless commands run and the others answer that they need it."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from core import gc_policy
from core.cluster import ClusterError
from core.commands.arguments import (
    EXIT_FAILURE,
    EXIT_USAGE,
    SUBCOMMANDS,
    UsageError,
    build_dashboard_parser,
    build_parser,
    take_config_option,
)
from core.commands.headless import run_config, run_index, run_keywords, run_kwic, run_parse
from core.commands.inputs import existing_paths
from core.commands.report import report_error, report_warning
from core.config import Config, ConfigError, load_config
from core.errors import OutputError


@dataclass(frozen=True)
class Interface:
    """What the command line needs a screen for, from the interface (`tui.cli`)."""

    open_dashboard: Callable[[list[Path], Config, bool], int]
    """Open the dashboard on these (existing) paths with this config and `--follow-links`."""
    serve: Callable[[argparse.Namespace], int]
    """`newsdesk serve` with its parsed arguments (a UsageError for a bad one)."""
    binding_rows: Callable[[Config], Iterable[tuple[str, str, str]]]
    """Every binding id with the keys in effect under this config and its description."""
    keymap_problems: Callable[[Config], Iterable[str]]
    """One line per `[keys]` problem of the config: an id that names no binding, a key that
    cannot be bound, is reserved or is taken where the binding applies."""
    effective_keys: Callable[[Config], Mapping[str, str]]
    """The config's `[keys]` entries in effect: binding id -> the keys it keeps."""


def _run_dashboard(args: argparse.Namespace) -> int:
    from core.paths import bundled_seeds

    paths = existing_paths(args.paths) if args.paths else [bundled_seeds()]
    if args.interface is None:
        raise UsageError("the dashboard needs the interface: run newsdesk")
    return int(args.interface.open_dashboard(paths, args.config, args.follow_links))


def _run_serve(args: argparse.Namespace) -> int:
    if args.interface is None:
        raise UsageError("serve needs the interface: run newsdesk serve")
    return int(args.interface.serve(args))


_COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: _run_dashboard,
    "parse": run_parse,
    "keywords": run_keywords,
    "index": run_index,
    "kwic": run_kwic,
    "serve": _run_serve,
    "config": run_config,
}


def main(argv: Sequence[str] | None = None, interface: Interface | None = None) -> int:
    """Run `newsdesk ARGV` (default: sys.argv[1:]); returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        arguments, config_file = take_config_option(arguments)
        config = load_config(config_file)
    except (UsageError, ConfigError) as error:
        report_error(error)
        return EXIT_USAGE
    is_subcommand = bool(arguments) and arguments[0] in SUBCOMMANDS
    parser = build_parser(config) if is_subcommand or arguments[:1] in (["-h"], ["--help"]) else build_dashboard_parser()
    args = parser.parse_args(arguments)
    args.config, args.config_file, args.interface = config, config_file, interface
    args.after = []  # what the command leaves to finish once it has returned
    if args.command is not None:  # the app shows them as notifications
        for warning in config.warnings:
            report_warning(warning)
        gc_policy.run_command()  # off for start-up; the dashboard switches it on at its first view
    try:
        code = int(_COMMANDS[args.command](args))
        for finish in args.after:
            finish()
        return code
    except (UsageError, OutputError) as error:
        report_error(error)
        return EXIT_USAGE
    except ClusterError as error:
        report_error(error)
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Point stdout at /dev/null so the
        # interpreter's final flush does not fail (and turn the exit status into 120).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130
