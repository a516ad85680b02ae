"""JSONL / JSON-array / CSV / TSV / Parquet readers mapped onto the article schema.

Columns are matched case-insensitively by name: title (or headline), body (or text,
content, article), section (or category), source (or publisher), date (or published),
url (or link), kind. Unknown columns are ignored, and never kept: a JSONL file whose
every row brings new keys costs memory for the known ones only. A table without a title
or body column is refused with a reason naming the columns it has (cleaned: column names
and keys are data).

Text tables are read in batches (core.table_stream), in memory linear in their known
columns; only a JSON array (one value, not splittable), a UTF-16/32 text table and a
decompressed table are read whole, and capped. Parquet is read whole, known columns only, and only in a child process
(core.isolated), where a crash of the native reader costs that file alone.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator

import polars as pl

from core.corpus import ARTICLE, TEASER, RawArticle
from core.errors import UnreadableFile
from core.sanitize import clean_text

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article"),
    "section": ("section", "category"),
    "source": ("source", "publisher"),
    "date": ("date", "published", "published_at", "pub_date"),
    "url": ("url", "link"),
    "kind": ("kind",),
}
_KNOWN = frozenset(alias for aliases in COLUMN_ALIASES.values() for alias in aliases)
_TITLE_OR_BODY = frozenset(COLUMN_ALIASES["title"] + COLUMN_ALIASES["body"])
_NAMES_SHOWN = 8
"""A reason lists at most this many of a table's column names."""

RAW_SCHEMA: dict[str, pl.DataType] = {
    "title": pl.String(), "body": pl.String(), "kind": pl.String(), "section": pl.String(),
    "source": pl.String(), "date": pl.Date(), "url": pl.String(),
}
"""A table's known columns, as text (the date as a date), before any cleaning."""


def read_parquet(data: bytes, path: str) -> list[RawArticle]:
    """A Parquet file's articles, reading only the columns that map onto the schema (a
    column of a type no reader expects costs nothing when it is not read)."""
    try:
        mapping = _mapping_or_refusal(list(pl.read_parquet_schema(io.BytesIO(data))))
        frame = pl.read_parquet(io.BytesIO(data), columns=list(dict.fromkeys(mapping.values())))
    except (pl.exceptions.PolarsError, OSError) as error:
        raise UnreadableFile(f"not a readable Parquet file ({_first_line(error)})") from error
    return list(_records(frame, path))


def read_text_table(text: str, suffix: str, path: str) -> list[RawArticle]:
    """Read a JSONL, JSON array, CSV or TSV file's decoded text."""
    return list(raw_articles(text_frame(text, suffix), path))


