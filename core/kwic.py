"""KWIC concordance lines: every whole-word occurrence of a term in the articles' titles and
bodies, with its context. Polars finds and marks every match; Python only cuts the context of
each match."""

from __future__ import annotations

import unicodedata

import polars as pl

from core.query import phrase_regex

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
    it appears. Matching is the filter language's `"phrase"` (same regex, same engine)."""
    words = unicodedata.normalize("NFC", term).split()
    if not words or limit == 0:
        return pl.DataFrame(schema=KWIC_SCHEMA)
    regex = phrase_regex(words)
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
