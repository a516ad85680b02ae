"""`newsdesk`'s command line with the interface: the grammar and the headless commands are
`core.commands`'; this module gives them what needs a screen: the dashboard in this terminal
(`newsdesk [PATH...]`), served to web browsers (`newsdesk serve`), and the keymap's bindings
(`newsdesk config --bindings`, and the check of a config's `[keys]`).

`python -m tui.cli` runs it (`serve` starts one per browser session so); the `newsdesk`
script starts through `tui.launch.main`. Textual is imported only when the dashboard opens
or the bindings are asked for, so headless commands start fast; the dashboard paints a
stored first screen before it imports Polars (`head_start`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.commands import Interface
from core.commands import main as commands_main
from core.commands.arguments import UsageError
from core.commands.inputs import existing_paths
from core.config import Config
from core import gc_policy
from core.first_screen import FirstScreen, read_first_screen

if TYPE_CHECKING:
    from core.prefetch import SnapshotPrefetch


def head_start(paths: Sequence[Path]) -> tuple[FirstScreen | None, SnapshotPrefetch | None]:
    """What the dashboard's open of `paths` starts before the interface is imported: the
    first screen the last session stored (`core.first_screen`), painted before Polars is
    imported; without one, the snapshot's read in a thread (`core.prefetch`), which Polars
    decodes without the GIL while the interface is imported; and without a snapshot, a
    large table's later batches handed to worker processes (`core.table_head_start`)."""
    from core.snapshot_names import has_snapshot_of_any_parser

    if not has_snapshot_of_any_parser(paths):
        # Cold: the paths are to be parsed, and there is no first screen or snapshot to read
        # (looking for them would compute the parser's fingerprint before the first rows).
        from core import table_head_start
        from core.parallel import POOL_MIN_BYTES, worker_count

        table_head_start.begin(paths, worker_count(), POOL_MIN_BYTES)
        return None, None
    first_screen = read_first_screen(paths)
    if first_screen is not None:
        return first_screen, None
    from tui.startup import read_snapshot_ahead

    return None, read_snapshot_ahead(paths)


def open_dashboard(paths: list[Path], config: Config, follow_links: bool) -> int:
    first_screen, prefetched = head_start(paths)
    from tui.app import run_app

    return run_app(paths, config=config, prefetched=prefetched, first_screen=first_screen, follow_links=follow_links)


def serve(args: argparse.Namespace) -> int:
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
    paths = existing_paths(args.paths) if args.paths else [bundled_seeds()]
    command = [sys.executable, "-m", "tui.cli"]
    if args.config_file is not None:
        command += ["--config", str(Path(args.config_file).resolve())]
    if args.follow_links:
        command.append("--follow-links")
    command += ["--", *(str(path.resolve()) for path in paths)]
    return run(command, host=args.host, port=args.port, max_sessions=max_sessions, public_url=args.public_url)


def binding_rows(config: Config) -> Iterable[tuple[str, str, str]]:
    from tui.app import NewsdeskApp  # loads every widget and screen, so their bindings are known
    from tui.configure import binding_rows as rows
    from tui.screens.help import binding_groups

    return rows(config, binding_groups(NewsdeskApp.BINDINGS))


def keymap_problems(config: Config) -> Iterable[str]:
    import tui.app  # noqa: F401  (loads every widget and screen, so their bindings are known)
    from tui.configure import keymap_problems as problems

    return problems(config)


def effective_keys(config: Config) -> Mapping[str, str]:
    import tui.app  # noqa: F401  (loads every widget and screen, so their bindings are known)
    from tui.configure import effective_keys as keys

    return keys(config)


INTERFACE = Interface(
    open_dashboard=open_dashboard,
    serve=serve,
    binding_rows=binding_rows,
    keymap_problems=keymap_problems,
    effective_keys=effective_keys,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsdesk` command line; returns the exit code."""
    return commands_main(argv, INTERFACE)


if __name__ == "__main__":
    gc_policy.defer_start_up()  # as the `newsdesk` script starts (tui.launch): `newsdesk serve` runs this
    sys.exit(main())