def text_frame(text: str, suffix: str) -> pl.DataFrame:
    """The known columns (RAW_SCHEMA) of a JSONL, JSON array, CSV or TSV file's text."""
    if suffix in (".csv", ".tsv"):
        return raw_frame(_read_delimited(text, "\t" if suffix == ".tsv" else ","))
    return raw_frame(_read_json(text))


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

    Lines are parsed one at a time straight into columns of text, and only keys that name
    a known column are kept: with every key kept, a file whose rows each bring a new key
    held a column per key padded to every row, memory that grew with the square of the file."""
    objects: Iterable[object]
    too_deep: list[int] = []  # lines past the parser's depth, for the reason if no line is good
    if next((char for char in text if not char.isspace()), "") == "[":
        try:
            rows = JSON_DECODER.decode(text)
        except json.JSONDecodeError as error:
            raise UnreadableFile(f"invalid JSON ({error})") from error
        except RecursionError as error:
            raise UnreadableFile("invalid JSON (nested too deeply)") from error
        objects = rows if isinstance(rows, list) else []
    else:
        objects = (_json_line(line, too_deep) for line in _lines(text))
    columns: dict[str, list[str | None]] = {}  # in the order keys are first seen
    names: dict[str, None] = {}  # the first few keys of any kind, for a reason
    count = 0
    for row in objects:
        if not isinstance(row, dict):
            continue
        for key, value in row.items():
            name = key if isinstance(key, str) else str(key)
            if name.strip().lower() not in _KNOWN:
                if len(names) < _NAMES_SHOWN:
                    names.setdefault(name)
                continue
            column = columns.setdefault(name, [])
            column.extend([None] * (count - len(column)))  # the rows before that lacked it
            column.append(value if type(value) is str else _scalar(value))
        count += 1
    if not count:
        raise UnreadableFile("invalid JSON (nested too deeply)" if too_deep else "no JSON objects found")
    if not columns:
        raise UnreadableFile(f"no title or body column (columns: {_shown_names(names)})")
    for column in columns.values():
        column.extend([None] * (count - len(column)))
    return pl.DataFrame([_text_series(name, values) for name, values in columns.items()])


_SURROGATE = re.compile("[\ud800-\udfff]")


def _text_series(name: str, values: list[str | None]) -> pl.Series:
    """A column of text; a lone surrogate (a JSON escape such as `\\ud800`, which has no
    UTF-8) becomes U+FFFD, as cleaning makes it."""
    try:
        return pl.Series(name, values, dtype=pl.String)
    except UnicodeEncodeError:
        return pl.Series(name, [None if v is None else _SURROGATE.sub("\ufffd", v) for v in values], dtype=pl.String)


_NATIVE_MAX_DEPTH = 64
"""Batches nested deeper than this are read by Python's json, whose depth limit (the
interpreter's recursion limit, less the stack in use) sits near the native reader's."""
_NATIVE_ERRORS = (pl.exceptions.PolarsError, RecursionError, ValueError, OverflowError)


def json_lines_natively(data: bytes) -> pl.DataFrame | None:
    """JSON lines read by Polars' native reader into their known columns, or None where that
    could differ from `_read_json` (which then reads them): a line that is not a JSON object
    (a bad line, one Python's json would read and the native reader not), a lone surrogate,
    a known key present in two spellings, a known key twice in one line (the native reader
    keeps the first value, Python's json the last), a known key holding anything but text or
    null (numbers, lists and objects are written as `_scalar` writes them), deep nesting.

    Every known key's string values are counted on the bytes (`"key":` is found only where
    it is a key: a quote inside a JSON string is escaped) against the values read: any key
    spelled with escapes, or repeated, makes the counts differ."""
    try:
        schema = pl.scan_ndjson(io.BytesIO(data), infer_schema_length=None).collect_schema()
        known = [name for name in schema if name.strip().lower() in _KNOWN]
        if (
            not any(name.strip().lower() in _TITLE_OR_BODY for name in known)
            or len({name.strip().lower() for name in known}) < len(known)
            or any(not isinstance(schema[name], pl.String | pl.Null) for name in known)
            or max(map(_depth, schema.values())) > _NATIVE_MAX_DEPTH
        ):
            return None
        frame = pl.read_ndjson(io.BytesIO(data), schema={name: pl.String() for name in known})
    except _NATIVE_ERRORS:
        return None
    # A lone surrogate (`\\ud800`) is read as U+0000 (where it is not refused), so a zero
    # character read cannot be told from one; Python's json reads both.
    if frame.is_empty() or frame.select(pl.any_horizontal(pl.all().str.contains("\x00", literal=True).any())).item():
        return None
    if b"\\u00" in data and _ASCII_ESCAPE.search(data):  # `"ti\u0074le"` beside `"title"`: one key twice, uncounted
        return None
    keys = b"|".join(re.escape(name.encode("utf-8")) for name in known)
    values = Counter(re.findall(rb'"(' + keys + rb')"[ \t\r\n]*:[ \t\r\n]*(.)', data))
    if any(start not in (b'"', b"n") for _, start in values):  # a number, list, object or boolean
        return None
    if any(values[name.encode("utf-8"), b'"'] != frame.get_column(name).count() for name in known):
        return None
    if any(values[name.encode("utf-8"), b"n"] and _repeated_in_a_line(name, data) for name in known):
        return None
    # The reader's text buffers keep room to grow, and the rows (which share them) live as
    # long as the corpus: without this a large table held a sixth more memory.
    return frame.shrink_to_fit()


_ASCII_ESCAPE = re.compile(rb"\\u00[2-7][0-9a-fA-F]")
"""A printable ASCII character written as an escape: no JSON writer does, but a key so
spelled is the plain key to both readers while the counts above see only the plain one."""


def _repeated_in_a_line(name: str, data: bytes) -> bool:
    """Whether a line of `data` holds the key `name` twice: a string and a null count as one
    string, yet the native reader keeps the first and Python's json the last."""
    starts = [match.start() for match in re.finditer(rb'"' + re.escape(name.encode("utf-8")) + rb'"[ \t\r]*:', data)]
    return any(data.find(b"\n", start, end) < 0 for start, end in zip(starts, starts[1:]))


def _depth(dtype: pl.DataType) -> int:
    """How deep a (nested) type goes: 1 for a scalar."""
    depth, level = 0, [dtype]
    while level:
        depth += 1
        inner: list[pl.DataType] = []
        for each in level:
            if isinstance(each, pl.List | pl.Array):
                inner.append(each.inner)
            elif isinstance(each, pl.Struct):
                inner.extend(field.dtype for field in each.fields)
        level = inner
    return depth


class _BigInt(str):
    """A JSON integer too long for Python's int-from-text limit, kept as its digits."""


def _int(digits: str) -> int | str:
    try:
        return int(digits)
    except ValueError:  # over sys.get_int_max_str_digits()
        return _BigInt(digits)


JSON_DECODER = json.JSONDecoder(parse_int=_int)
"""`json.loads(text, parse_int=_int)` without making a decoder for every line."""


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


def _json_line(line: str, too_deep: list[int]) -> object | None:
    """The line's value, or None for a blank or bad line (one nested past the parser's
    depth is noted in `too_deep`)."""
    line = line.strip()
    if not line:
        return None
    try:
        return JSON_DECODER.decode(line)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        too_deep.append(1)
        return None


def _scalar(value: object) -> str | None:
    """Every cell as text: tables mix types freely and the schema is textual."""
    if value is None:
        return None
    if isinstance(value, str):
        return str(value) if isinstance(value, _BigInt) else value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)
    try:
        return json.dumps(value, ensure_ascii=False)
    except (RecursionError, ValueError):
        return None


