"""Corpus statistics over the keywords and articles frames: aggregated keywords for any subset,
keyness of a subset against the rest, and KWIC concordance lines. Polars does the per-article
work; for KWIC it finds and marks every match, and Python only cuts the context of each match.

Decisions:

- A keywords frame holds at most one row per (id, key): keyword post-processing merges case
  variants into one entry per normalised key. So `docs` is the key's row count in the subset.
  Checking that here would cost ~5x (a group-by over string pairs, ~0.3 s at 1M rows);
  `keywords.unique(["id", "key"])` restores it for a frame built some other way.
- `score` of an aggregated keyword is the *mean* YAKE score over the articles that hold it: the
  minimum would let one article's outlier decide; the mean says how strong it typically is.
- The display `keyword` is the most frequent surface form (ties: the alphabetically first).
- Keyness is Dunning's log-likelihood G2 over the full 2x2 table of *document* counts
  (subset/rest x with/without the key), with Hardie's Log Ratio as the effect size. Only keys
  relatively more frequent in the subset are returned.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import polars as pl

from core.query import phrase_regex

AGGREGATE_SCHEMA: dict[str, pl.DataType] = {
    "keyword": pl.String(),
    "key": pl.String(),
    "docs": pl.UInt32(),
    "score": pl.Float64(),
}
KEYNESS_SCHEMA: dict[str, pl.DataType] = {
    "keyword": pl.String(),
    "key": pl.String(),
    "docs_subset": pl.UInt32(),
    "docs_rest": pl.UInt32(),
    "g2": pl.Float64(),
    "log_ratio": pl.Float64(),
}
KWIC_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "title": pl.String(),
    "field": pl.String(),
    "left": pl.String(),
    "match": pl.String(),
    "right": pl.String(),
}

Ids = pl.Series | Sequence[str]

_ZERO_CORRECTION = 0.5
_KWIC_CHUNK = 2_000
# Control characters: ingest removes them from article text, and kwic removes them again, so
# they can mark where each match starts and ends.
_MATCH_START = "\x00"
_MATCH_END = "\x01"


# --- aggregated keywords ----------------------------------------------------------------------


def aggregate_keywords(
    keywords: pl.DataFrame, ids: Ids | None = None, top: int | None = None
) -> pl.DataFrame:
    """Corpus-level keywords of the articles `ids` (all when None): AGGREGATE_SCHEMA columns,
    ranked by docs (desc), then score (asc), then key."""
    subset = keywords.lazy()
    if ids is not None:
        subset = subset.filter(_id_in(_id_series(ids)))
    ranked = (
        subset.group_by("key")
        .agg(docs=pl.len().cast(pl.UInt32), score=pl.col("score").mean())
        .join(_display_forms(subset), on="key", how="left")
        .sort(["docs", "score", "key"], descending=[True, False, False], nulls_last=True)
        .select(list(AGGREGATE_SCHEMA))
        .cast(AGGREGATE_SCHEMA)
    )
    return _head(ranked, top).collect()


# --- keyness ----------------------------------------------------------------------------------


def keyness(
    keywords: pl.DataFrame, subset_ids: Ids, total_ids: Ids, top: int | None = None
) -> pl.DataFrame:
    """Keywords over-represented in `subset_ids` against the rest of `total_ids` (KEYNESS_SCHEMA),
    sorted by g2 (desc), then log_ratio (desc), then key.

    Sizes are distinct article counts, so articles without keywords count: c = |subset ∩ total|,
    d = |total| - c. An empty subset, or a subset that is the whole corpus, has no keyness.
    """
    total = _id_series(total_ids).unique()
    subset = _id_series(subset_ids).unique()
    subset = subset.filter(subset.is_in(total.implode()))
    c, d = subset.len(), total.len() - subset.len()
    if c == 0 or d == 0:
        return pl.DataFrame(schema=KEYNESS_SCHEMA)
    in_total = keywords.lazy().filter(_id_in(total))
    counts = (
        in_total.with_columns(in_subset=_id_in(subset))
        .group_by("key")
        .agg(
            docs_subset=pl.col("in_subset").sum().cast(pl.UInt32),
            docs_rest=(~pl.col("in_subset")).sum().cast(pl.UInt32),
        )
    )
    a, b = pl.col("docs_subset").cast(pl.Float64), pl.col("docs_rest").cast(pl.Float64)
    # a/c > b/d, compared as integer cross-products so ties are exact.
    over = counts.filter(
        pl.col("docs_subset").cast(pl.Int64) * d > pl.col("docs_rest").cast(pl.Int64) * c
    )
    scored = over.with_columns(g2=_g2(a, b, c, d), log_ratio=_log_ratio(a, b, c, d))
    forms = _display_forms(in_total.filter(_id_in(subset)))
    ranked = (
        scored.join(forms, on="key", how="left")
        .sort(["g2", "log_ratio", "key"], descending=[True, True, False])
        .select(list(KEYNESS_SCHEMA))
        .cast(KEYNESS_SCHEMA)
    )
    return _head(ranked, top).collect()


def _g2(a: pl.Expr, b: pl.Expr, c: int, d: int) -> pl.Expr:
    """2 * sum(O * ln(O / E)) over the cells subset/rest x with/without the key (0 ln 0 = 0)."""
    n = c + d
    with_key = a + b
    cells = [
        (a, c * with_key / n),
        (c - a, c * (n - with_key) / n),
        (b, d * with_key / n),
        (d - b, d * (n - with_key) / n),
    ]
    terms = [pl.when(o > 0).then(o * (o / e).log()).otherwise(0.0) for o, e in cells]
    return 2 * pl.sum_horizontal(terms)


def _log_ratio(a: pl.Expr, b: pl.Expr, c: int, d: int) -> pl.Expr:
    """Hardie's Log Ratio: log2 of the relative-frequency ratio, a zero count taken as 0.5."""
    a_corrected = pl.when(a == 0).then(_ZERO_CORRECTION).otherwise(a)
    b_corrected = pl.when(b == 0).then(_ZERO_CORRECTION).otherwise(b)
    return ((a_corrected / c) / (b_corrected / d)).log(2)


# --- KWIC -------------------------------------------------------------------------------------


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


# --- shared -----------------------------------------------------------------------------------


def _id_series(ids: Ids) -> pl.Series:
    if isinstance(ids, pl.Series):
        return ids.cast(pl.String).rename("id")
    return pl.Series("id", list(ids), dtype=pl.String)


def _id_in(ids: pl.Series) -> pl.Expr:
    return pl.col("id").is_in(ids.implode()).fill_null(False)


def _display_forms(keywords: pl.LazyFrame) -> pl.LazyFrame:
    """`key, keyword`: each key's most frequent surface form, ties to the alphabetically first."""
    return (
        keywords.group_by("key", "keyword")
        .len()
        .group_by("key")
        .agg(pl.col("keyword").sort_by(["len", "keyword"], descending=[True, False]).first())
    )


def _head(frame: pl.LazyFrame, top: int | None) -> pl.LazyFrame:
    return frame if top is None else frame.head(max(top, 0))
