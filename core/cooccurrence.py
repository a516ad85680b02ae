"""Co-occurring keywords: keys that share articles with a given key, ranked by log-Dice.

Strength is log-Dice (Rychlý 2008), 14 + log2(2|A∩B| / (|A| + |B|)) over document counts:
bounded (max 14), comparable across corpora of any size, and it does not favour rare keys the
way PMI does, so it needs no minimum count.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from core.keyword_rows import Ids, display_forms, head, id_in, id_series

if TYPE_CHECKING:
    from core.keyword_index import KeywordIndex

COOCCURRENCE_SCHEMA: dict[str, pl.DataType] = {
    "keyword": pl.String(),
    "key": pl.String(),
    "shared": pl.UInt32(),
    "docs": pl.UInt32(),
    "strength": pl.Float64(),
}

_LOG_DICE_MAX = 14.0


def cooccurring_keywords(
    keywords: pl.DataFrame,
    key: str,
    ids: Ids | None = None,
    top: int | None = 20,
    index: KeywordIndex | None = None,
) -> pl.DataFrame:
    """Keys that share articles with `key` (COOCCURRENCE_SCHEMA), within `ids` when given.

    `shared` = |A ∩ B| (articles holding both), `docs` = |B|, and `strength` is log-Dice:
    14 + log2(2·|A ∩ B| / (|A| + |B|)), at most 14 (B always comes with A and only with it),
    one point less for each halving of the Dice coefficient. Unlike PMI it does not reward
    rare keys (a key seen once next to a key seen 100 times scores 14 + log2(2/101) ≈ 8.3),
    so no minimum count is needed, and it does not grow with the corpus size. Sorted by
    strength (desc), then shared (desc), then key.

    `index`, when given, is a `KeywordIndex` of `keywords` and the articles they belong to: the
    whole corpus is then counted in integers (same result, less work).
    Within `ids` it is not used.
    """
    if index is not None and ids is None:
        return index.cooccurring_plan(key, index.has_key(key), top).collect()
    frame = keywords.lazy()
    if ids is not None:
        frame = frame.filter(id_in(id_series(ids)))
    return cooccurring_plan(frame, key, holder_ids(frame, key), top).collect()


def cooccurring_plan(
    frame: pl.LazyFrame, key: str, holders: pl.Series, top: int | None
) -> pl.LazyFrame:
    """`cooccurring_keywords` of `key` over the keyword rows `frame`; `holders`: the ids of
    the articles in `frame` holding `key`."""
    size_a = holders.len()
    if size_a == 0:
        return pl.LazyFrame(schema=COOCCURRENCE_SCHEMA)
    # One group-by over all rows gives both |A ∩ B| and |B| for every key B.
    ranked = (
        frame.with_columns(in_a=id_in(holders))
        .group_by("key")
        .agg(shared=pl.col("in_a").sum().cast(pl.UInt32), docs=pl.len().cast(pl.UInt32))
        .filter(pl.col("shared") > 0, pl.col("key") != key)
        .with_columns(strength=log_dice(size_a))
        .sort(["strength", "shared", "key"], descending=[True, True, False])
    )
    kept = head(ranked, top)
    neighbours = frame.filter(id_in(holders)).join(kept.select("key"), on="key", how="semi")
    return (
        kept.join(display_forms(neighbours), on="key", how="left", maintain_order="left")
        .select(list(COOCCURRENCE_SCHEMA))
        .cast(COOCCURRENCE_SCHEMA)
    )


def holder_ids(keywords: pl.LazyFrame, key: str) -> pl.Series:
    return keywords.filter(pl.col("key") == key).select("id").unique().collect().get_column("id")


def log_dice(size_a: int | pl.Expr) -> pl.Expr:
    return _LOG_DICE_MAX + (2 * pl.col("shared").cast(pl.Float64) / (size_a + pl.col("docs"))).log(2)