def _shown_names(names: Iterable[str]) -> str:
    """Column names for a one-line reason: cleaned of escapes and controls, whitespace
    collapsed, each cut short."""
    shown = []
    for name in list(names)[:_NAMES_SHOWN]:
        text = " ".join(clean_text(name).split())
        shown.append(text if len(text) <= 40 else text[:39] + "…")
    return ", ".join(shown) or "none"


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


def _mapping_or_refusal(columns: list[str]) -> dict[str, str]:
    mapping = _column_map(columns)
    if "title" not in mapping and "body" not in mapping:
        raise UnreadableFile(f"no title or body column (columns: {_shown_names(columns)})")
    return mapping


_TEXT_LIKE = (pl.String, pl.Categorical, pl.Enum, pl.Boolean, pl.Date, pl.Datetime, pl.Time, pl.Duration, pl.Decimal, pl.Null)


def _as_text(frame: pl.DataFrame, column: str, field: str) -> pl.Expr:
    """The column as text: scalars as written, a list of strings joined by blank lines
    (paragraphs), anything else refused with a reason naming the column."""
    dtype = frame.schema[column]
    if dtype.is_numeric() or isinstance(dtype, _TEXT_LIKE):
        return pl.col(column).cast(pl.String).alias(field)
    if isinstance(dtype, pl.List | pl.Array) and isinstance(dtype.inner, pl.String | pl.Null):
        joined = pl.col(column) if isinstance(dtype, pl.List) else pl.col(column).arr.to_list()
        return joined.list.join("\n\n").alias(field)
    raise UnreadableFile(f"column {_shown_names([column])} holds {_shown_names([str(dtype)])}, not text")


def _records(frame: pl.DataFrame, path: str) -> Iterator[RawArticle]:
    return raw_articles(raw_frame(frame), path)


def raw_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A table's known columns as RAW_SCHEMA (absent ones null), or a reason it has none usable."""
    mapping = _mapping_or_refusal(frame.columns)
    selected = frame.select(
        [_as_text(frame, column, field) for field, column in mapping.items() if field != "date"]
        + ([_date_expression(frame, mapping["date"])] if "date" in mapping else [])
    )
    return selected.select(
        pl.col(name) if name in selected.columns else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in RAW_SCHEMA.items()
    )


def raw_articles(raw: pl.DataFrame, path: str) -> Iterator[RawArticle]:
    """The articles of rows in RAW_SCHEMA, one per row with a title or body."""
    for row in raw.iter_rows(named=True):
        article = raw_article(row, path)
        if article is not None:
            yield article


def raw_article(row: dict[str, object], path: str) -> RawArticle | None:
    """A row's article (None when it has neither title nor body): without a title, the
    body's first line is the title."""
    title = str(row.get("title") or "").strip()
    body = str(row.get("body") or "").strip()
    if not title and not body:
        return None
    if not title:
        title, _, rest = body.partition("\n")
        body = rest.strip()
    kind = row.get("kind")
    return RawArticle(
        title=title,
        body=body,
        path=path,
        kind=TEASER if str(kind or "").strip().lower() == TEASER else ARTICLE,
        section=row.get("section"),  # type: ignore[arg-type]
        source=row.get("source"),  # type: ignore[arg-type]
        date=row.get("date"),  # type: ignore[arg-type]
        url=row.get("url"),  # type: ignore[arg-type]
    )


def _date_expression(frame: pl.DataFrame, column: str) -> pl.Expr:
    """The date column as pl.Date, whatever it holds; unparseable values become null."""
    dtype = frame.schema[column]
    if dtype == pl.Date:
        return pl.col(column).alias("date")
    if isinstance(dtype, pl.Datetime):
        return pl.col(column).dt.date().alias("date")
    text = _as_text(frame, column, column).str.strip_chars()
    return (
        pl.coalesce(
            text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
            text.str.to_date("%d/%m/%Y", strict=False),
            text.str.to_date("%B %d, %Y", strict=False),
        )
        .alias("date")
    )


def _first_line(error: BaseException) -> str:
    """The first line of an error's message, cleaned: it may quote the file's own text."""
    lines = str(error).strip().splitlines()
    return " ".join(clean_text(lines[0]).split()) if lines else type(error).__name__
