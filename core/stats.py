"""Corpus statistics over the keywords and articles frames: aggregated keywords for any subset,
keyness of a subset against the rest, and KWIC concordance lines. Polars only for the per-article
work; KWIC loops in Python over the matches alone, after Polars has found the matching articles.

Decisions:

- `docs` counts distinct articles whose keyword list holds the key; a key listed twice for one
  article counts once, with its better (lower) score.
- `score` of an aggregated keyword is the *mean* YAKE score over the articles that hold it: the
  minimum would let one article's outlier decide; the mean says how strong it typically is.
- The display `keyword` is the most frequent surface form (ties: the alphabetically first).
- Keyness is Dunning's log-likelihood G2 over the full 2x2 table of *document* counts
  (subset/rest x with/without the key), with Hardie's Log Ratio as the effect size. Only keys
  relatively more frequent in the subset are returned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import polars as pl

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
_WHITESPACE = re.compile(r"\s+")


# --- aggregated keywords ----------------------------------------------------------------------


def aggregate_keywords(
    keywords: pl.DataFrame, ids: Ids | None = None, top: int | None = None
) -> pl.DataFrame:
    """Corpus-level keywords of the articles `ids` (all when None): AGGREGATE_SCHEMA columns,
    ranked by docs (desc), then score (asc), then key."""
    subset = keywords if ids is None else keywords.filter(_id_in(_id_series(ids)))
    per_doc = _per_document(subset)
    ranked = (
        per_doc.group_by("key")
        .agg(docs=pl.len().cast(pl.UInt32), score=pl.col("score").mean())
        .join(_display_forms(subset), on="key", how="left")
        .sort(["docs", "score", "key"], descending=[True, False, False], nulls_last=True)
        .select(list(AGGREGATE_SCHEMA))
        .cast(AGGREGATE_SCHEMA)
    )
    return _head(ranked, top)


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
    in_total = keywords.filter(_id_in(total))
    counts = (
        _per_document(in_total)
        .with_columns(in_subset=_id_in(subset))
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
    return _head(ranked, top)


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


def kwic(articles: pl.DataFrame, term: str, width: int = 40) -> pl.DataFrame:
    """Every whole-word, case-insensitive, literal occurrence of `term` (a word or a phrase) in
    each article's title and body: KWIC_SCHEMA rows in article order, title before body, then
    position. Whitespace runs (newlines too) are collapsed to one space before cutting `width`
    characters of context on each side; `match` is the text as it appears."""
    words = unicodedata.normalize("NFC", term).split()
    if not words:
        return pl.DataFrame(schema=KWIC_SCHEMA)
    width = max(width, 0)
    pattern = _kwic_pattern(words)
    candidates = articles.select("id", "title", "body").filter(
        pl.any_horizontal(
            pl.col(column).str.contains(_kwic_prefilter(words)).fill_null(False)
            for column in ("title", "body")
        )
    )
    rows: list[tuple[str, str, str, str, str, str]] = []
    for ident, title, body in candidates.iter_rows():
        for field, text in (("title", title), ("body", body)):
            rows.extend(_lines(pattern, ident, title, field, text or "", width))
    return pl.DataFrame(rows, schema=KWIC_SCHEMA, orient="row")


def _lines(
    pattern: re.Pattern[str], ident: str, title: str, field: str, text: str, width: int
) -> list[tuple[str, str, str, str, str, str]]:
    flat = _WHITESPACE.sub(" ", text)
    return [
        (
            ident,
            title,
            field,
            flat[max(found.start() - width, 0) : found.start()],
            found.group(),
            flat[found.end() : found.end() + width],
        )
        for found in pattern.finditer(flat)
    ]


def _kwic_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """Whole words in order with any whitespace between; bounded only where the edge is a word
    character, so a term such as `[bold]` still matches."""
    body = r"\s+".join(re.escape(word) for word in words)
    start = r"(?<!\w)" if _is_word_char(words[0][0]) else ""
    end = r"(?!\w)" if _is_word_char(words[-1][-1]) else ""
    return re.compile(start + body + end, re.IGNORECASE)


def _kwic_prefilter(words: Sequence[str]) -> str:
    """A looser Polars regex (no word bounds) that every article with a match satisfies."""
    return "(?i)" + r"\s+".join(pl.escape_regex(word) for word in words)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


# --- shared -----------------------------------------------------------------------------------


def _id_series(ids: Ids) -> pl.Series:
    if isinstance(ids, pl.Series):
        return ids.cast(pl.String).rename("id")
    return pl.Series("id", list(ids), dtype=pl.String)


def _id_in(ids: pl.Series) -> pl.Expr:
    return pl.col("id").is_in(ids.implode()).fill_null(False)


def _per_document(keywords: pl.DataFrame) -> pl.DataFrame:
    """One row per (id, key), with the best score that article gives the key."""
    return keywords.group_by("id", "key").agg(pl.col("score").min())


def _display_forms(keywords: pl.DataFrame) -> pl.DataFrame:
    """`key, keyword`: each key's most frequent surface form, ties to the alphabetically first."""
    return (
        keywords.group_by("key", "keyword")
        .len()
        .sort(["key", "len", "keyword"], descending=[False, True, False])
        .unique(subset="key", keep="first", maintain_order=True)
        .select("key", "keyword")
    )


def _head(frame: pl.DataFrame, top: int | None) -> pl.DataFrame:
    return frame if top is None else frame.head(max(top, 0))
