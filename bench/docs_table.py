"""A benchmark's current table in docs/performance.md, between its markers.

Each benchmark run with `--write-docs` replaces the block `<!-- bench:NAME -->` ...
`<!-- /bench:NAME -->` with the Markdown table of that run and one line saying what was run
and on which machine, so the document always shows the last run of each benchmark rather
than numbers copied by hand. A block that is missing is added under the benchmark's heading
(or, without that heading, at the end under a new one); everything else in the file is kept.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS_FILE = REPO / "docs" / "performance.md"


def markers(name: str) -> tuple[str, str]:
    """The opening and closing markers of benchmark `name`'s block."""
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def cpus() -> int:
    """The CPUs this process may run on, as `nproc` counts them."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def machine_line(command: str, size: str) -> str:
    """What was run, at what size, where and when: the line under every written table."""
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    load = f", load average {os.getloadavg()[0]:.1f} at the end" if hasattr(os, "getloadavg") else ""
    return (
        f"Run `{command}` ({size}) on {today}: {cpus()} CPUs (`nproc`){load}, "
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()}."
    )


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table; `|` inside a cell is escaped so a label cannot split a row."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * len(header), *(line(row) for row in rows)])


def replace_block(current: str, name: str, heading: str, text: str) -> str:
    """`current` with benchmark `name`'s block holding `text`. An existing block is replaced
    in place; otherwise the block goes right under the line `heading` (e.g. "## Parsing"),
    or, when there is no such line, at the end under that heading."""
    start, end = markers(name)
    block = f"{start}\n{text.strip(chr(10))}\n{end}"
    if start in current and end in current.split(start, 1)[1]:
        head, rest = current.split(start, 1)
        return head + block + rest.split(end, 1)[1]
    lines = current.split("\n")
    if heading in lines:
        at = lines.index(heading) + 1
        return "\n".join([*lines[:at], "", block, *lines[at:]])
    return current.rstrip("\n") + f"\n\n{heading}\n\n{block}\n"


def write_block(name: str, heading: str, text: str, path: Path | None = None) -> None:
    """Write benchmark `name`'s block holding `text` into `path`, docs/performance.md unless
    given (see `replace_block`)."""
    path = path or DOCS_FILE
    current = path.read_text(encoding="utf-8") if path.is_file() else "# Performance\n"
    path.write_text(replace_block(current, name, heading, text), encoding="utf-8")
    where = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    print(f"\nwritten to {where} (block bench:{name})")
