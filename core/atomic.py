"""Atomic file replacement: write to a temp file beside the target, then rename over it.

A reader sees the old file or the new one, never half of one; a writer killed mid-way
leaves only a temp file (named `.tmp-*`), which readers ignore.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def write_atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(temp_path)` then move the result onto `target`; raises OSError on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{target.name}")
    try:
        write(temp)
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
