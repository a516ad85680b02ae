"""The audit of a table (JSONL, JSON array, CSV, TSV, Parquet): where each cell's words went.

The table is read again the way core.tables reads it, into columns of text. Rows with a title
or body became records, in order, so each such row is paired with its record: its mapped
cells are kept (or a duplicate, when the record's id was seen before), a date the reader could
not read is "unread date in column NAME", and cells of columns that map onto no field are
"unmapped column NAME". Rows with neither title nor body, JSON lines that are not objects and
the fields of a CSV row past its header's count are dropped under their own reasons. For tables, "lines" count rows.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence

import polars as pl

from core.audit_model import DUPLICATE, EMPTY_ROW, KEPT, NOT_AN_OBJECT, RAGGED_FIELD, UNMAPPED_COLUMN, UNREAD_DATE, FileAudit
from core.corpus import ARTICLE, RawArticle, id_and_word_count
from core.read import MAX_FILE_BYTES
from core.sanitize import clean_text
from core.tables import COLUMN_ALIASES, JSON_DECODER, line_ends

Columns = dict[str, list[str | None]]
_KNOWN = frozenset(alias for aliases in COLUMN_ALIASES.values() for alias in aliases)


def audit_table(content: str | bytes, name: str, records: Sequence[RawArticle], seen: set[str], result: FileAudit) -> None:
    """Account for every cell of the table `content` (text, or Parquet bytes) named `name`,
    whose reader made `records`; `seen` holds the ids kept so far (updated)."""
    suffix = os.path.splitext(name)[1]
    if isinstance(content, bytes):
        columns = _frame_columns(pl.read_parquet(io.BytesIO(content)))
    elif suffix in (".csv", ".tsv"):
        content = line_ends(content)
        separator = "\t" if suffix == ".tsv" else ","
        frame = pl.read_csv(io.StringIO(content), separator=separator, infer_schema=False, truncate_ragged_lines=True)
        columns = _frame_columns(frame)
        _count_ragged(content, separator, result)
    else:
        columns, extra = _json_columns(content, result)
        _account(columns, records, seen, result, extra)
        return
    _account(columns, records, seen, result)


def _count_ragged(text: str, separator: str, result: FileAudit) -> None:
    """Fields past the header's count, which the reader cuts off a ragged row."""
    # The csv module refuses fields over 128 KiB by default; an article's body may be longer.
    # (No other code here reads CSV with it: raising its limit changes nothing else.)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_FILE_BYTES))
    rows = csv.reader(io.StringIO(text), delimiter=separator)
    width = len(next((row for row in rows if row), []))  # blank lines before the header are passed over
    for row in rows:
        if len(row) > width:
            result.drop(RAGGED_FIELD, 1, sum(len(value.split()) for value in row[width:]))


def _frame_columns(frame: pl.DataFrame) -> Columns:
    """Every column as text (nested values as their Python text)."""
    columns: Columns = {}
    for name, dtype in frame.schema.items():
        series = frame.get_column(name)
        if dtype.is_nested():
            columns[name] = [None if value is None else str(value) for value in series.to_list()]
        else:
            columns[name] = series.cast(pl.String).to_list()
    return columns


Extra = list[list[tuple[str, int]]]
"""Per row, the words of each cell whose key maps onto no field (only cells with words)."""


def _json_columns(text: str, result: FileAudit) -> tuple[Columns, Extra]:
    """A JSON array of objects, or JSON lines, as columns of the keys that map onto a field,
    and per row the word counts of the other keys; what is not an object is dropped.

    Only mapped keys become columns: rows that each bring new keys made a column per key
    padded to every row, memory and time that grew with the square of the file."""
    objects: Iterable[object]
    if next((char for char in text if not char.isspace()), "") == "[":
        rows = JSON_DECODER.decode(text)
        objects = rows if isinstance(rows, list) else []
    else:
        objects = _json_lines(text, result)
    columns: Columns = {}
    extra: Extra = []
    count = 0
    for row in objects:
        if not isinstance(row, dict):
            words = len(json.dumps(row, ensure_ascii=False).split()) if row is not None else 0
            result.drop(NOT_AN_OBJECT, 1, words)
            continue
        others: list[tuple[str, int]] = []
        for key, value in row.items():
            name = str(key)
            cell = _scalar(value)
            if name.strip().lower() not in _KNOWN:
                if cell and (words := len(cell.split())):
                    others.append((name, words))
                continue
            column = columns.setdefault(name, [])
            column.extend([None] * (count - len(column)))
            column.append(cell)
        extra.append(others)
        count += 1
    for column in columns.values():
        column.extend([None] * (count - len(column)))
    return columns, extra


def _json_lines(text: str, result: FileAudit) -> Iterable[object]:
    separator = "\n" if "\n" in text else "\r"
    for line in text.split(separator):
        line = line.strip()
        if not line:
            continue
        try:
            yield JSON_DECODER.decode(line)
        except json.JSONDecodeError:
            result.drop(NOT_AN_OBJECT, 1, len(line.split()))


def _scalar(value: object) -> str | None:
    """A cell as the reader turns it into text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    return json.dumps(value, ensure_ascii=False)


def _field_columns(names: Iterable[str]) -> dict[str, str]:
    """Schema field -> the column the reader takes it from (the first alias present)."""
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.strip().lower(), name)
    found: dict[str, str] = {}
    for field_name, aliases in COLUMN_ALIASES.items():
        column = next((by_lower[alias] for alias in aliases if alias in by_lower), None)
        if column is not None:
            found[field_name] = column
    return found


def _shown(name: str) -> str:
    """A column name fit to show: it is data (cleaned, on one line)."""
    return " ".join(clean_text(name).split()) or "(unnamed)"


def _account(
    columns: Columns, records: Sequence[RawArticle], seen: set[str], result: FileAudit, extra: Extra | None = None
) -> None:
    fields = _field_columns(columns)
    mapped = set(fields.values())
    title, body, date = (columns.get(fields.get(name, ""), []) for name in ("title", "body", "date"))
    words = {name: [len(value.split()) if value else 0 for value in values] for name, values in columns.items()}
    height = max((len(values) for values in columns.values()), default=len(extra or ()))
    upcoming = iter(records)
    for row in range(height):
        has_text = any(values and (values[row] or "").strip() for values in (title, body))
        record = next(upcoming, None) if has_text else None
        where = EMPTY_ROW if record is None else _where(record, seen)
        result.put(where, 1, 0)
        for name, counts in words.items():
            count = counts[row]
            if not count:
                continue
            if where == EMPTY_ROW:
                result.drop(EMPTY_ROW, 0, count)
            elif name not in mapped:
                result.drop(UNMAPPED_COLUMN.format(name=_shown(name)), 0, count)
            elif date and name == fields["date"] and record is not None and record.date is None:
                result.drop(UNREAD_DATE.format(name=_shown(name)), 0, count)
            else:
                result.put(where, 0, count)
        for name, count in extra[row] if extra is not None else ():
            result.drop(EMPTY_ROW if where == EMPTY_ROW else UNMAPPED_COLUMN.format(name=_shown(name)), 0, count)


def _where(record: RawArticle, seen: set[str]) -> str:
    """KEPT, or a duplicate reason when the record's id was seen (it is then seen);
    EMPTY_ROW for a record that cleans to nothing (it makes no row)."""
    title, body = clean_text(record.title), clean_text(record.body)
    if not title.split() and not body.split():
        return EMPTY_ROW
    ident, _ = id_and_word_count(title, body)
    if ident in seen:
        return DUPLICATE.get(record.kind, DUPLICATE[ARTICLE])
    seen.add(ident)
    return KEPT

