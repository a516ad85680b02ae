"""Aggregated keywords of any subset of articles, over the keyword strings.

`docs` is a key's article count in the subset: a keywords frame holds at most one row per
(id, key), since keyword post-processing merges case variants into one entry per normalised
key (`keywords.unique(["id", "key"])` restores that for a frame built some other way).
`score` is the *mean* YAKE score over the articles that hold the key: the minimum would let
one article's outlier decide; the mean says how strong it typically is. The display
`keyword` is the most frequent surface form (ties: the alphabetically first).
"""

from __future__ import annotations

import polars as pl

from core.keyword_rows import Ids, display_forms, head, id_in, id_series

AGGREGATE_SCHEMA: dict[str, pl.DataType] = {
    "keyword": pl.String(),
    "key": pl.String(),
    "docs": pl.UInt32(),
    "score": pl.Float64(),
}


def aggregate_keywords(
    keywords: pl.DataFrame, ids: Ids | None = None, top: int | None = None
) -> pl.DataFrame:
    """Corpus-level keywords of the articles `ids` (all when None): AGGREGATE_SCHEMA columns,
    ranked by docs (desc), then score (asc), then key."""
    subset = keywords.lazy()
    if ids is not None:
        subset = subset.filter(id_in(id_series(ids)))
    ranked = (
        subset.group_by("key")
        .agg(docs=pl.len().cast(pl.UInt32), score=pl.col("score").mean())
        .sort(["docs", "score", "key"], descending=[True, False, False], nulls_last=True)
    )
    if top is None:
        return _finish_aggregate(ranked, display_forms(subset)).collect()
    # Display forms only for the keys kept: a second group-by over every (key, keyword) pair
    # would cost as much as the ranking itself.
    kept = head(ranked, top).collect().lazy()
    forms = display_forms(subset.join(kept.select("key"), on="key", how="semi"))
    return _finish_aggregate(kept, forms).collect()


def _finish_aggregate(ranked: pl.LazyFrame, forms: pl.LazyFrame) -> pl.LazyFrame:
    return (
        ranked.join(forms, on="key", how="left", maintain_order="left")
        .select(list(AGGREGATE_SCHEMA))
        .cast(AGGREGATE_SCHEMA)
    )
