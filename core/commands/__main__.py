"""`python -m core.commands`: the headless commands without the interface (the dashboard,
`serve` and `config --bindings` answer that they need it: run `newsdesk` for those)."""

import sys

from core.commands.run import main

if __name__ == "__main__":
    sys.exit(main())
