"""One file's bytes into articles, within limits: which reader a file's name and content call
for (`read_bytes`), the per-file size cap, and the decompression budget a whole load spends
on what compressed files inflate to (`DecompressionBudget`, `gunzip`).

Parquet, whose native reader a damaged file can crash, has its footer checked here and is
read in a child process (core.parquet_check, core.isolated).
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from typing import BinaryIO

from core import html, scrape, tables
from core.corpus import RawArticle
from core.decode import decode
from core.errors import UnreadableFile
from core.isolated import read_parquet_isolated
from core.parquet_check import check_parquet

MAX_FILE_BYTES = 256 * 1024 * 1024
TABLE_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".parquet"})
STREAMED_SUFFIXES = TABLE_SUFFIXES - {".parquet"}
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})


class DecompressionBudget:
    """The bytes a load may still inflate from compressed files (`.gz`, and Parquet pages as
    their footers declare them): one budget for the whole corpus, spent in walk order.

    A budget is spent in one process: files that inflate are read by the process that
    holds it (the parent of a parse pool), so which file crosses the cap does not depend on
    how work was split, and nothing is ever inflated past it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.spent = 0

    @property
    def left(self) -> int:
        return max(0, self.limit - self.spent)

    def refusal(self) -> UnreadableFile:
        return UnreadableFile(
            f"{OVER_CAP} ({_size(self.limit)}; setting max_decompressed_mib"
            f" or {DECOMPRESSED_ENV})"
        )


DECOMPRESSED_ENV = "NEWSDESK_MAX_DECOMPRESSED_MIB"
OVER_CAP = "over the corpus decompression cap"
MAX_INFLATION = 100
"""A compressed file that inflates to more than this many times its size (past
INFLATION_FLOOR) is refused: text, HTML and JSON compress ten- to thirtyfold; only
repetition made to fill memory compresses further."""
INFLATION_FLOOR = 32 * 1024 * 1024


def _size(count: int) -> str:
    return f"{count / 2**30:g} GiB" if count >= 2**30 else f"{count / 2**20:g} MiB"


def inflates(name: str) -> bool:
    """Whether reading the file named `name` inflates compressed data (spends a budget)."""
    name = name.lower()
    return name.endswith((".gz", ".parquet"))


def read_bytes(data: bytes, name: str, path: str, budget: DecompressionBudget | None = None) -> list[RawArticle]:
    """Dispatch `data` (named `name`, reported as `path`) to the right reader.

    Parquet is read by native code that a damaged file can crash: its footer is checked
    here first, and the file is read in a child process (core.isolated)."""
    suffix = os.path.splitext(name)[1]
    if suffix == ".parquet":
        footer = check_parquet(data)
        if budget is not None:
            if footer.uncompressed_bytes > budget.left:
                raise budget.refusal()
            budget.spent += footer.uncompressed_bytes
        articles = read_parquet_isolated(data, path)
        if budget is not None:
            # A footer can understate (dictionary pages, or a lie): charge what was really read.
            budget.spent += max(0, _text_bytes(articles) - footer.uncompressed_bytes)
        return articles
    text = decode(data)
    if suffix in TABLE_SUFFIXES:
        return tables.read_text_table(text, suffix, path)
    if suffix in HTML_SUFFIXES or html.looks_like_html(text):
        return html.read_html(text, path)
    return scrape.parse_page(text, path)


def _text_bytes(articles: list[RawArticle]) -> int:
    """The characters of text `articles` carry (what reading them inflated to, near enough)."""
    return sum(len(a.title) + len(a.body) + len(a.section or "") + len(a.source or "") + len(a.caption or "") for a in articles)


def gunzip(source: bytes | BinaryIO, budget: DecompressionBudget | None = None, size: int | None = None) -> bytes:
    """The inflated bytes of gzip `source` (`size` bytes), decompressed only up to the least
    of the per-file cap, MAX_INFLATION times `size` (at least INFLATION_FLOOR) and what is
    left of `budget`; past it, UnreadableFile naming the cap that was reached (the bytes
    inflated count against the budget either way)."""
    size = len(source) if isinstance(source, bytes) else size
    ratio_limit = MAX_FILE_BYTES if size is None else max(INFLATION_FLOOR, MAX_INFLATION * size)
    file_limit = min(MAX_FILE_BYTES, ratio_limit)
    left = budget.left if budget is not None else file_limit
    if budget is not None and left == 0:
        raise budget.refusal()
    limit = min(file_limit, left)
    stream_source = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with gzip.GzipFile(fileobj=stream_source) as stream:
            # One read: the buffer is sized to the limit but only what is inflated is touched.
            inflated = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as error:
        raise UnreadableFile(f"not a valid gzip file ({error})") from error
    if budget is not None:
        budget.spent += len(inflated)
    if len(inflated) <= limit:
        return inflated
    if budget is not None and left < file_limit:
        raise budget.refusal()
    if ratio_limit < MAX_FILE_BYTES:
        raise UnreadableFile(f"decompresses to more than {MAX_INFLATION} times its size (a decompression bomb, not text)")
    raise UnreadableFile(f"decompresses to more than {MAX_FILE_BYTES // 2**20} MiB")


def default_max_decompressed() -> int:
    from core.config import default_max_decompressed_mib

    return default_max_decompressed_mib() * 2**20
