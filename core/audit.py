"""Where every word of the input went: into a record, or dropped under a named reason.

`audit_paths(paths)` walks the paths as ingest does and, for each file, takes the records
ingest's reader makes of it (`core.file_rows.read_file`), then checks them against the file's
own text instead of trusting the reader: each line of input is looked for among the
records' lines. A line found in a record is kept (or, when that record's id was already
seen in this file or an earlier one, a duplicate); any other line is put under a named
reason, or, when no rule explains it, into a block "without a reason" (line range, word
count, first words). Those blocks are what the audit is for: text the readers lost.

The reasons, by kind of file:

- listing pages and plain text (core.scrape): template marker lines (`Published`, `on`,
  `Continue Reading`, `Comments`, `Latest`, ...), the label of a source line (`First
  published in our partner`), and the headlines that follow the page closer `Trending` up to
  the next kept line are "site chrome"; a line that is a line of one of the file's records, read
  once more (the sidebar of every page in a file of several pages, kept once), is a "repeat
  of a line already kept";
- HTML pages (core.html): words of the page's visible text (parsed as the extractor parses
  it) that the extractor left out are "page chrome (HTML boilerplate)": dropping them is the
  extractor's job;
- tables (core.tables): columns that map onto no field are "unmapped column NAME", rows with
  neither title nor body "table row without title or body", JSON lines that are not objects
  "line that is not a JSON object", fields of a CSV row past the header's columns (the reader
  cuts ragged rows) "CSV field past the header's columns", dates the reader cannot read "unread date in column NAME";
- any file: a file ingest skips is "file skipped: REASON" with all its words; replacement
  characters (U+FFFD) left by decoding are counted as "undecodable bytes" (the words that hold
  them are kept, damaged). Escape sequences and control characters are no words: cleaning
  removes them everywhere, so they are not counted (nor is a line that holds nothing else).

Matching is by whole lines, normalised the way records are cleaned (core.sanitize.clean_text,
NFC, whitespace collapsed), through counted multisets: linear in the input, and tolerant of
records whose fields come in another order than their lines. The audit is slower than a parse
(it reads and parses every file, then matches), but linear.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core import html as html_reader
from core import file_rows, scrape
from core.decode import decode
from core.audit_model import (
    DUPLICATE,
    HTML_BOILERPLATE,
    KEPT,
    NO_REASON,
    REPEATED_LINE,
    SITE_CHROME,
    SKIPPED,
    UNDECODABLE,
    Block,
    FileAudit,
    Tally,
)
from core.corpus import ARTICLE, RawArticle, id_and_word_count
from core.errors import READER_FAILURES, Skipped, SkipHandler, UnreadableFile, reader_failure, short_reason
from core.paths import display_path
from core.read import HTML_SUFFIXES, MAX_FILE_BYTES, TABLE_SUFFIXES
from core.sanitize import clean_text, normalise_newlines
from core.walk import iter_files

LARGE_BLOCK_WORDS = 30
"""A block without a reason this long is a loss worth fixing (the fixture test's bar)."""
_PREVIEW_WORDS = 8
_PREVIEW_CHARS = 60
_STREAM_CHUNK = 1 << 20
_CLOSER_LIST_MAX_WORDS = 20
"""The list after the page closer holds headlines: a longer line there is no chrome."""
_SNIFF_BYTES = 8192

Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class AuditTotal:
    """The corpus in one line: every input word, and where it went."""

    files: int
    words: int
    kept: int
    dropped: int
    unexplained: int
    blocks: int
    large_blocks: int
    """Blocks without a reason of LARGE_BLOCK_WORDS words or more."""


@dataclass(slots=True)
class Audit:
    """Every file's audit, in walk order."""

    files: list[FileAudit] = field(default_factory=list)

    def total(self) -> AuditTotal:
        blocks = [block for audit in self.files for block in audit.blocks]
        return AuditTotal(
            files=len(self.files),
            words=sum(audit.words for audit in self.files),
            kept=sum(audit.kept.words for audit in self.files),
            dropped=sum(audit.dropped_words for audit in self.files),
            unexplained=sum(block.words for block in blocks),
            blocks=len(blocks),
            large_blocks=sum(block.words >= LARGE_BLOCK_WORDS for block in blocks),
        )


def audit_paths(
    paths: Sequence[Path],
    on_skip: SkipHandler | None = None,
    cancelled: Cancelled | None = None,
) -> Audit:
    """Audit every file under `paths`, in ingest's walk order (so duplicates are the later
    sightings, as in the corpus). `on_skip` hears `skipped PATH: reason` as a load would;
    `cancelled` is asked between files and stops the audit early."""
    report = on_skip or (lambda skipped: None)
    seen: set[str] = set()
    audit = Audit()
    for path in iter_files(paths, report):
        if cancelled is not None and cancelled():
            break
        audit.files.append(audit_file(path, seen, report))
    return audit


def audit_file(path: Path, seen: set[str], report: SkipHandler | None = None) -> FileAudit:
    """Where the words of one file went; `seen` holds the ids kept so far (updated)."""
    shown = display_path(path)
    result = FileAudit(shown)
    try:
        records = file_rows.read_file(path, shown)
        data, name = _file_bytes(path)
        kind, content = _reader(data, name)
    except (UnreadableFile, OSError, EOFError, *READER_FAILURES) as error:
        reason = (
            short_reason(str(error)) if isinstance(error, UnreadableFile)
            else error.strerror or type(error).__name__ if isinstance(error, OSError)
            else reader_failure(error)
        )
        if report is not None:
            report(Skipped(shown, reason))
        result.drop(SKIPPED.format(reason=reason), *_count_unread(path))
        return result
    if not records and report is not None:
        report(Skipped(shown, "no articles found"))
    try:
        _audit_content(kind, content, name, records, seen, result)
    except (ValueError, RecursionError, csv.Error, pl.exceptions.PolarsError) as error:
        # The reader took the file, so this is the audit's own failure: say so, count the
        # file's words as unexplained rather than let one file stop the audit.
        reason = f"audit failed ({type(error).__name__}: {error})".splitlines()[0]
        if report is not None:
            report(Skipped(shown, reason))
        result = FileAudit(shown)
        lines, words = _count_unread(path)
        result.blocks.append(Block(1, lines, lines, words, reason))
    return result


def _audit_content(
    kind: str, content: str | bytes, name: str, records: Sequence[RawArticle], seen: set[str], result: FileAudit
) -> None:
    if kind == "table":
        from core.audit_tables import audit_table

        audit_table(content, name, records, seen, result)
    elif isinstance(content, str):
        (_audit_html if kind == "html" else _audit_page)(content, records, seen, result)


def _file_bytes(path: Path) -> tuple[bytes, str]:
    """The file's bytes as ingest's reader got them (decompressed) and the name it went by."""
    name = path.name.lower()
    data = path.read_bytes()
    if name.endswith(".gz"):
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        name = name[: -len(".gz")]
    return data, name


def _reader(data: bytes, name: str) -> tuple[str, str | bytes]:
    """Which reader ingest gave the file ("table", "html" or "page") and what it read: the
    decoded text, or the bytes of a Parquet file. Mirrors `core.read.read_bytes`."""
    suffix = os.path.splitext(name)[1]
    if suffix == ".parquet":
        return "table", data
    text = decode(data)
    if suffix in TABLE_SUFFIXES:
        return "table", text
    if suffix in HTML_SUFFIXES or html_reader.looks_like_html(text):
        return "html", text
    return "page", text


def _count_unread(path: Path) -> tuple[int, int]:
    """Lines and words of a skipped file: of its decoded text when it has one; for a file
    over the size limit, of its bytes split at ASCII whitespace, read in chunks, unless its
    start holds NUL bytes; 0 for binary data, whose "words" would mean nothing."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO would block the read for ever
            return 0, 0
        size = status.st_size
        if size <= MAX_FILE_BYTES:
            data, _ = _file_bytes(path)
            try:
                return _text_counts(decode(data))
            except UnreadableFile:
                return 0, 0
        with path.open("rb") as handle:
            sample = handle.read(_SNIFF_BYTES)
        return _stream_counts(path) if sample and b"\x00" not in sample else (0, 0)
    except (OSError, EOFError, UnreadableFile):
        return 0, 0


def _text_counts(text: str) -> tuple[int, int]:
    lines = words = 0
    for line in normalise_newlines(text).split("\n"):
        count = len(line.split())
        lines += count > 0
        words += count
    return lines, words


def _stream_counts(path: Path) -> tuple[int, int]:
    """Non-empty lines and words of a large file, a chunk at a time."""
    lines = words = 0
    carry = b""
    with path.open("rb") as handle:
        while chunk := handle.read(_STREAM_CHUNK):
            chunk = carry + chunk
            cut = chunk.rfind(b"\n") + 1
            if cut == 0 and len(chunk) < 16 * _STREAM_CHUNK:
                carry = chunk
                continue
            whole, carry = (chunk[:cut], chunk[cut:]) if cut else (chunk, b"")
            for line in whole.split(b"\n"):
                count = len(line.split())
                lines += count > 0
                words += count
    count = len(carry.split())
    return lines + (count > 0), words + count


# -- records -------------------------------------------------------------------------------------


def line_key(line: str) -> str:
    """A line as a record keeps it: cleaned, NFC, whitespace collapsed."""
    return " ".join(clean_text(line).split())


def _words(key: str) -> int:
    """Words of a line key (its words are joined by single spaces)."""
    return key.count(" ") + 1 if key else 0


def _joined_key(text: str) -> str:
    """`text` with no whitespace at all: an age line glues the section to the age."""
    return "".join(clean_text(text).split())


@dataclass(slots=True)
class _Pieces:
    """The lines of some records, counted, to be taken by the input lines that match them."""

    lines: Counter[str] = field(default_factory=Counter)
    joined: Counter[str] = field(default_factory=Counter)
    """Lines a reader split into fields (a teaser's section and age), without spaces."""
    sources: Counter[str] = field(default_factory=Counter)
    """Sources named by a source line (`First published in our partner X`)."""

    def add(self, raw: RawArticle, title: str, body: str) -> None:
        """Add a record whose title and body, cleaned, are `title` and `body`."""
        for text in (clean_text(raw.section or ""), title, clean_text(raw.caption or ""), body, clean_text(raw.author_bio or "")):
            if text:
                # Cleaned whole, as the record's fields are: the same as line by line.
                self.lines.update(key for piece in text.split("\n") if (key := " ".join(piece.split())))
        if raw.age:
            self.joined[_joined_key((raw.section or "") + raw.age)] += 1
        if raw.source:
            self.sources[line_key(raw.source)] += 1

    def take(self, key: str) -> int | None:
        """The words of `key` that are kept if this line is one of these records' lines
        (then taken), else None. A source line keeps only the source's words."""
        if _take(self.lines, key):
            return _words(key)
        if self.joined and _take(self.joined, key.replace(" ", "")):
            return _words(key)
        if self.sources:
            match = scrape.SOURCE_LINE.match(key)
            if match is not None and _take(self.sources, line_key(match.group("source"))):
                return len(match.group("source").split())
        return None


def _take(counter: Counter[str], key: str) -> bool:
    count = counter.get(key, 0)
    if count <= 0:
        return False
    counter[key] = count - 1
    return True


def _sort_records(records: Sequence[RawArticle], seen: set[str]) -> dict[str, _Pieces]:
    """The records' lines by where they went: KEPT, or a duplicate reason when the record's
    id was seen before (in `seen`, which grows). Records that clean to nothing make no row."""
    pieces: dict[str, _Pieces] = {}
    for raw in records:
        title, body = clean_text(raw.title), clean_text(raw.body)
        if not title.split() and not body.split():
            continue
        ident, _ = id_and_word_count(title, body)
        where = DUPLICATE.get(raw.kind, DUPLICATE[ARTICLE]) if ident in seen else KEPT
        seen.add(ident)
        pieces.setdefault(where, _Pieces()).add(raw, title, body)
    return pieces


# -- listing pages and plain text ----------------------------------------------------------------


def _numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, key) of every line with anything on it. The text is cleaned
    whole, which keeps its lines: no escape sequence cleaning removes spans a newline."""
    for number, line in enumerate(clean_text(normalise_newlines(text)).split("\n"), start=1):
        if line and not line.isspace():
            yield number, " ".join(line.split())


_MARKER_MAX_CHARS = max(len(marker) for marker in scrape.CHROME_LINES) + len(" on")


def _taken(pieces: dict[str, _Pieces], order: list[str], key: str) -> tuple[str | None, int]:
    """Where the line `key` went (the first of `order` whose records hold it, which then
    give it up) and how many of its words were kept; (None, 0) for no record's line."""
    for where in order:
        kept = pieces[where].take(key)
        if kept is not None:
            return where, kept
    return None, 0


def _is_marker(key: str) -> bool:
    if len(key) > _MARKER_MAX_CHARS:  # a paragraph
        return False
    return key.casefold() in scrape.CHROME_LINES or scrape.PUBLISHED_ON_LINE.match(key) is not None


def _audit_page(text: str, records: Sequence[RawArticle], seen: set[str], result: FileAudit) -> None:
    """Match a listing page's (or plain text's) lines against its records."""
    pieces = _sort_records(records, seen)
    order = [where for where in (KEPT, *DUPLICATE.values()) if where in pieces]
    # Lines of this file's records, however often they were taken: a page may repeat a
    # block its reader keeps once (a sidebar on every page of a concatenated file).
    known = {key for group in pieces.values() for key in group.lines}
    known_joined = {key for group in pieces.values() for key in group.joined}
    after_closer = False
    run: list[tuple[int, str]] = []
    for number, key in _numbered_lines(text):
        words = _words(key)
        _count_damage(key, result)
        where, kept = _taken(pieces, order, key)
        if where is not None:
            _close_block(run, result)
            after_closer = False
            result.put(where, 1, kept)
            if kept < words:  # a source line's label
                result.drop(SITE_CHROME, 0, words - kept)
            continue
        if _is_marker(key):
            _close_block(run, result)
            result.drop(SITE_CHROME, 1, words)
            after_closer = after_closer or key.casefold() == scrape.PAGE_CLOSER
        elif after_closer and words <= _CLOSER_LIST_MAX_WORDS:
            result.drop(SITE_CHROME, 1, words)
        elif key in known or (known_joined and key.replace(" ", "") in known_joined):
            _close_block(run, result)
            result.drop(REPEATED_LINE, 1, words)
        else:
            run.append((number, key))
    _close_block(run, result)


def _count_damage(key: str, result: FileAudit) -> None:
    if "\ufffd" in key:
        result.replaced += key.count("\ufffd")
        result.damaged.add(1, sum("\ufffd" in word for word in key.split()))


def _close_block(run: list[tuple[int, str]], result: FileAudit) -> None:
    """Record `run` (consecutive unexplained lines) as a block, and empty it."""
    if not run:
        return
    words = [word for _, key in run for word in key.split()]
    preview = " ".join(words[:_PREVIEW_WORDS])
    if len(preview) > _PREVIEW_CHARS or len(words) > _PREVIEW_WORDS:
        preview = preview[:_PREVIEW_CHARS].rstrip() + "…"
    result.blocks.append(Block(run[0][0], run[-1][0], len(run), len(words), preview))
    run.clear()


# -- HTML ----------------------------------------------------------------------------------------

_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "meta", "link"})
_BREAK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "title", "tr", "ul",
    }
)


