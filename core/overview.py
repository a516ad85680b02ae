"""The corpus overview: what a folder holds, at a glance (counts, dates, sections, sources,
languages, the most repeated rows and the top keywords)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from core.aggregate import aggregate_keywords
from core.corpus import ARTICLE as ARTICLE_KIND
from core.corpus import TEASER as TEASER_KIND
from core.keyword_index import KeywordIndex
from core.keyword_rows import head
from core.query_terms import Marks, id_marked

OVERVIEW_TOP = 20
"""Rows kept in each ranked frame of the corpus overview."""


@dataclass(frozen=True, slots=True)
class CorpusOverview:
    """What a folder holds, at a glance. Counts are rows of the articles frame (articles and
    teasers); `by_section`, `by_source`, `duplicates` and `top_keywords` keep their first
    `top` rows, the `sections`/`sources` counts say how many there are in all."""

    rows: int
    """Rows of the articles frame."""
    articles: int
    """Rows of kind `article`."""
    teasers: int
    """Rows of kind `teaser`."""
    sections: int
    """Distinct non-null sections."""
    sources: int
    """Distinct non-null sources."""
    dated: int
    """Rows with a date."""
    first_date: dt.date | None
    """Earliest date (None: no dated row)."""
    last_date: dt.date | None
    """Latest date."""
    indexed: int
    """Rows that have keywords."""
    duplicate_rows: int
    """Rows seen more than once across the input (copies > 1)."""
    extra_sightings: int
    """Sightings folded into those rows: sum of (copies - 1)."""
    by_section: pl.DataFrame
    """section, docs, share (of rows): most rows first, then by name, null (no section) last."""
    by_source: pl.DataFrame
    """source, docs, share: the same for sources."""
    languages: pl.DataFrame
    """language, docs, share: every language, most rows first."""
    duplicates: pl.DataFrame
    """id, kind, title, copies: the most repeated rows (copies > 1), most copies first."""
    top_keywords: pl.DataFrame
    """AGGREGATE_SCHEMA: the corpus's keywords, most documents first."""
    read: int = 0
    """Rows the user has read (the rest are unread)."""
    bookmarked: int = 0
    """Rows the user bookmarked."""


def corpus_overview(
    articles: pl.DataFrame,
    keywords: pl.DataFrame,
    top: int = OVERVIEW_TOP,
    index: KeywordIndex | None = None,
    marks: Marks | None = None,
) -> CorpusOverview:
    """The corpus overview of `articles` and its `keywords` (see CorpusOverview). `keywords`
    are the corpus's own (rows of other articles would count as indexed). `index`, when given,
    is their `KeywordIndex`: the top keywords and the indexed rows come from it (the panel's
    whole-corpus aggregate, usually computed already) instead of group-bys over every keyword string.
    `marks`: the user's read and bookmarked ids, counted among these rows (ids of other corpora
    or of rows gone since are not)."""
    rows = articles.height
    marks = marks or Marks()
    frame = articles.lazy()
    scalars = frame.select(
        articles=(pl.col("kind") == ARTICLE_KIND).sum(),
        teasers=(pl.col("kind") == TEASER_KIND).sum(),
        sections=pl.col("section").drop_nulls().n_unique(),
        sources=pl.col("source").drop_nulls().n_unique(),
        dated=pl.col("date").count(),
        first_date=pl.col("date").min(),
        last_date=pl.col("date").max(),
        duplicate_rows=(pl.col("copies") > 1).sum(),
        extra_sightings=(pl.col("copies").cast(pl.Int64) - 1).clip(lower_bound=0).sum(),
        read=id_marked(marks.read).sum(),
        bookmarked=id_marked(marks.bookmarked).sum(),
    )
    indexed = (
        pl.LazyFrame({"indexed": [index.indexed_rows()]})
        if index is not None
        else keywords.lazy().select(indexed=pl.col("id").n_unique())
    )
    duplicates = (
        frame.filter(pl.col("copies") > 1)
        .sort(["copies", "title", "id"], descending=[True, False, False])
        .select("id", "kind", "title", "copies")
        .head(max(top, 0))
    )
    # One collect_all, so Polars runs the independent queries in parallel.
    values, counted, dups, by_section, by_source, languages = pl.collect_all(
        [
            scalars,
            indexed,
            duplicates,
            _counts(frame, "section", rows, top),
            _counts(frame, "source", rows, top),
            _counts(frame, "language", rows, None),
        ]
    )
    value = values.row(0, named=True)
    return CorpusOverview(
        rows=rows,
        articles=int(value["articles"] or 0),
        teasers=int(value["teasers"] or 0),
        sections=int(value["sections"] or 0),
        sources=int(value["sources"] or 0),
        dated=int(value["dated"] or 0),
        first_date=value["first_date"],
        last_date=value["last_date"],
        indexed=int(counted.item() or 0),
        duplicate_rows=int(value["duplicate_rows"] or 0),
        extra_sightings=int(value["extra_sightings"] or 0),
        by_section=by_section,
        by_source=by_source,
        languages=languages,
        duplicates=dups,
        top_keywords=index.aggregate(None, top=top) if index is not None else aggregate_keywords(keywords, top=top),
        read=int(value["read"] or 0),
        bookmarked=int(value["bookmarked"] or 0),
    )


def _counts(frame: pl.LazyFrame, column: str, rows: int, top: int | None) -> pl.LazyFrame:
    """`column, docs, share`: rows per value, most first, then by value, null last."""
    counted = (
        frame.group_by(column)
        .agg(docs=pl.len().cast(pl.UInt32))
        .with_columns(share=pl.col("docs") / max(rows, 1))
        .sort(["docs", column], descending=[True, False], nulls_last=True)
    )
    return head(counted, top)
