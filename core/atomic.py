"""Atomic file replacement: write to a temp file beside the target, then rename over it.

A reader sees the old file or the new one, never half of one; a writer killed mid-way
leaves only a temp file (named `.tmp-*`), which readers ignore.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".tmp-"

Warn = Callable[[str], None]
"""Where a store reports a problem it recovered from: one line for the user."""


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temp_path)` then move the result onto `target`; raises OSError on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{target.name}")
    try:
        write(temp)
        os.replace(temp, target)
    finally:
        # A directory that cannot be written may not let the temp file go either; the
        # original error is the one worth raising (and readers ignore `.tmp-*` files).
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