def visible_text(page: str) -> str:
    """The text a browser shows of an HTML page (and its title), a line per block element,
    from the tree the extractor itself parses (trafilatura's `load_html`)."""
    from trafilatura import load_html

    tree = load_html(page)
    if tree is None:
        return ""
    for element in list(tree.iter()):
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment or instruction
        if tag is None or tag in _HIDDEN_TAGS:
            if element.getparent() is not None:
                element.drop_tree()  # its tail, the text after it, stays
        elif tag in _BREAK_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return "".join(tree.itertext())


def _audit_html(text: str, records: Sequence[RawArticle], seen: set[str], result: FileAudit) -> None:
    """Match the page's visible words against its record's words; the rest is boilerplate."""
    words_of: dict[str, Counter[str]] = {}
    for where, pieces in _sort_records(records, seen).items():
        words_of[where] = Counter(word for key in pieces.lines.elements() for word in key.split())
    order = [where for where in (KEPT, *DUPLICATE.values()) if where in words_of]
    for _, key in _numbered_lines(visible_text(text)):
        _count_damage(key, result)
        placed: Counter[str] = Counter()
        for word in key.split():
            where = next((w for w in order if _take(words_of[w], word)), HTML_BOILERPLATE)
            placed[where] += 1
        # The line goes where most of its words went; its words go where each went.
        line_to = placed.most_common(1)[0][0]
        for where, count in placed.items():
            result.put(where, int(where == line_to), count)


