"""Export formats: which file extensions name which format, without Polars.

The dashboard's export prompt checks a file name as it is typed; the writing itself is
`core.export`'s, which picks the format with `export_format`.
"""

from __future__ import annotations

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
