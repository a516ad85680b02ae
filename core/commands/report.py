"""What the commands say on stderr: `skipped PATH: reason` lines, one-line warnings and
errors (untrusted text cleaned on its way to the terminal), and `index`'s progress bar."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from core.sanitize import for_display

if TYPE_CHECKING:
    from core.index import Progress
    from core.errors import Skipped


def report_skip(skipped: Skipped) -> None:
    # The reason can quote the file's own column names or keys, and comes back from the
    # snapshot on later runs: cleaned here, on its way to the terminal.
    print(f"skipped {for_display(Path(skipped.path))}: {for_display(skipped.reason, one_line=True)}", file=sys.stderr)


def report_warning(message: str) -> None:
    print(f"newsdesk: warning: {for_display(message, one_line=True)}", file=sys.stderr)


def report_error(error: object) -> None:
    print(f"newsdesk: {for_display(error, one_line=True)}", file=sys.stderr)


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    WIDTH = 30

    def __init__(self) -> None:
        self._drawn_at = 0.0

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        if now - self._drawn_at < 0.1 and progress.done < progress.total:
            return
        self._drawn_at = now
        filled = self.WIDTH * progress.done // max(progress.total, 1)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        sys.stderr.write(f"\r[{bar}] {progress.done}/{progress.total} {progress.docs_per_s:.0f} docs/s")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()
