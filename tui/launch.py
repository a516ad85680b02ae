"""The `newsdesk` script's entry point: start-up without the cycle collector, then the
command line (`tui.cli`).

Start-up makes a few hundred thousand objects that live as long as the program (the modules
of Polars, Textual and Rich, their classes, then the app's widgets), and automatic cycle
collection walked them again and again while they were being made: ~100 ms of a warm open
at 100k articles. `defer_collection` switches it off as the script starts; the dashboard
switches it on again once its first view is painted, with what start-up made frozen out
of it (`NewsdeskApp`: ~5k objects of start-up's cyclic garbage are kept with it, as the
idle collector keeps whatever is alive when it starts), every other command before it
runs (`core.commands.main`).
"""

from __future__ import annotations

import gc


def defer_collection() -> None:
    """Switch automatic cycle collection off until the program has started."""
    gc.disable()


def main() -> int:
    defer_collection()
    from tui.cli import main as cli_main

    return cli_main()
