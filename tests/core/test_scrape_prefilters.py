"""The scraper's cheap first-character checks never turn away a line its regexes accept.

The parser looks at the first or last character of a line before running a
case-insensitive regex on it. That is only right if no other character matches those
letters ignoring case, which these tests check over the whole code space, and if the
checks agree with the bare regexes on adversarial lines.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from core.scrape import (
    _SOURCE_LINE_STARTS,
    AGE_LINE,
    PUBLISHED_ON_LINE,
    SOURCE_LINE,
    _header_starts,
    _is_age_line,
)

_ALL = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def test_only_the_checked_characters_match_the_regexes_first_and_last_letters() -> None:
    matching = [ch for ch in _ALL if re.fullmatch("[pofs]", ch, re.IGNORECASE)]
    assert [ch for ch in matching if re.fullmatch("p", ch, re.IGNORECASE)] == ["P", "p"]
    assert [ch for ch in matching if re.fullmatch("o", ch, re.IGNORECASE)] == ["O", "o"]
    assert {ch for ch in matching if re.fullmatch("[fs]", ch, re.IGNORECASE)} == set(_SOURCE_LINE_STARTS)


def test_the_regexes_begin_and_end_where_the_checks_assume() -> None:
    assert PUBLISHED_ON_LINE.pattern.startswith("^published")
    assert AGE_LINE.pattern.endswith("ago)$")
    # Its three alternatives start with "first", "from" and "source".
    assert SOURCE_LINE.pattern.startswith(
        r"^(?:first\s+published\s+(?:in|by)\s+our\s+partner|from\s+our\s+partner|source\s*:)"
    )


_PIECES = st.sampled_from(
    ["published", "PUBLISHED", "Published", "on", " ", "\u00a0", "\t", "ſource:", "Source:", "From our partner",
     "first published in our partner", "3 hours ago", "12 MINS AGO", "ago", "agO", "World", "ſ", "P", "x", ":"]
)
_LINE = st.lists(_PIECES, min_size=1, max_size=6).map("".join) | st.text(min_size=1, max_size=30)


@settings(max_examples=800, deadline=None)
@given(st.lists(_LINE.map(str.strip).filter(bool), max_size=8))
def test_checks_agree_with_the_bare_regexes(lines: list[str]) -> None:
    assert _header_starts(lines) == [i for i, line in enumerate(lines) if PUBLISHED_ON_LINE.match(line)]
    for line in lines:
        assert _is_age_line(line) == (len(line) <= 80 and AGE_LINE.match(line) is not None)
        assert (line.startswith(_SOURCE_LINE_STARTS) and SOURCE_LINE.match(line) is not None) == (
            SOURCE_LINE.match(line) is not None
        )
