"""Finding text in an article, for the reader: a typed needle and the words of the filter.

UI-free: both return character spans of the text they are given, which the reader styles.

- `find_spans` is the reader's find (`ctrl+f`): the needle is literal text (never a regex; any
  character the user types means itself), matched case-insensitively with Unicode case folding
  (`москва` finds `Москва`), and a run of spaces in it matches any run of whitespace, so a
  phrase typed with one space still matches where the article has a line break or two spaces.
- `term_spans` is where the filter's own patterns (`core.query.highlight_patterns`) match, so
  the reader marks exactly what the filter matched: a word at the start of a word, a phrase as
  whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

MAX_MATCHES = 10_000
"""Matches kept per find: a one-letter needle in a long article would otherwise style (and count)
tens of thousands of spans on the UI thread."""

_SPACE = re.compile(r"(\s+)")


def find_pattern(needle: str) -> re.Pattern[str] | None:
    """The literal, case-insensitive pattern of `needle`; None when it holds nothing to find."""
    needle = unicodedata.normalize("NFC", needle)
    if not needle.strip():
        return None
    parts = _SPACE.split(needle)
    body = "".join(r"\s+" if index % 2 else re.escape(part) for index, part in enumerate(parts))
    return re.compile(body, re.IGNORECASE)


def find_spans(
    text: str, needle: str, regions: Iterable[tuple[int, int]] | None = None, limit: int = MAX_MATCHES
) -> list[tuple[int, int]]:
    """(start, end) of every match of `needle` in `text` (within `regions`, each (start, end),
    when given), in order, at most `limit`."""
    pattern = find_pattern(needle)
    if pattern is None:
        return []
    return _spans(text, (pattern,), regions, limit)


def term_spans(
    text: str, patterns: Sequence[re.Pattern[str]], regions: Iterable[tuple[int, int]] | None = None, limit: int = MAX_MATCHES
) -> list[tuple[int, int]]:
    """(start, end) of every match of any of `patterns` in `text` (within `regions`), in order."""
    return _spans(text, patterns, regions, limit)


def _spans(
    text: str, patterns: Sequence[re.Pattern[str]], regions: Iterable[tuple[int, int]] | None, limit: int
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for start, end in [(0, len(text))] if regions is None else regions:
        for pattern in patterns:
            for match in pattern.finditer(text, start, end):
                if match.end() > match.start():
                    spans.append((match.start(), match.end()))
                    if len(spans) >= limit:
                        return sorted(spans)
    return sorted(spans)
