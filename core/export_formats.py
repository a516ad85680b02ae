"""Export formats and targets: which file extensions name which format, and which paths may
be written, without Polars.

The dashboard's export prompt checks a file name as it is typed; the writing itself is
`core.export`'s, which picks the format with `export_format` and refuses what
`target_problem` refuses.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

EXPORT_FORMATS: Final[dict[str, str]] = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet", ".md": "markdown"}
"""File extension -> format."""


class ExportError(Exception):
    """The export cannot be done as asked; the message is the one-line reason."""


def export_format(path: Path) -> str:
    """The format named by `path`'s extension; ExportError when it names none."""
    fmt = EXPORT_FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(EXPORT_FORMATS)
        shown = f"'{path.suffix}'" if path.suffix else "no extension"
        raise ExportError(f"{shown} is not an export format: end the file name with {known}")
    return fmt


class TargetExists(ExportError):
    """The file exists and replacing it was not confirmed."""


def target_problem(target: Path) -> str | None:
    """Why nothing may be written at `target` (one line), or None when it may (new or replaceable)."""
    try:
        status = os.lstat(target)
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as error:
        return f"Cannot use {target}: {error.strerror or error}"
    if status is not None:
        if stat.S_ISLNK(status.st_mode):
            return f"{target} is a symbolic link: choose the file itself or another name (links are not written through)."
        if stat.S_ISDIR(status.st_mode):
            return f"{target} is a directory."
        if not stat.S_ISREG(status.st_mode):
            return f"{target} is not a regular file."
    if not target.parent.is_dir():
        if os.path.lexists(target.parent):
            return f"{target.parent} is not a folder."
        return f"The folder does not exist: {target.parent} (create it first)."
    return None
