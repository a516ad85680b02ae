"""Genuinely damaged Parquet files: a valid file written by Polars, then bytes changed.

The footer (Thrift compact protocol) is decoded with core.parquet_check's decoder,
changed field by field, encoded again here and put back, so a damaged file differs from a
valid one only in the numbers a test names: a footer length, a page header's sizes, a
column's value count.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from core.parquet_check import (
    BINARY, BYTE, DOUBLE, FALSE, I16, I32, I64, LIST, MAP, SET, STRUCT, TRUE, ThriftStruct, decode_struct,
)


def valid_parquet(count: int = 40, prefix: str = "Harbour") -> bytes:
    """A valid uncompressed Parquet table of `count` articles (title, body)."""
    frame = pl.DataFrame(
        {
            "title": [f"{prefix} report number {i} on the night ferries" for i in range(count)],
            "body": [f"The {prefix.lower()} authority said crossing {i} ran late after the storm." for i in range(count)],
        }
    )
    out = io.BytesIO()
    frame.write_parquet(out, compression="uncompressed", statistics=False)
    return out.getvalue()


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _zigzag(value: int) -> bytes:
    return _varint((value << 1) ^ (value >> 63))


def _value(kind: int, value: Any) -> bytes:
    if kind == BYTE:
        return bytes([value])
    if kind in (I16, I32, I64):
        return _zigzag(value)
    if kind == DOUBLE:
        return struct.pack("<d", value)
    if kind == BINARY:
        return _varint(len(value)) + value
    if kind in (LIST, SET):
        element, items = value
        header = bytes([(len(items) << 4) | element]) if len(items) < 15 else bytes([0xF0 | element]) + _varint(len(items))
        if element in (TRUE, FALSE):
            return header + bytes(TRUE if item else FALSE for item in items)
        return header + b"".join(_value(element, item) for item in items)
    if kind == MAP:
        keys, values, pairs = value
        if not pairs:
            return b"\x00"
        return _varint(len(pairs)) + bytes([(keys << 4) | values]) + b"".join(
            _value(keys, k) + _value(values, v) for k, v in pairs
        )
    if kind == STRUCT:
        return encode_struct(value)
    raise ValueError(kind)


def encode_struct(fields: ThriftStruct) -> bytes:
    """A struct as decoded by core.parquet_check.decode_struct, encoded again."""
    out = bytearray()
    last = 0
    for field in sorted(fields):
        kind, value = fields[field]
        wire_kind = (TRUE if value else FALSE) if kind in (TRUE, FALSE) else kind
        delta = field - last
        out += bytes([(delta << 4) | wire_kind]) if 0 < delta <= 15 else bytes([wire_kind]) + _zigzag(field)
        if kind not in (TRUE, FALSE):
            out += _value(kind, value)
        last = field
    out.append(0)
    return bytes(out)


def _split(data: bytes) -> tuple[bytes, ThriftStruct]:
    length = struct.unpack("<I", data[-8:-4])[0]
    metadata, _ = decode_struct(data[-8 - length : -8])
    return data[: -8 - length], metadata


def _join(body: bytes, metadata: ThriftStruct) -> bytes:
    footer = encode_struct(metadata)
    return body + footer + struct.pack("<I", len(footer)) + b"PAR1"


def _columns(metadata: ThriftStruct) -> list[ThriftStruct]:
    return [chunk[3][1] for group in metadata[4][1][1] for chunk in group[1][1][1]]


def with_footer_length(data: bytes, length: int) -> bytes:
    """The file with its footer-length field (the 4 bytes before the final PAR1) set to `length`."""
    return data[:-8] + struct.pack("<I", length) + data[-4:]


def with_column_field(data: bytes, field: int, value: int) -> bytes:
    """The file with every column chunk's metadata field `field` (5: num_values, 6: total
    uncompressed size, 7: total compressed size) set to `value`."""
    body, metadata = _split(data)
    for column in _columns(metadata):
        kind, _ = column[field]
        column[field] = (kind, value)
    return _join(body, metadata)


def with_first_page_header(data: bytes, change: Callable[[ThriftStruct], None], *, dictionary: bool = False) -> bytes:
    """The file with the first column's data page header (or with `dictionary`, its
    dictionary page header) changed by `change` (1: type, 2: uncompressed_page_size, 3:
    compressed_page_size, 5: data page header {1: num_values}, 7: dictionary page header
    {1: num_values}); the footer's offsets and sizes are moved to match its new length."""
    body, metadata = _split(data)
    first = _columns(metadata)[0]
    offset = first[11 if dictionary else 9][1]
    header, end = decode_struct(body, offset)
    change(header)
    encoded = encode_struct(header)
    shift = len(encoded) - (end - offset)
    body = body[:offset] + encoded + body[end:]
    for column in _columns(metadata):
        for field in (9, 11):
            if field in column and column[field][1] > offset:
                column[field] = (I64, column[field][1] + shift)
    first[7] = (I64, first[7][1] + shift)
    for group in metadata[4][1][1]:
        for chunk in group[1][1][1]:
            if chunk.get(2, (0, 0))[1] > offset:
                chunk[2] = (I64, chunk[2][1] + shift)
    return _join(body, metadata)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
