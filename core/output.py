"""Write a frame to stdout or a file as JSONL, CSV or Parquet (the headless commands' output).

The text formats (JSONL, CSV, table) are cleaned with `core.sanitize.for_display` on the way
out: they are read on terminals, and Polars writes DEL and C1 controls (0x9B is a CSI) raw even
in JSON. Ingest has cleaned every field already, so this costs one scan that finds nothing;
it is what keeps text that did not come through ingest inert. Parquet is binary and keeps the
values exactly (it is refused on a terminal).
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import polars as pl

from core.atomic import remove_stale_temps, write_atomic
from core.errors import OutputError
from core.sanitize import for_display

FORMATS = ("jsonl", "csv", "parquet", "table")

# What `for_display` would remove from text that came through ingest's cleaning: controls
# (but newline and tab), CR, DEL and C1. Polars' regex engine scans for it.
_UNSAFE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f]"


def display_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every text value (in text and list-of-text columns) safe for a terminal."""
    columns = []
    for name, dtype in frame.schema.items():
        if dtype == pl.String:
            text = pl.col(name)
        elif isinstance(dtype, pl.List) and dtype.inner == pl.String:
            text = pl.col(name).list.join("\n")  # only to look: a join holds every element
        else:
            continue
        if frame.select(text.str.contains(_UNSAFE).any()).item():
            if dtype == pl.String:
                columns.append(pl.col(name).map_elements(for_display, return_dtype=pl.String, skip_nulls=True))
            else:
                cleaned = pl.element().map_elements(for_display, return_dtype=pl.String, skip_nulls=True)
                columns.append(pl.col(name).list.eval(cleaned))
    frame = frame.with_columns(columns) if columns else frame
    # Column names are names: shown whole, their controls spelled out (`\\x1b`).
    names = {name: for_display(name.encode("utf-8", "surrogatepass")) for name in frame.columns}
    return frame.rename({old: new for old, new in names.items() if old != new})


def csv_ready(frame: pl.DataFrame) -> pl.DataFrame:
    """List columns joined with " | ", since CSV cells hold one value."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(name).list.join(" | ") for name in lists)


def write_frame(
    frame: pl.DataFrame, fmt: str, output: str | Path | None, inputs: Sequence[str | Path] = ()
) -> None:
    """Write `frame` in `fmt` to the file `output`, or to stdout when it is None.

    An `output` that is one of the files read (`inputs`, or a file a walk of them reads) is
    refused: `parse page.txt -o page.txt` replaced the article with its own record.

    A file is written beside itself and renamed into place, so a run killed midway leaves
    the old file whole; a replaced file keeps its mode, and a symbolic link keeps pointing
    at the file it names, which is the one replaced. A FIFO or device (`-o /dev/stdout`) is
    written in place. A missing folder is an error, not created."""
    if output is not None:
        shown = for_display(Path(output))  # a name: its escapes spelled out
        if str(output).endswith(("/", os.sep)):  # a folder's name: Path() drops the slash and wrote a file
            raise OutputError(f"cannot write {shown}/: -o names a file, not a folder")
        if _is_input(Path(output), inputs):
            raise OutputError(f"will not write {shown}: it is one of the files read (give another -o)")
        try:
            _write_file(frame, fmt, Path(output))
        except OSError as error:
            raise OutputError(f"cannot write {shown}: {error.strerror or error}") from error
        return
    if fmt == "parquet" and sys.stdout.isatty():
        raise OutputError("parquet output is binary: give -o FILE or redirect stdout")
    try:
        _write(frame, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as error:
        # Polars raises a plain OSError ("Broken pipe (os error 32)", no errno) for what
        # Python calls BrokenPipeError: the reader (`| head`) is gone, which is no failure.
        if error.errno == errno.EPIPE or "(os error 32)" in str(error):
            raise BrokenPipeError(errno.EPIPE, "Broken pipe") from error
        raise OutputError(f"cannot write to standard output: {error.strerror or error}") from error


def _is_input(output: Path, inputs: Sequence[str | Path]) -> bool:
    """Whether the existing regular file `output` is one of `inputs` or inside one of them
    where a walk reads it (not under a hidden name, which walks pass over)."""
    try:
        if not stat.S_ISREG(os.stat(output).st_mode):
            return False
    except OSError:
        return False
    real = os.path.realpath(output)
    for path in inputs:
        try:
            if os.path.samefile(path, output):
                return True
        except OSError:
            continue
        if os.path.isdir(path):
            inside = os.path.relpath(real, os.path.realpath(path))
            if not inside.startswith(os.pardir) and not any(part.startswith(".") for part in Path(inside).parts):
                return True
    return False


def _write_file(frame: pl.DataFrame, fmt: str, output: Path) -> None:
    try:
        in_place = not stat.S_ISREG(os.stat(output).st_mode)
    except FileNotFoundError:
        in_place = False
    if in_place:
        with open(output, "wb") as handle:
            _write(frame, fmt, handle)
        return
    real = Path(os.path.realpath(output))

    def write(temp: Path) -> None:
        with open(temp, "wb") as handle:
            _write(frame, fmt, handle)

    remove_stale_temps(real.parent, real.name)  # left by a run that was killed
    write_atomic(real, write, make_parents=False)


def _write(frame: pl.DataFrame, fmt: str, handle: BinaryIO) -> None:
    if fmt == "jsonl":
        display_ready(frame).write_ndjson(handle)
    elif fmt == "csv":
        csv_ready(display_ready(frame)).write_csv(handle)
    elif fmt == "parquet":
        frame.write_parquet(handle)
    elif fmt == "table":
        handle.write(format_table(frame).encode("utf-8"))
    else:
        raise OutputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def format_table(frame: pl.DataFrame) -> str:
    """Plain aligned columns for a terminal (floats to 4 places, numbers right-aligned), one
    line per row: every cell is `for_display` text with its whitespace runs made one space
    (a list's items joined with " | ", as in CSV)."""
    numeric = [dtype.is_numeric() for dtype in frame.dtypes]
    cells = [[_cell(value) for value in row] for row in frame.iter_rows()]
    names = [for_display(name.encode("utf-8", "surrogatepass")) for name in frame.columns]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(names)]

    def line(values: list[str]) -> str:
        padded = (v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric))
        return "  ".join(padded).rstrip()

    return "".join(line(row) + "\n" for row in [names, *cells])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return " | ".join(_cell(item) for item in value)
    return " ".join(for_display(value).split())
