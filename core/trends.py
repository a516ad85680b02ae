"""A keyword's trend: the articles holding it per section, ISO week or month, beside each
bucket's size; and `keyword_profile`, its trends and co-occurring keywords from one query.

Trends count documents (not occurrences) per bucket with the bucket's size beside them, so a
busy week is not mistaken for a rising keyword (`share`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from core.cooccurrence import cooccurring_plan, holder_ids
from core.keyword_index import KeywordIndex
from core.keyword_rows import id_in

TREND_SCHEMA: dict[str, pl.DataType] = {
    "bucket": pl.String(),
    "start": pl.Date(),
    "docs": pl.UInt32(),
    "total": pl.UInt32(),
    "share": pl.Float64(),
}

TrendBy = Literal["section", "week", "month"]

# Polars truncate/date_range interval and strftime label of each time bucket. `%G-W%V` is the
# ISO week-numbering year and week, so 2021-01-03 (a Sunday) is in 2020-W53.
_PERIODS: dict[str, tuple[str, str]] = {"week": ("1w", "%G-W%V"), "month": ("1mo", "%Y-%m")}


def keyword_trend(
    articles: pl.DataFrame,
    keywords: pl.DataFrame,
    key: str,
    by: TrendBy = "section",
    index: KeywordIndex | None = None,
) -> pl.DataFrame:
    """Documents holding `key`, per bucket of `articles` (TREND_SCHEMA).

    - `by="section"`: one row per section of `articles` (null section: a null bucket), also
      sections without the key; sorted by docs (desc), then share (desc), then bucket.
    - `by="week"` / `by="month"`: dated articles only, one row per ISO week (`2021-W44`,
      starting on Monday) or calendar month (`2021-11`) from the corpus's first dated period to
      its last, in time order, zero-filled; `start` is the period's first day. No dated
      article: no rows.

    `total` is every row of the bucket, `share` = docs / total (null for an empty bucket).
    `index`, when given, is the `KeywordIndex` of `articles` and `keywords`: it finds the
    articles holding the key in integers (same result).
    """
    _check_trend_by(by)
    return _trend_plan(_with_key(articles, keywords, key, index), by).collect()


def _check_trend_by(by: str) -> None:
    if by != "section" and by not in _PERIODS:
        raise ValueError(f"unknown trend bucket {by!r}: section, week or month")


def _with_key(
    articles: pl.DataFrame, keywords: pl.DataFrame, key: str, index: KeywordIndex | None
) -> pl.LazyFrame:
    """`section, date, has_key` for each row of `articles`."""
    if index is not None:
        return index.with_key(articles, index.has_key(key))
    holders = holder_ids(keywords.lazy(), key)
    return articles.lazy().select("section", "date", has_key=id_in(holders))


def _trend_plan(frame: pl.LazyFrame, by: str) -> pl.LazyFrame:
    """`keyword_trend`'s query over `frame` (`section, date, has_key`)."""
    if by == "section":
        counted = (
            frame.group_by("section")
            .agg(docs=pl.col("has_key").sum(), total=pl.len())
            .select(
                bucket="section", start=pl.lit(None, dtype=pl.Date()), docs="docs", total="total"
            )
            .pipe(_with_share)
            .sort(["docs", "share", "bucket"], descending=[True, True, False], nulls_last=True)
        )
        return counted.select(list(TREND_SCHEMA)).cast(TREND_SCHEMA)
    every, label = _PERIODS[by]
    dated = (
        frame.filter(pl.col("date").is_not_null())
        .group_by(start=pl.col("date").dt.truncate(every))
        .agg(docs=pl.col("has_key").sum(), total=pl.len())
    )
    # Every period from the first to the last; no dated article: a null range, dropped.
    periods = (
        dated.select(pl.date_ranges(pl.col("start").min(), pl.col("start").max(), interval=every).alias("start"))
        .explode("start")
        .drop_nulls()
    )
    return (
        periods.join(dated, on="start", how="left", maintain_order="left")
        .with_columns(pl.col("docs", "total").fill_null(0))
        .pipe(_with_share)
        .with_columns(bucket=pl.col("start").dt.strftime(label))
        .select(list(TREND_SCHEMA))
        .cast(TREND_SCHEMA)
    )


def _with_share(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame.with_columns(
        share=pl.when(pl.col("total") > 0).then(pl.col("docs") / pl.col("total"))
    )


@dataclass(frozen=True, slots=True)
class KeywordProfile:
    """Where, when and with what one keyword occurs (`keyword_profile`)."""

    trends: dict[TrendBy, pl.DataFrame]
    """`keyword_trend(..., by=by)` for each bucket asked for."""
    cooccurring: pl.DataFrame
    """`cooccurring_keywords(..., top=top)`."""


def keyword_profile(
    articles: pl.DataFrame,
    keywords: pl.DataFrame,
    key: str,
    by: Sequence[TrendBy] = ("section", "week", "month"),
    top: int | None = 20,
    index: KeywordIndex | None = None,
) -> KeywordProfile:
    """`keyword_trend` of `key` for each bucket in `by` and its `cooccurring_keywords` (the
    same frames), from one Polars query.

    For a worker thread while the UI thread runs Python: each return from a Polars query
    waits for the GIL, up to the interpreter's switch interval (5 ms) when the other thread
    holds it, and the separate calls make dozens of such returns; one query makes one.
    With `index` (as for the separate calls) the steps before the query are Series
    operations, which hold the GIL.
    """
    for bucket in by:
        _check_trend_by(bucket)
    if index is not None:
        has_key = index.has_key(key)
        frame = index.with_key(articles, has_key)
        cooccurring = index.cooccurring_plan(key, has_key, top)
    else:
        holders = holder_ids(keywords.lazy(), key)
        frame = articles.lazy().select("section", "date", has_key=id_in(holders))
        cooccurring = cooccurring_plan(keywords.lazy(), key, holders, top)
    buckets = list(dict.fromkeys(by))
    *trends, cooccurring_frame = pl.collect_all([*(_trend_plan(frame, bucket) for bucket in buckets), cooccurring])
    return KeywordProfile(trends=dict(zip(buckets, trends, strict=True)), cooccurring=cooccurring_frame)