# -- output --------------------------------------------------------------------------------------

ROW_SCHEMA: dict[str, pl.DataType] = {
    "path": pl.String(),
    "reason": pl.String(),
    "explained": pl.Boolean(),
    "lines": pl.Int64(),
    "words": pl.Int64(),
    "first_line": pl.Int64(),
    "last_line": pl.Int64(),
    "text": pl.String(),
}
"""Columns of `audit_frame` (the JSONL, CSV and Parquet output)."""
SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "path": pl.String(),
    "reason": pl.String(),
    "lines": pl.Int64(),
    "words": pl.Int64(),
}
"""Columns of `summary_frame` (the table for a reader)."""


def audit_frame(audit: Audit) -> pl.DataFrame:
    """Every row of `audit_rows` (ROW_SCHEMA)."""
    return pl.DataFrame(audit_rows(audit), schema=ROW_SCHEMA)


def summary_frame(audit: Audit, blocks_shown: int = 5) -> pl.DataFrame:
    """`summary_rows` as a frame (SUMMARY_SCHEMA)."""
    return pl.DataFrame(summary_rows(audit, blocks_shown), schema=SUMMARY_SCHEMA, orient="row")


def audit_rows(audit: Audit) -> list[dict[str, object]]:
    """One row per file per reason (kept first, then reasons by words), then one per block
    without a reason; a row of damaged words per file with replacement characters."""
    rows: list[dict[str, object]] = []
    for file in audit.files:
        base = {"path": file.path, "first_line": None, "last_line": None, "text": None}
        if file.kept.lines or not file.dropped:
            rows.append(
                {**base, "reason": KEPT, "explained": True, "lines": file.kept.lines, "words": file.kept.words}
            )
        for reason, tally in sorted(file.dropped.items(), key=lambda item: (-item[1].words, item[0])):
            rows.append({**base, "reason": clean_text(reason), "explained": True, "lines": tally.lines, "words": tally.words})
        if file.replaced:
            rows.append(
                {
                    **base,
                    "reason": f"{UNDECODABLE} ({file.replaced} replaced by U+FFFD)",
                    "explained": True,
                    "lines": file.damaged.lines,
                    "words": file.damaged.words,
                }
            )
        for block in file.blocks:
            rows.append(
                {
                    **base,
                    "reason": NO_REASON,
                    "explained": False,
                    "lines": block.lines,
                    "words": block.words,
                    "first_line": block.first_line,
                    "last_line": block.last_line,
                    "text": block.text,
                }
            )
    return [{name: row[name] for name in ROW_SCHEMA} for row in rows]


