"""Keyness: keywords over-represented in a subset of articles against the rest.

Dunning's log-likelihood G2 over the full 2x2 table of *document* counts (subset/rest x
with/without the key), with Hardie's Log Ratio as the effect size. Only keys relatively more
frequent in the subset are returned.

Distinctive keywords (the filtered view against the rest of the corpus) are keyness with a
floor: a key must be in at least DISTINCTIVE_MIN_DOCS subset articles, or in every one of a
smaller subset. Without it, keys of a single article (docs 1 vs 0: a Log Ratio near
log2(2d/c)) crowd the list; three is the smallest count that says "recurs", and the cap
keeps a one- or two-article view useful.
"""

from __future__ import annotations

import polars as pl

from core.keyword_rows import Ids, display_forms, head, id_in, id_series

KEYNESS_SCHEMA: dict[str, pl.DataType] = {
    "keyword": pl.String(),
    "key": pl.String(),
    "docs_subset": pl.UInt32(),
    "docs_rest": pl.UInt32(),
    "g2": pl.Float64(),
    "log_ratio": pl.Float64(),
}

DISTINCTIVE_MIN_DOCS = 3
"""Subset articles a key needs to count as distinctive (capped at the subset's size)."""

_ZERO_CORRECTION = 0.5


def keyness(
    keywords: pl.DataFrame, subset_ids: Ids, total_ids: Ids, top: int | None = None
) -> pl.DataFrame:
    """Keywords over-represented in `subset_ids` against the rest of `total_ids` (KEYNESS_SCHEMA),
    sorted by g2 (desc), then log_ratio (desc), then key.

    Sizes are distinct article counts, so articles without keywords count: c = |subset ∩ total|,
    d = |total| - c. An empty subset, or a subset that is the whole corpus, has no keyness.
    """
    return head(_keyness(keywords, subset_ids, total_ids, min_docs=1), top).collect()


def _keyness(
    keywords: pl.DataFrame, subset_ids: Ids, total_ids: Ids, min_docs: int
) -> pl.LazyFrame:
    """`keyness` unlimited, keeping keys held by at least `min_docs` subset articles."""
    total = id_series(total_ids).unique()
    subset = id_series(subset_ids).unique()
    subset = subset.filter(subset.is_in(total.implode()))
    c, d = subset.len(), total.len() - subset.len()
    if c == 0 or d == 0:
        return pl.LazyFrame(schema=KEYNESS_SCHEMA)
    in_total = keywords.lazy().filter(id_in(total))
    counts = (
        in_total.with_columns(in_subset=id_in(subset))
        .group_by("key")
        .agg(
            docs_subset=pl.col("in_subset").sum().cast(pl.UInt32),
            docs_rest=(~pl.col("in_subset")).sum().cast(pl.UInt32),
        )
    )
    scored = keyness_ranked(counts, c, d, min_docs)
    forms = display_forms(in_total.filter(id_in(subset)))
    return (
        scored.join(forms, on="key", how="left")
        .sort(["g2", "log_ratio", "key"], descending=[True, True, False])
        .select(list(KEYNESS_SCHEMA))
        .cast(KEYNESS_SCHEMA)
    )


def keyness_ranked(counts: pl.LazyFrame, c: int, d: int, min_docs: int) -> pl.LazyFrame:
    """`counts` (docs_subset, docs_rest per key) of the keys over-represented in the subset
    and held by at least `min_docs` subset articles, with g2 and log_ratio.

    The scores are computed once per distinct (docs_subset, docs_rest) pair, in pair order,
    and joined back. Polars can round the same float expression differently in the last bit
    depending on the frame (a 4-in-7 subset's (3, 1) scored alone and among other keys
    differ; a frame of three (3, 1) rows held two values), so scoring per key gave the index
    path and the string path, which hold different sets of keys, unequal G2 for equal counts,
    and equal counts could be told apart by that bit instead of tying to the key order."""
    a, b = pl.col("docs_subset").cast(pl.Float64), pl.col("docs_rest").cast(pl.Float64)
    # a/c > b/d, compared as integer cross-products so ties are exact.
    over = counts.filter(
        pl.col("docs_subset").cast(pl.Int64) * d > pl.col("docs_rest").cast(pl.Int64) * c,
        pl.col("docs_subset") >= min_docs,
    )
    pairs = ["docs_subset", "docs_rest"]
    scores = (
        over.select(pairs)
        .unique()
        .sort(pairs)
        .with_columns(g2=_g2(a, b, c, d), log_ratio=_log_ratio(a, b, c, d))
    )
    return over.join(scores, on=pairs, how="left")


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


def distinctive_keywords(
    articles: pl.DataFrame,
    keywords: pl.DataFrame,
    subset_ids: Ids,
    top: int | None = None,
    min_docs: int = DISTINCTIVE_MIN_DOCS,
) -> pl.DataFrame:
    """Keywords over-represented in `subset_ids` against the rest of `articles` (KEYNESS_SCHEMA:
    docs_subset, docs_rest, G2 and the Log Ratio effect size), sorted like `keyness`.

    A key must be in at least `min(min_docs, |subset|)` subset articles: one article's
    idiosyncratic keyword would otherwise rank high (its Log Ratio is large whenever the rest
    lacks it). Capping at the subset size keeps small subsets (one or two articles) useful.

    `KeywordIndex.distinctive` gives the same frame from row positions, in integers.
    """
    total = articles.get_column("id")
    subset = id_series(subset_ids).unique()
    size = int(subset.is_in(total.implode()).sum())
    floor = min(max(min_docs, 1), max(size, 1))
    return head(_keyness(keywords, subset, total, floor), top).collect()
