"""The pieces every keyword count shares: which articles (`Ids`, `id_in`), a key's display
form (its commonest surface form), and the first rows of a ranking."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

Ids = pl.Series | Sequence[str]


def id_series(ids: Ids) -> pl.Series:
    if isinstance(ids, pl.Series):
        return ids.cast(pl.String).rename("id")
    return pl.Series("id", list(ids), dtype=pl.String)


def id_in(ids: pl.Series) -> pl.Expr:
    return pl.col("id").is_in(ids.implode()).fill_null(False)


def display_forms(keywords: pl.LazyFrame) -> pl.LazyFrame:
    """`key, keyword`: each key's most frequent surface form, ties to the alphabetically first."""
    return (
        keywords.group_by("key", "keyword")
        .len()
        .group_by("key")
        .agg(pl.col("keyword").sort_by(["len", "keyword"], descending=[True, False]).first())
    )


def head(frame: pl.LazyFrame, top: int | None) -> pl.LazyFrame:
    return frame if top is None else frame.head(max(top, 0))