def summary_rows(audit: Audit, blocks_shown: int = 5) -> list[tuple[str, str, int, int]]:
    """(path, reason, lines, words) for a reader: per file its reasons and its
    `blocks_shown` largest blocks without a reason (the rest summed); then the totals: all
    input, kept, each reason (skipped files as one), and what has no reason."""
    shown: list[tuple[str, str, int, int]] = []
    totals: dict[str, Tally] = {}
    for file in audit.files:
        for row in audit_rows(_explained_only(file)):
            reason, lines, words = str(row["reason"]), int(row["lines"]), int(row["words"])  # type: ignore[call-overload]
            shown.append((file.path, reason, lines, words))
            if reason.startswith(UNDECODABLE):
                reason = UNDECODABLE
            elif reason.startswith(SKIPPED.format(reason="")):
                reason = SKIPPED.format(reason="").rstrip(": ")
            totals.setdefault(reason, Tally()).add(lines, words)
        largest = sorted(file.blocks, key=lambda block: (-block.words, block.first_line))
        for block in largest[:blocks_shown]:
            span = f"line {block.first_line}" if block.lines == 1 else f"lines {block.first_line}-{block.last_line}"
            shown.append((file.path, f"{NO_REASON}: {span} “{block.text}”", block.lines, block.words))
        rest = largest[blocks_shown:]
        if rest:
            shown.append(
                (file.path, f"{NO_REASON}: {len(rest)} smaller blocks", sum(b.lines for b in rest), sum(b.words for b in rest))
            )
    unexplained = Tally()
    for file in audit.files:
        for block in file.blocks:
            unexplained.add(block.lines, block.words)
    kept = totals.pop(KEPT, Tally())
    everything = Tally(
        kept.lines + unexplained.lines + sum(t.lines for r, t in totals.items() if r != UNDECODABLE),
        kept.words + unexplained.words + sum(t.words for r, t in totals.items() if r != UNDECODABLE),
    )
    shown.append(("total", "all input", everything.lines, everything.words))
    shown.append(("total", KEPT, kept.lines, kept.words))
    for reason, tally in sorted(totals.items(), key=lambda item: (-item[1].words, item[0])):
        shown.append(("total", reason, tally.lines, tally.words))
    shown.append(("total", NO_REASON, unexplained.lines, unexplained.words))
    return shown


def _explained_only(file: FileAudit) -> Audit:
    """An audit of `file` without its blocks (they are shown apart)."""
    return Audit([FileAudit(file.path, file.kept, file.dropped, [], file.damaged, file.replaced)])

