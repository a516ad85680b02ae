"""The `newsdesk` script's entry point: start-up under the process's collection policy
(`tui.gc_policy`: automatic cycle collection off until the first view), then the CLI; and
what the dashboard's open starts before the interface is imported (`head_start`, step 0 of
`tui.startup`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.first_screen import FirstScreen, read_first_screen
from tui import gc_policy

if TYPE_CHECKING:
    from core.prefetch import SnapshotPrefetch


def head_start(paths: Sequence[Path]) -> tuple[FirstScreen | None, SnapshotPrefetch | None]:
    """What the dashboard's open of `paths` starts before the interface is imported: the
    first screen the last session stored (`core.first_screen`), painted before Polars is
    imported; without one, the snapshot's read in a thread (`core.prefetch`), which Polars
    decodes without the GIL while the interface is imported."""
    first_screen = read_first_screen(paths)
    if first_screen is not None:
        return first_screen, None
    from tui.startup import read_snapshot_ahead

    return None, read_snapshot_ahead(paths)


def main() -> int:
    gc_policy.defer_start_up()
    from tui.cli import main as cli_main

    return cli_main()
