"""A text table (JSONL, JSON array, CSV, TSV) read batch by batch, each batch whole records.

JSON lines are split at newlines, CSV at record boundaries (a newline outside quotes) with
the header line repeated before each later batch. The first batch is small, so its rows
show at once; it decides the codec of the whole file when it is not UTF-8 (a later batch
of mostly ASCII judged alone can look like another codec). `split_text_table` gives the
first batch's rows and the later batches' spans of the file, which `later_rows` reads
here or in a worker process (core.table_pool); `stream_text_table` reads them all here.
What cannot be split (a JSON array, UTF-16/32 text) is read whole, and capped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

import polars as pl

from core import tables
from core.decode import decode_naming
from core.errors import UnreadableFile
from core.table_spans import (
    FIRST_BATCH_BYTES,
    Span,
    line_spans,
    next_batch_bytes,
    unsplittable,
    wide,
)
from core.tables import RAW_SCHEMA, raw_frame, text_frame

Decode = Callable[[bytes], str]
TableBatch = tuple[pl.DataFrame, int]
"""A batch of a streamed table's rows (RAW_SCHEMA: `raw_articles` makes them articles) and
how many bytes of the file are read so far."""


def stream_text_table(source: Path, suffix: str, path: str, decode: Decode, whole_limit: int) -> Iterator[TableBatch]:
    """A JSONL, JSON array, CSV or TSV file's rows (RAW_SCHEMA), batch by batch, each batch
    of whole lines (records) decoded with `decode`. What cannot be split (a JSON array, UTF-16/32
    text) is read whole, and refused when over `whole_limit` bytes."""
    with open(source, "rb") as handle:
        first, read, spans = split_text_table(handle, suffix, decode, whole_limit)
        outcome = TableOutcome()
        outcome.add(first)
        yield first.frame, read
        for span in spans:
            rows = later_rows(span.header + span.data, suffix, decode, span.codec)
            outcome.add(rows)
            yield rows.frame, span.offset + span.length
        outcome.finish()


class ChunkRows(NamedTuple):
    """One batch of a streamed table read into rows."""

    frame: pl.DataFrame
    """The batch's rows (RAW_SCHEMA); none when it is not text or no line of it parses."""
    parsed: bool
    """The batch was read as a table (its frame may still hold no rows)."""
    failure: UnreadableFile | None
    """For JSON lines: why no line of the batch parses."""


class TableOutcome:
    """Whether a table's batches, taken together, gave a table: JSON lines of which no batch
    parses are the file's reason (`finish` raises it); a batch that does not parse among
    others that do is left out, as a bad line is."""

    def __init__(self) -> None:
        self._parsed = False
        self._failure: UnreadableFile | None = None

    def add(self, rows: ChunkRows) -> None:
        self._parsed = self._parsed or rows.parsed
        self._failure = self._failure or rows.failure

    def finish(self) -> None:
        if self._failure is not None and not self._parsed:
            raise self._failure


def split_text_table(
    handle: BinaryIO, suffix: str, decode: Decode, whole_limit: int, with_data: bool = True
) -> tuple[ChunkRows, int, Iterator[Span]]:
    """A text table's first batch as rows, the bytes it took, and its later batches, found
    as they are asked for (each is read from `handle` to find where its last record ends;
    without `with_data`, JSON lines' batches are found reading only near their ends, and
    come without their bytes). A table that cannot be split is read whole: its one batch,
    and no spans. Raises UnreadableFile when the first batch is not text, or a delimited
    file does not parse."""
    delimited = suffix in (".csv", ".tsv")
    head = handle.read(FIRST_BATCH_BYTES)
    size = os.fstat(handle.fileno()).st_size
    if unsplittable(head, delimited):
        if size > whole_limit:
            kind = "UTF-16/32 text" if wide(head) else "a JSON array"
            raise UnreadableFile(
                f"too large for {kind} ({size / 2**20:.0f} MiB; the limit is {whole_limit // 2**20} MiB;"
                " JSON Lines or UTF-8 have none)"
            )
        data = head + handle.read()
        return ChunkRows(text_frame(decode(data), suffix), True, None), len(data), iter(())
    if with_data or delimited:
        chunks = _record_chunks(handle, head, delimited)
        data = next(chunks).data  # the first batch has no header before it
        spans = _spans(chunks, len(data))
    else:
        spans = line_spans(handle, size)
        opening = next(spans)
        handle.seek(0)
        data = handle.read(opening.length)
    rows = first_rows(data, suffix, decode)
    codec = _legacy_codec(data)
    return rows, len(data), (span._replace(codec=codec) for span in spans)


def _spans(chunks: Iterator[_Chunk], offset: int) -> Iterator[Span]:
    for chunk in chunks:
        yield Span(offset, len(chunk.data), chunk.header, None, chunk.data)
        offset += len(chunk.data)


