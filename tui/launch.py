"""The `newsdesk` script's entry point: start-up without the cycle collector, then the CLI;
and what the dashboard's open starts before the interface is imported (`head_start`).

Start-up makes a few hundred thousand objects that live as long as the program (the modules
of Polars, Textual and Rich, their classes, then the app's widgets), and automatic cycle
collection walked them again and again while they were being made: ~100 ms of a warm open
at 100k articles. `defer_collection` switches it off as the script starts; the dashboard
switches it on again once its first view is painted, with what start-up made frozen out
of it (`NewsdeskApp`: ~5k objects of start-up's cyclic garbage are kept with it, as the
idle collector keeps whatever is alive when it starts), every other command before it
runs (`tui.cli.main`).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.first_screen import FirstScreen, read_first_screen

if TYPE_CHECKING:
    from core.prefetch import SnapshotPrefetch


def defer_collection() -> None:
    """Switch automatic cycle collection off until the program has started."""
    gc.disable()


def head_start(paths: Sequence[Path]) -> tuple[FirstScreen | None, SnapshotPrefetch | None]:
    """What the dashboard's open of `paths` starts before the interface is imported: the
    first screen the last session stored (`core.first_screen`), painted before Polars is
    imported; without one, the snapshot's read in a thread (`core.prefetch`), which Polars
    decodes without the GIL while the interface is imported."""
    first_screen = read_first_screen(paths)
    if first_screen is not None:
        return first_screen, None
    from core.bodies import BODIES_IN_MEMORY_MAX_BYTES
    from core.prefetch import SnapshotPrefetch

    return None, SnapshotPrefetch(paths, BODIES_IN_MEMORY_MAX_BYTES)


def main() -> int:
    defer_collection()
    from tui.cli import main as cli_main

    return cli_main()
