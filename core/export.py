"""Export a view of the corpus (articles with their keywords) to CSV, JSONL, Parquet or Markdown.

The file name's extension picks the format (`core.export_formats`). Every format carries the
article columns plus `keywords`, the article's keywords best first: a list in JSONL and
Parquet, joined as "a; b; c" in CSV and Markdown (CSV cells hold one value; `subheadings`
is joined with " | " there, as the headless commands do). Markdown is one table of title,
section, source, date, words and keywords, meant for pasting into notes and tickets; the
full text is in the other formats. Files are written atomically (`core.atomic`).

No Textual here: the dashboard's `e` prompt calls `export_view` from a worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

import polars as pl

from core.atomic import write_atomic
from core.export_formats import export_format
from core.output import csv_ready
from core.sanitize import clean_text

KEYWORD_SEPARATOR: Final[str] = "; "
"""How keywords are joined where a cell holds one string (CSV, Markdown)."""

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


def export_view(articles: pl.DataFrame, keywords: pl.DataFrame, target: Path, *, drop: Iterable[str] = ()) -> int:
    """Write `articles` (minus the `drop` columns) with their keywords to `target`; returns the rows.

    Raises ExportError for an unknown extension and OSError when the file cannot be written.
    """
    fmt = export_format(target)
    dropped = set(drop)
    frame = with_keywords(articles.select([c for c in articles.columns if c not in dropped]), keywords)
    if fmt == "csv":
        out = csv_ready(frame.with_columns(pl.col("keywords").list.join(KEYWORD_SEPARATOR)))
        write_atomic(target, lambda temp: out.write_csv(temp))
    elif fmt == "jsonl":
        write_atomic(target, lambda temp: frame.write_ndjson(temp))
    elif fmt == "parquet":
        write_atomic(target, lambda temp: frame.write_parquet(temp))
    else:
        text = markdown_table(frame)
        write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8"))
    return frame.height


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
