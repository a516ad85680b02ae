"""The `newsdesk` script's entry point: start-up under the process's collection policy
(`core.gc_policy`: automatic cycle collection off until the first view), then the command
line (`tui.cli`).
"""

from __future__ import annotations

from core import gc_policy


def main() -> int:
    gc_policy.defer_start_up()
    from tui.cli import main as cli_main

    return cli_main()
