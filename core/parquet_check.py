"""A Parquet file's footer checked in Python before any native reader sees the file.

Native Parquet readers trust the footer: a damaged length or count in it can make them
panic or ask for exabytes and abort the process. `check_parquet` reads the footer with a
small Thrift compact-protocol decoder (bounded: every length is checked against the bytes
left, nesting is limited) and refuses, with a one-line reason, a file whose magic bytes,
footer length, row counts, column types or column-chunk sizes and offsets do not fit the
file. It returns the uncompressed size the footer declares, so a caller can budget it.

A file that passes can still be damaged inside its pages; reading it stays the job of an
isolated process (core.isolated).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Any

from core.errors import UnreadableFile

MAGIC = b"PAR1"
MAX_ROWS = 100_000_000
"""More rows than any article table holds in one file: a larger count is damage."""
MAX_VALUES_PER_ROW = 10_000
"""Values a column may hold per row (lists nest values under one row)."""
_MAX_DEPTH = 32
_PHYSICAL_TYPES = range(8)  # BOOLEAN .. FIXED_LEN_BYTE_ARRAY

# Thrift compact-protocol type ids.
STOP, TRUE, FALSE, BYTE, I16, I32, I64, DOUBLE, BINARY, LIST, SET, MAP, STRUCT = range(13)

ThriftStruct = dict[int, tuple[int, Any]]
"""A decoded struct: field id -> (compact type id, value); lists are (element type, items)."""


class ThriftError(ValueError):
    """Bytes that are not a valid Thrift compact-protocol struct."""


@dataclass(frozen=True, slots=True)
class ParquetFooter:
    """What the footer says of a file that passed the checks."""

    rows: int
    uncompressed_bytes: int
    """The column chunks' total uncompressed size: what reading it inflates to."""


class _Reader:
    """Thrift compact protocol over a byte string, every read bounds-checked."""

    def __init__(self, data: bytes | memoryview, at: int = 0) -> None:
        self.data = data
        self.at = at

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise ThriftError("ends early")
        value = self.data[self.at]
        self.at += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self.byte()
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise ThriftError("varint too long")

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def take(self, length: int) -> bytes:
        if length < 0 or self.at + length > len(self.data):
            raise ThriftError("a length runs past the end")
        chunk = bytes(self.data[self.at : self.at + length])
        self.at += length
        return chunk

    def value(self, kind: int, depth: int) -> Any:
        if kind in (TRUE, FALSE):
            return kind == TRUE
        if kind == BYTE:
            return self.byte()
        if kind in (I16, I32, I64):
            return self.zigzag()
        if kind == DOUBLE:
            return struct.unpack("<d", self.take(8))[0]
        if kind == BINARY:
            return self.take(self.varint())
        if kind in (LIST, SET):
            header = self.byte()
            size, element = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            if size > len(self.data) - self.at:  # every element takes a byte at least
                raise ThriftError("a list longer than the footer")
            if element in (TRUE, FALSE):
                return (element, [self.byte() == TRUE for _ in range(size)])
            return (element, [self.value(element, depth + 1) for _ in range(size)])
        if kind == MAP:
            size = self.varint()
            if size == 0:
                return (0, 0, [])
            types = self.byte()
            if 2 * size > len(self.data) - self.at:
                raise ThriftError("a map longer than the footer")
            keys, values = types >> 4, types & 0x0F
            return (keys, values, [(self.value(keys, depth + 1), self.value(values, depth + 1)) for _ in range(size)])
        if kind == STRUCT:
            return self.struct(depth + 1)
        raise ThriftError(f"unknown field type {kind}")

    def struct(self, depth: int = 0) -> ThriftStruct:
        if depth > _MAX_DEPTH:
            raise ThriftError("nested too deeply")
        fields: ThriftStruct = {}
        last = 0
        while True:
            header = self.byte()
            if header == STOP:
                return fields
            delta, kind = header >> 4, header & 0x0F
            field = last + delta if delta else self.zigzag()
            value = self.value(kind, depth)
            fields[field] = (kind, True if kind == TRUE else False if kind == FALSE else value)
            last = field


