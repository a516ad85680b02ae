"""Export a view of the corpus (articles with their keywords) to CSV, JSONL, Parquet or Markdown.

The file name's extension picks the format (`core.export_formats`). Every format carries the
article columns plus `keywords`, the article's keywords best first: a list in JSONL and
Parquet, joined as "a; b; c" in CSV and Markdown (CSV cells hold one value; `subheadings`
is joined with " | " there, as the headless commands do). Markdown is one table of title,
section, source, date, words and keywords, meant for pasting into notes and tickets; the
full text is in the other formats.

Files are written beside the target and renamed over it (`core.atomic`), so an interrupted
export leaves the old file whole. `core.export_formats.target_problem` says why a name cannot be written at all
(a symbolic link, a folder that does not exist, something that is not a regular file);
`export_view` does not replace an existing file unless told to (`replace=True`, once the
user confirmed), and a replaced file keeps its permission bits.

CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab
or a carriage return: `=HYPERLINK(...)` in a title) get a leading `'`, as OWASP's "CSV
injection" advice says, so a spreadsheet shows them as text. This is for files opened by
people; `newsdesk parse --format csv` keeps the exact text for programs.

No Textual here: the dashboard's `e` prompt calls `export_view` from a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Final

import polars as pl

from core.atomic import remove_stale_temps, write_atomic
from core.export_formats import ExportError, TargetExists, export_format, target_problem
from core.output import csv_ready
from core.sanitize import clean_text

KEYWORD_SEPARATOR: Final[str] = "; "
"""How keywords are joined where a cell holds one string (CSV, Markdown)."""

FORMULA_START: Final[str] = r"^[=+\-@\t\r]"
"""A CSV cell matching this is a formula to a spreadsheet (OWASP's list of trigger characters)."""

MARKDOWN_COLUMNS: Final[tuple[str, ...]] = ("title", "section", "source", "date", "words", "keywords")
"""The columns of the Markdown table."""


def with_keywords(articles: pl.DataFrame, keywords: pl.DataFrame) -> pl.DataFrame:
    """`articles` plus a `keywords` list column: each article's keywords by rank (empty list if none)."""
    if "keywords" in articles.columns:
        articles = articles.drop("keywords")
    if keywords.is_empty():
        return articles.with_columns(keywords=pl.lit([], dtype=pl.List(pl.String)))
    lists = (
        keywords.filter(pl.col("id").is_in(articles.get_column("id").implode()))
        .sort("id", "rank")
        .group_by("id", maintain_order=True)
        .agg(keywords=pl.col("keyword"))
    )
    joined = articles.join(lists, on="id", how="left", maintain_order="left")
    return joined.with_columns(pl.col("keywords").fill_null(pl.lit([], dtype=pl.List(pl.String))))


def export_view(
    articles: pl.DataFrame,
    keywords: pl.DataFrame,
    target: Path,
    *,
    drop: Iterable[str] = (),
    replace: bool = False,
) -> int:
    """Write `articles` (minus the `drop` columns) with their keywords to `target`; returns the rows.

    An existing file is replaced only with `replace` (keeping its mode). Raises TargetExists
    when it exists and `replace` is False, ExportError for an unknown extension or a target
    that `target_problem` refuses, and OSError when the file cannot be written.
    """
    fmt = export_format(target)
    problem = target_problem(target)
    if problem is not None:
        raise ExportError(problem)
    dropped = set(drop)
    frame = with_keywords(articles.select([c for c in articles.columns if c not in dropped]), keywords)
    write = _writer(fmt, frame)
    remove_stale_temps(target.parent, target.name)  # left by an export that was killed
    try:
        write_atomic(target, write, replace=replace, make_parents=False)
    except FileExistsError as error:
        raise TargetExists(f"{target.name} exists: press enter again to replace it, escape to cancel") from error
    return frame.height


def _writer(fmt: str, frame: pl.DataFrame) -> Callable[[Path], None]:
    """What writes `frame` in `fmt` to a path."""
    if fmt == "csv":
        out = neutralise_formulas(csv_ready(frame.with_columns(pl.col("keywords").list.join(KEYWORD_SEPARATOR))))
        return lambda path: out.write_csv(path)
    if fmt == "jsonl":
        return lambda path: frame.write_ndjson(path)
    if fmt == "parquet":
        return lambda path: frame.write_parquet(path)
    text = markdown_table(frame)
    return lambda path: path.write_text(text, encoding="utf-8")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with a `'` before every string cell a spreadsheet would take for a formula."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START)).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def markdown_table(frame: pl.DataFrame) -> str:
    """A Markdown table of MARKDOWN_COLUMNS (those `frame` has); `keywords` joined with "; "."""
    columns = [c for c in MARKDOWN_COLUMNS if c in frame.columns]
    rows = frame.select(columns).iter_rows()
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---:" if c == "words" else "---" for c in columns) + "|"]
    for row in rows:
        cells = [_markdown_cell(KEYWORD_SEPARATOR.join(value) if isinstance(value, list) else value) for value in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _markdown_cell(value: object) -> str:
    """One table cell: one line, `|` and `\\` escaped so a title cannot break the table."""
    text = " ".join(clean_text("" if value is None else str(value)).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")
