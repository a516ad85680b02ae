"""JSONL / JSON-array / CSV / TSV / Parquet readers mapped onto the article schema.

Columns are matched case-insensitively by name: title (or headline), body (or text,
content, article), section (or category), source (or publisher), date (or published),
url (or link), kind. Unknown columns are ignored. A table without a title or body
column is refused with a reason naming the columns it has.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator

import polars as pl

from core.corpus import ARTICLE, TEASER, RawArticle
from core.errors import UnreadableFile

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article"),
    "section": ("section", "category"),
    "source": ("source", "publisher"),
    "date": ("date", "published", "published_at", "pub_date"),
    "url": ("url", "link"),
    "kind": ("kind",),
}


def read_parquet(data: bytes, path: str) -> list[RawArticle]:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UnreadableFile(f"not a readable Parquet file ({_first_line(error)})") from error
    return list(_records(frame, path))


def read_text_table(text: str, suffix: str, path: str) -> list[RawArticle]:
    """Read a JSONL, JSON array, CSV or TSV file's decoded text."""
    if suffix in (".csv", ".tsv"):
        frame = _read_delimited(text, "\t" if suffix == ".tsv" else ",")
    else:
        frame = _read_json(text)
    return list(_records(frame, path))


def line_ends(text: str) -> str:
    """A delimited file's text with LF line ends: a file that ends its lines with CR alone
    (old Mac exports) is one line to Polars, and its rows were lost."""
    return text.replace("\r", "\n") if "\r" in text and "\n" not in text else text


def _read_delimited(text: str, separator: str) -> pl.DataFrame:
    try:
        return pl.read_csv(
            io.StringIO(line_ends(text)),
            separator=separator,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError as error:
        raise UnreadableFile(f"not a readable CSV file ({_first_line(error)})") from error


def _read_json(text: str) -> pl.DataFrame:
    """A JSON array of objects, or one JSON object per line (bad lines are left out).

    Lines are parsed one at a time straight into columns of text: a 135 MB JSONL file as a
    list of lines, then of row dicts, then a frame built from those held ~6x its size at
    once; as columns it holds the parsed text once before the frame is made."""
    objects: Iterable[object]
    if next((char for char in text if not char.isspace()), "") == "[":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as error:
            raise UnreadableFile(f"invalid JSON ({error})") from error
        objects = rows if isinstance(rows, list) else []
    else:
        objects = (_json_line(line) for line in _lines(text))
    columns: dict[str, list[str | None]] = {}  # in the order keys are first seen
    count = 0
    for row in objects:
        if not isinstance(row, dict):
            continue
        for key, value in row.items():
            column = columns.setdefault(str(key), [])
            column.extend([None] * (count - len(column)))  # the rows before that lacked it
            column.append(_scalar(value))
        count += 1
    if not count:
        raise UnreadableFile("no JSON objects found")
    for column in columns.values():
        column.extend([None] * (count - len(column)))
    try:
        return pl.DataFrame([pl.Series(name, values, dtype=pl.String) for name, values in columns.items()])
    except UnicodeEncodeError:  # a lone surrogate escape (`\ud800`), which Polars refuses
        return pl.DataFrame(
            [pl.Series(_no_surrogates(name), [_no_surrogates(v) for v in values], dtype=pl.String)
             for name, values in columns.items()]
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str | None) -> str | None:
    return text if text is None else _SURROGATE.sub("\ufffd", text)


def _lines(text: str) -> Iterator[str]:
    """The lines of `text`, one at a time, split at LF (a CR before it is stripped with the
    line's other whitespace), or at CR in a file without LF. Not `splitlines`, which also
    splits at U+2028 and the like, legal inside JSON strings; not a StringIO, which holds a
    copy of the text at four bytes a character."""
    separator = "\n" if "\n" in text else "\r"
    start, size = 0, len(text)
    while start < size:
        end = text.find(separator, start)
        if end < 0:
            end = size
        yield text[start:end]
        start = end + 1


def _json_line(line: str) -> object | None:
    line = line.strip()
    if not line:
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def _scalar(value: object) -> str | None:
    """Every cell as text: tables mix types freely and the schema is textual."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return json.dumps(value, ensure_ascii=False)


def _column_map(columns: list[str]) -> dict[str, str]:
    """Schema field -> the table's column name for it (first alias present wins)."""
    by_lower = {}
    for name in columns:
        by_lower.setdefault(name.strip().lower(), name)
    found = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in by_lower:
                found[field] = by_lower[alias]
                break
    return found


def _records(frame: pl.DataFrame, path: str) -> Iterator[RawArticle]:
    mapping = _column_map(frame.columns)
    if "title" not in mapping and "body" not in mapping:
        shown = ", ".join(frame.columns[:8]) or "none"
        raise UnreadableFile(f"no title or body column (columns: {shown})")
    selected = frame.select(
        [pl.col(column).cast(pl.String).alias(field) for field, column in mapping.items() if field != "date"]
        + ([_date_expression(frame, mapping["date"])] if "date" in mapping else [])
    )
    for row in selected.iter_rows(named=True):
        title = (row.get("title") or "").strip()
        body = (row.get("body") or "").strip()
        if not title and not body:
            continue
        if not title:
            title, _, rest = body.partition("\n")
            body = rest.strip()
        yield RawArticle(
            title=title,
            body=body,
            path=path,
            kind=TEASER if (row.get("kind") or "").strip().lower() == TEASER else ARTICLE,
            section=row.get("section"),
            source=row.get("source"),
            date=row.get("date"),
            url=row.get("url"),
        )


def _date_expression(frame: pl.DataFrame, column: str) -> pl.Expr:
    """The date column as pl.Date, whatever it holds; unparseable values become null."""
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column).alias("date")
    if isinstance(dtype, pl.Datetime):
        return pl.col(column).dt.date().alias("date")
    text = pl.col(column).cast(pl.String).str.strip_chars()
    return (
        pl.coalesce(
            text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
            text.str.to_date("%d/%m/%Y", strict=False),
            text.str.to_date("%B %d, %Y", strict=False),
        )
        .alias("date")
    )


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