def decode_struct(data: bytes | memoryview, at: int = 0) -> tuple[ThriftStruct, int]:
    """The Thrift struct at `at` in `data`, and the offset just after it."""
    reader = _Reader(data, at)
    return reader.struct(), reader.at


def _get(fields: ThriftStruct, field: int, default: Any = None) -> Any:
    entry = fields.get(field)
    return default if entry is None else entry[1]


def _items(fields: ThriftStruct, field: int) -> list[Any]:
    entry = _get(fields, field)
    return entry[1] if isinstance(entry, tuple) else []


def check_parquet(data: bytes) -> ParquetFooter:
    """The footer of Parquet `data`, or UnreadableFile saying what in it does not fit the file."""
    size = len(data)
    if size < 12 or not data.startswith(MAGIC) or not data.endswith(MAGIC):
        raise UnreadableFile("not a Parquet file (no PAR1 marker at both ends)")
    footer_length = struct.unpack("<I", data[-8:-4])[0]
    footer_start = size - 8 - footer_length
    if footer_start < len(MAGIC):
        raise UnreadableFile(f"damaged Parquet file (footer length {footer_length:,} bytes in a {size:,}-byte file)")
    try:
        metadata, _ = decode_struct(memoryview(data)[footer_start : size - 8])
    except ThriftError as error:
        raise UnreadableFile(f"damaged Parquet file (footer: {error})") from None
    return _check_metadata(metadata, footer_start)


def _check_metadata(metadata: ThriftStruct, data_end: int) -> ParquetFooter:
    def damaged(what: str) -> UnreadableFile:
        return UnreadableFile(f"damaged Parquet file ({what})")

    rows = _get(metadata, 3)
    if not isinstance(rows, int) or not 0 <= rows <= MAX_ROWS:
        raise damaged(f"row count {rows}")
    for element in _items(metadata, 2):
        kind = _get(element, 1) if isinstance(element, dict) else None
        if kind is not None and kind not in _PHYSICAL_TYPES:
            raise damaged(f"unknown column type {kind}")
    group_rows = 0
    uncompressed = 0
    for group in _items(metadata, 4):
        if not isinstance(group, dict):
            raise damaged("a row group is not a struct")
        count = _get(group, 3, 0)
        if not isinstance(count, int) or count < 0:
            raise damaged(f"row group of {count} rows")
        group_rows += count
        for chunk in _items(group, 1):
            column = _get(chunk, 3) if isinstance(chunk, dict) else None
            if not isinstance(column, dict):
                continue  # a chunk in another file: nothing here to check
            uncompressed += _check_chunk(column, count, data_end, damaged)
    if group_rows != rows:
        raise damaged(f"row groups hold {group_rows:,} rows, the file says {rows:,}")
    return ParquetFooter(rows, uncompressed)


def _check_chunk(column: ThriftStruct, rows: int, data_end: int, damaged: Any) -> int:
    """A column chunk's uncompressed size, after checking its sizes and offsets fit the file."""
    kind = _get(column, 1)
    if kind not in _PHYSICAL_TYPES:
        raise damaged(f"unknown column type {kind}")
    values = _get(column, 5, 0)
    if not 0 <= values <= max(rows, 1) * MAX_VALUES_PER_ROW:
        raise damaged(f"{values:,} values in a column of {rows:,} rows")
    inflated, compressed = _get(column, 6, 0), _get(column, 7, 0)
    if not 0 <= compressed <= data_end or inflated < 0:
        raise damaged(f"column chunk of {compressed:,} bytes ({inflated:,} uncompressed)")
    # Some writers store a dictionary offset of 0 for "none": only a positive one is an offset.
    dictionary = _get(column, 11)
    offsets = [_get(column, 9)] + ([dictionary] if isinstance(dictionary, int) and dictionary > 0 else [])
    offsets = [offset for offset in offsets if isinstance(offset, int)]
    start = min(offsets, default=len(MAGIC))
    if start < len(MAGIC) or start + compressed > data_end:
        raise damaged(f"column chunk of {compressed:,} bytes at offset {start:,}, past the data's end")
    return int(inflated)