def first_rows(data: bytes, suffix: str, decode: Decode) -> ChunkRows:
    """A table's first batch as rows. Raises UnreadableFile when it is not text (the file
    is not what its name says), or when a delimited file does not parse."""
    return _text_rows(decode(data), suffix)


def _text_rows(text: str, suffix: str) -> ChunkRows:
    try:
        return ChunkRows(text_frame(text, suffix), True, None)
    except UnreadableFile as error:
        if suffix in (".csv", ".tsv"):  # a record no batch can parse: the file's reason, as a whole read gives
            raise
        # JSON lines: the file may yet have usable lines further on, as when read whole.
        return ChunkRows(pl.DataFrame(schema=RAW_SCHEMA), False, error)


def later_rows(data: bytes, suffix: str, decode: Decode, codec: str | None) -> ChunkRows:
    """A batch after a table's first (`data`: a delimited file's header line, then the
    batch) as rows; `codec` is the first batch's legacy codec, if it had one. A batch that
    is not text gives no rows, as a bad line gives none."""
    native = None if suffix in (".csv", ".tsv") or codec else tables.json_lines_natively(data)
    if native is not None:
        return ChunkRows(raw_frame(native), True, None)
    try:
        text = _later_text(data, decode, codec)
    except UnreadableFile:
        return ChunkRows(pl.DataFrame(schema=RAW_SCHEMA), False, None)
    return _text_rows(text, suffix)


def _legacy_codec(data: bytes) -> str | None:
    """The codec of a first batch that is not UTF-8 (None when it is)."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    try:
        codec = decode_naming(data)[1]
    except UnreadableFile:
        return None
    return None if codec in ("utf-8", "utf-8-sig") else codec


def _later_text(data: bytes, decode: Decode, codec: str | None = None) -> str:
    """A batch after the first as text, as a whole read finds it: in the first batch's legacy
    codec when it had one (a batch of mostly ASCII judged on its own may look like another
    one: cp1250 for cp1251 Russian), else UTF-8 where it is. `decode` judges a batch by its
    own first bytes, and a line of zero bytes there made a batch of valid rows binary and
    left it out; where it still finds binary, the bad bytes become U+FFFD and only the lines
    they spoil are lost."""
    if codec is not None:
        return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return decode(data)
    except UnreadableFile:  # its bad bytes are lines to leave out, as a whole read leaves them
        return data.decode("utf-8", "replace")


class _Chunk:
    """Whole records of a file (`data`), and the header line that makes them a table."""

    __slots__ = ("data", "header")

    def __init__(self, header: bytes, data: bytes) -> None:
        self.header = header
        self.data = data


def _record_chunks(handle: BinaryIO, head: bytes, delimited: bool) -> Iterator[_Chunk]:
    """The file in chunks that end at a record boundary, growing from FIRST_BATCH_BYTES to
    BATCH_BYTES and smaller again at its end (`next_batch_bytes`); for a delimited file,
    each chunk after the first carries the header. `head` is what was read of the file so
    far (FIRST_BATCH_BYTES asked for)."""
    want = FIRST_BATCH_BYTES
    pending = head
    ended = len(head) < FIRST_BATCH_BYTES
    size = os.fstat(handle.fileno()).st_size
    header = b""
    first = True
    while pending or not ended:
        if not ended and len(pending) < want:
            more = handle.read(want - len(pending))
            ended = len(more) < want - len(pending)
            pending += more
        cut = len(pending) if ended else _last_boundary(pending, delimited)
        if cut == 0:
            want *= 2  # a record longer than the chunk: read on until it ends
            continue
        data, pending = pending[:cut], pending[cut:]
        yield _Chunk(header, data)
        if first and delimited:
            header = data[: _first_boundary(data)]
        first = False
        want = next_batch_bytes(want, size - (handle.tell() - len(pending)))


def _last_boundary(data: bytes, delimited: bool) -> int:
    """Where the last whole record of `data` ends (after its newline), or 0 if none does.
    In a delimited file a newline ends a record only outside quotes: where the quotes
    before it are even in number (a quote inside a field is written twice)."""
    end = data.rfind(b"\n")
    if not delimited:
        return end + 1
    quotes = data.count(b'"', 0, end) if end >= 0 else 0
    while end >= 0:
        if quotes % 2 == 0:
            return end + 1
        previous = data.rfind(b"\n", 0, end)
        quotes -= data.count(b'"', previous + 1, end)
        end = previous
    return 0


def _first_boundary(data: bytes) -> int:
    """Where the first record (a delimited file's header) of `data` ends, or 0. Blank lines
    before it are part of it: the reader passes over them, and a header of one blank line
    made every later batch take its first row for the header."""
    text = data.removeprefix(b"\xef\xbb\xbf")
    end = data.find(b"\n", len(data) - len(text.lstrip(b"\r\n")))
    while end >= 0:
        if data.count(b'"', 0, end) % 2 == 0:
            return end + 1
        end = data.find(b"\n", end + 1)
    return 0
