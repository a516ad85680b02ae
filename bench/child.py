"""The entry of a benchmark's dashboard child (`python -m bench.child ...`): as small as the
`newsdesk` script, because every worker process the dashboard spawns imports its entry module
again, and the real script's costs those workers 10 ms where `bench.tui`'s cost 45 ms."""

from __future__ import annotations

import sys

if __name__ == "__main__":
    from bench.tui import main

    sys.exit(main(["--child", *sys.argv[1:]]))
