"""KWIC concordance lines: every whole-word occurrence of a term in the articles' titles and
bodies, with its context, and how one line is laid out (`concordance_line`, the same for the
command line and the dashboard). Polars finds and marks every match; Python only cuts the
context of each match.

A term is matched as keyword extraction saw its words (`term_regex`): the words in order, and
between two of them what the extraction's tokenizer drops, so a keyword listed by the
dashboard is found in the text it came from: a possessive (`Korean People Army` is extracted
from `Korean People's Army`), a hyphen or dash for a space, quotes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import polars as pl

from core.sanitize import for_display

KWIC_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "title": pl.String(),
    "field": pl.String(),
    "left": pl.String(),
    "match": pl.String(),
    "right": pl.String(),
}

_KWIC_CHUNK = 2_000
# Control characters: ingest removes them from article text, and kwic removes them again, so
# they can mark where each match starts and ends.
_MATCH_START = "\x00"
_MATCH_END = "\x01"


def kwic(
    articles: pl.DataFrame, term: str, width: int = 40, limit: int | None = None
) -> pl.DataFrame:
    """Every whole-word, case-insensitive, literal occurrence of `term` (a word or a phrase) in
    each article's title and body: KWIC_SCHEMA rows in article order, title before body, then
    position; at most `limit` rows when given. Whitespace runs (newlines too) are collapsed to
    one space before cutting `width` characters of context on each side; `match` is the text as
    it appears. Matching is `term_regex`: the words in order, whatever extraction drops
    between them allowed."""
    regex = term_regex(term)
    if regex is None or limit == 0:
        return pl.DataFrame(schema=KWIC_SCHEMA)
    fields = _matching_fields(articles, regex)
    rows: list[tuple[str, str, str, str, str, str]] = []
    # Chunks, so a limit on a very common term stops early instead of marking every article.
    for offset in range(0, fields.height, _KWIC_CHUNK):
        chunk = _split_at_matches(fields.slice(offset, _KWIC_CHUNK), regex)
        for ident, title, field, pieces in chunk.iter_rows():
            rows.extend(_lines((ident, title, field), pieces, max(width, 0)))
        if limit is not None and len(rows) >= limit:
            del rows[limit:]
            break
    return pl.DataFrame(rows, schema=KWIC_SCHEMA, orient="row")


# What the keyword tokenizer drops between two words of a keyword: a possessive or clitic
# ("America's Finest" gives "America Finest"), hyphens and dashes ("all-girl" and "all girl"),
# quotes. Sentence punctuation is not in it: a keyword never runs across a sentence.
_POSSESSIVE = "(?:['’]s)?"
_BETWEEN = r"[\s\-‐‑‒–—―\"'“”‘’«»]+"
_TOKEN_SPLIT = re.compile(r"[\s\-‐‑‒–—―]+")
_TOKEN_POSSESSIVE = re.compile(r"(?<=\w)['’]s$")
_CLITIC_TOKEN = re.compile(r"^['’]\w{1,2}$")
_NEGATION = re.compile(r"^n['’]t$", re.IGNORECASE)


def term_tokens(term: str) -> list[str]:
    """The words of `term` as the matching sees them: NFC, split at spaces, hyphens and dashes,
    a possessive `'s` or `’s` dropped (matched between words whether it is written or not), a
    clitic split off by the tokenizer (`’s` alone) dropped."""
    words = [word for word in _TOKEN_SPLIT.split(unicodedata.normalize("NFC", term)) if word]
    if len(words) > 1:
        words = [word for word in words if not _CLITIC_TOKEN.match(word)] or words
    return [_TOKEN_POSSESSIVE.sub("", word) for word in words]


def term_regex(term: str, *, caseless: bool = True) -> str | None:
    """A Polars regex for `term` (None: it holds no word): its tokens (`term_tokens`) in
    order, literal, with a possessive and a run of spaces, hyphens, dashes or quotes between
    two of them, bounded as whole words where the edge is a word character. `caseless=False`:
    no `(?i)`, for lower-cased text and a lower-case `term`."""
    tokens = term_tokens(term)
    if not tokens:
        return None
    body = (_POSSESSIVE + _BETWEEN).join(pl.escape_regex(token) for token in tokens)
    # A leading "n’t" was split off its word ("isn’t"): no word boundary before it.
    start = r"\b" if _is_word_char(tokens[0][0]) and not _NEGATION.match(tokens[0]) else ""
    end = r"\b" if _is_word_char(tokens[-1][-1]) else ""
    return ("(?i)" if caseless else "") + start + body + end


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def concordance_line(
    left: str, match: str, right: str, width: int, cells: Callable[[str], int] = len
) -> tuple[str, str, str]:
    """One KWIC line as shown: `left` cut from its start and right-aligned in `width` cells,
    `match`, `right` cut at `width` cells and padded to it; each on one line, made safe for a
    terminal, spaces kept exactly as in the text (no space added around the match).
    `cells` measures a string's terminal cells (the dashboard passes Rich's)."""
    left, match, right = (for_display(part, one_line=True) for part in (left, match, right))
    width = max(width, 0)
    while left and cells(left) > width:
        left = left[1:]
    while right and cells(right) > width:
        right = right[:-1]
    return " " * (width - cells(left)) + left, match, right + " " * (width - cells(right))


def _matching_fields(articles: pl.DataFrame, regex: str) -> pl.DataFrame:
    """`id, title, field, text`: each title or body holding a match, in KWIC order."""
    fields = [
        articles.lazy()
        .with_row_index("_row")
        .filter(pl.col(column).str.contains(regex).fill_null(False))
        .select("_row", "id", "title", field=pl.lit(column), _order=pl.lit(order), text=column)
        for order, column in enumerate(("title", "body"))
    ]
    return pl.concat(fields).sort("_row", "_order").drop("_row", "_order").collect()


def _split_at_matches(fields: pl.DataFrame, regex: str) -> pl.DataFrame:
    """`text` becomes `pieces`: the whitespace-collapsed text split before each match, each
    later piece being `match + _MATCH_END + text up to the next match`. Polars finds the matches
    so Python never scans text."""
    marked = (
        pl.col("text")
        .str.replace_all(r"[\x00\x01]", "")
        .str.replace_all(r"\s+", " ")
        .str.replace_all(regex, f"{_MATCH_START}${{0}}{_MATCH_END}")
        .str.split(_MATCH_START)
    )
    return fields.select("id", "title", "field", pieces=marked)


def _lines(
    head: tuple[str, str, str], pieces: list[str], width: int
) -> list[tuple[str, str, str, str, str, str]]:
    text = "".join(pieces).replace(_MATCH_END, "")
    lines = []
    position = len(pieces[0])
    for piece in pieces[1:]:
        match, after = piece.split(_MATCH_END, 1)
        end = position + len(match)
        lines.append(
            (*head, text[max(position - width, 0) : position], match, text[end : end + width])
        )
        position = end + len(after)
    return lines
