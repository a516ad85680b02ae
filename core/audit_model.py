"""What an audit says of one file (`core.audit` and `core.audit_tables` fill it in): the
reasons words go into no record, and the tally of where a file's words went: kept, dropped
for a reason, or dropped in blocks without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.corpus import ARTICLE

KEPT = "in a record"
SITE_CHROME = "site chrome"
DUPLICATE = {ARTICLE: "duplicate of an article already kept", "teaser": "duplicate of a teaser already kept"}
REPEATED_LINE = "repeat of a line already kept"
HTML_BOILERPLATE = "page chrome (HTML boilerplate)"
UNDECODABLE = "undecodable bytes"
NO_REASON = "no reason"
SKIPPED = "file skipped: {reason}"
UNMAPPED_COLUMN = "unmapped column {name}"
UNREAD_DATE = "unread date in column {name}"
EMPTY_ROW = "table row without title or body"
NOT_AN_OBJECT = "line that is not a JSON object"
RAGGED_FIELD = "CSV field past the header's columns"


@dataclass(slots=True)
class Tally:
    """Lines and words (for tables: rows and words)."""

    lines: int = 0
    words: int = 0

    def add(self, lines: int, words: int) -> None:
        self.lines += lines
        self.words += words


@dataclass(frozen=True, slots=True)
class Block:
    """A run of consecutive input lines that went into no record, for no known reason."""

    first_line: int
    last_line: int
    lines: int
    words: int
    text: str
    """Its first words, cleaned: enough to find it in the file."""


@dataclass(slots=True)
class FileAudit:
    """Where one file's words went."""

    path: str
    kept: Tally = field(default_factory=Tally)
    dropped: dict[str, Tally] = field(default_factory=dict)
    """Reason -> what was dropped for it."""
    blocks: list[Block] = field(default_factory=list)
    """What was dropped without a reason, in file order."""
    damaged: Tally = field(default_factory=Tally)
    """Lines and words holding a replacement character (also counted where they went)."""
    replaced: int = 0
    """Replacement characters (U+FFFD) in the decoded text."""

    def drop(self, reason: str, lines: int, words: int) -> None:
        self.dropped.setdefault(reason, Tally()).add(lines, words)

    def put(self, where: str, lines: int, words: int) -> None:
        """Count lines and words as kept (`where` is KEPT) or dropped for the reason `where`."""
        if where == KEPT:
            self.kept.add(lines, words)
        else:
            self.drop(where, lines, words)

    @property
    def unexplained_words(self) -> int:
        return sum(block.words for block in self.blocks)

    @property
    def dropped_words(self) -> int:
        return sum(tally.words for tally in self.dropped.values())

    @property
    def words(self) -> int:
        """Every word of the file: kept, dropped for a reason, or dropped without one."""
        return self.kept.words + self.dropped_words + self.unexplained_words
