"""Where a large text table's batches lie in the file, found without reading it whole.

A table is read in batches of whole records: a small first one, so its rows show at once,
then batches doubling up to `BATCH_BYTES`, and smaller again at the end of the file
(`next_batch_bytes`). For JSON lines the batches end at the last
newline before each size step, found by reading backwards from there; what a file holds
in its first bytes says whether it can be split at all (UTF-16/32 text and JSON arrays
cannot). Nothing here needs Polars: the spans are found while the program still starts
(`core.table_head_start`) as well as by the readers (`core.table_stream`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, NamedTuple

FIRST_BATCH_BYTES = 256 * 1024
"""The first batch of a streamed table is this small, so that its rows show at once; each
next batch doubles, up to `BATCH_BYTES`."""
BATCH_BYTES = 8 * 1024 * 1024
UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-32 LE starts with UTF-16 LE's BOM


class Span(NamedTuple):
    """A batch after a streamed table's first: where its whole records lie in the file."""

    offset: int
    length: int
    header: bytes
    """The header line that makes a delimited file's batch a table (empty for JSON lines)."""
    codec: str | None
    """The first batch's codec when it was not UTF-8: the whole file's."""
    data: bytes = b""
    """The batch's bytes, when they were read to find where its last record ends (JSON
    lines asked for without them are found by reading only near each batch's end)."""


class TableJob(NamedTuple):
    """A later batch for a worker process: where it lies in the file, and how to read it."""

    path: str
    """The file's absolute path (a worker's working directory need not be ours)."""
    shown: str
    """The file as its rows show it (their `path`)."""
    suffix: str
    offset: int
    length: int
    header: bytes
    codec: str | None
    folder: str
    """Where the worker writes the batch's sightings."""


def next_batch_bytes(want: int, remaining: int) -> int:
    """What the batch after one of `want` bytes asks for, with `remaining` bytes of the file
    after it: twice as much, up to BATCH_BYTES; but in the last two batches' worth, half
    of what remains (down to FIRST_BATCH_BYTES), so that the workers sharing a table's
    batches end together, rather than one waiting while the other makes a last large batch."""
    grown = min(want * 2, BATCH_BYTES)
    if remaining < 2 * BATCH_BYTES:
        return max(FIRST_BATCH_BYTES, min(grown, remaining // 2))
    return grown


_LOOK_BACK = 64 * 1024


def line_spans(handle: BinaryIO, size: int) -> Iterator[Span]:
    """The batches of a JSON-lines file of `size` bytes (the first included), without their
    bytes: the steps `core.table_stream` takes reading the file forwards, on where its reads
    would have reached (`frontier`), reading only backwards from each batch's end to its
    last newline."""
    start = frontier = 0
    ended = False
    want = FIRST_BATCH_BYTES
    while start < frontier or not ended:
        if not ended and frontier - start < want:
            need = want - (frontier - start)
            got = min(need, size - frontier)
            ended = got < need
            frontier += got
        cut = frontier if ended else last_newline(handle, start, frontier) + 1
        if cut <= start:
            want *= 2  # a record longer than the batch: read on until it ends
            continue
        yield Span(start, cut - start, b"", None)
        start = cut
        want = next_batch_bytes(want, size - start)


def last_newline(handle: BinaryIO, start: int, end: int) -> int:
    """Where the last newline of the file's bytes from `start` to `end` is, or -1."""
    while end > start:
        low = max(start, end - _LOOK_BACK)
        handle.seek(low)
        found = handle.read(end - low).rfind(b"\n")
        if found >= 0:
            return low + found
        end = low
    return -1


def unsplittable(head: bytes, delimited: bool) -> bool:
    """Whether a file starting with `head` must be read whole: UTF-16/32 text (its newlines
    are not single bytes) or, for JSON, an array."""
    return wide(head) or not delimited and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"["


def wide(head: bytes) -> bool:
    """UTF-16/32 by its byte order mark, or zero bytes (binary data is refused whole, too)."""
    return head.startswith(UTF16_32_BOMS) or b"\x00" in head[:8192]
