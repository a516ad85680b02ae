"""`KeywordIndex`: the keywords of one articles frame in integers, so that the aggregate per
keystroke, a view's distinctive keywords and a keyword's trends and co-occurring keywords
count over integers instead of strings, with the same frames as over the strings (tested; an
aggregate's mean score may differ in the last bits, summed in another order).

An index is handed to the code that counts with it (the view builds one per keywords frame;
the keyword panel and the trends and overview screens are given it), never looked up: what a
screen uses is in its arguments. Whoever is handed frames and an index checks that the index
is of those frames (`matching_index`: the keywords frame by identity, since frames are never
modified in place, the article ids by value), because a worker may install a new corpus
between the two reads; without a matching index it counts over the strings, with the same
result.
"""

from __future__ import annotations

import polars as pl

from core.aggregate import AGGREGATE_SCHEMA
from core.cooccurrence import COOCCURRENCE_SCHEMA, log_dice
from core.keyness import DISTINCTIVE_MIN_DOCS, KEYNESS_SCHEMA, keyness_ranked
from core.keyword_rows import display_forms, head


class KeywordIndex:
    """The keywords of one articles frame in integer form, for `aggregate_keywords` per keystroke
    and a keyword's trend and co-occurring keywords.

    Built once per (articles, keywords) pair: each keyword row's article as its row position in
    the articles frame and its key as a code (codes in sorted key order, so ordering by code is
    ordering by key). Aggregating a subset, given as row positions, is then a boolean gather and
    a group-by over integers instead of a string `is_in` and a group-by over strings, an order
    of magnitude less work on a large corpus. Same result as `aggregate_keywords` (tested); keyword
    rows whose id is not in the articles frame are left out.

    Building one is a join over every keyword row, so the one built for a corpus is handed to
    whatever counts over that corpus (`matching_index` checks it is of the frames at hand).
    """

    def __init__(self, article_ids: pl.Series, keywords: pl.DataFrame) -> None:
        self.size = article_ids.len()
        """Rows of the articles frame the positions refer to."""
        self._article_ids = article_ids
        self._keywords = keywords
        self._keys = keywords.get_column("key").unique().sort()
        codes = pl.DataFrame({"key": self._keys}).with_row_index("code")
        rows = pl.DataFrame({"id": article_ids.cast(pl.String)}).with_row_index("row")
        self._rows = (
            keywords.lazy()
            .select("id", "key", "keyword", "score")
            .join(rows.lazy(), on="id", how="inner")
            .join(codes.lazy(), on="key", how="inner")
            .select("row", "code", "keyword", "score")
            .collect()
        )
        self._everything: dict[int | None, pl.DataFrame] = {}
        self._all_counts: pl.DataFrame | None = None
        self._indexed: int | None = None
        self._none = pl.repeat(False, self.size, dtype=pl.Boolean, eager=True).alias("has_key")
        """`has_key` of a key no article holds."""
        self._no_code = pl.repeat(False, self._keys.len(), dtype=pl.Boolean, eager=True)
        """A Boolean per key code, all False."""

    def is_of(self, article_ids: pl.Series, keywords: pl.DataFrame) -> bool:
        """Whether this index was built over this very `keywords` frame and articles with these
        ids, in this order (so row positions in that articles frame are positions here)."""
        if self._keywords is not keywords or self.size != article_ids.len():
            return False
        return self._article_ids is article_ids or self._article_ids.equals(article_ids)

    def has_key(self, key: str) -> pl.Series:
        """`has_key`: for each row of the articles frame, whether that article holds `key`.

        Series operations only, which return without releasing the GIL: a worker calling this
        does not wait for a busy UI thread (each return from a query or a DataFrame operation
        would wait for the GIL)."""
        code = self._code(key)
        if code is None:
            return self._none
        rows = self._rows.get_column("row")
        holders = rows.filter(self._rows.get_column("code") == code)
        # scatter writes in place: into a copy, never into `_none`.
        return self._none.clone().scatter(holders, True)

    def _code(self, key: str) -> int | None:
        found = (self._keys == key).arg_true()
        return int(found[0]) if found.len() else None

    def _counts(self) -> pl.DataFrame:
        """`code, docs, score`: every key's articles and mean score over the whole articles
        frame, computed once (the whole-corpus aggregate and co-occurrence share it; racing
        threads compute the same)."""
        if self._all_counts is None:
            self._all_counts = (
                self._rows.lazy()
                .group_by("code")
                .agg(docs=pl.len().cast(pl.UInt32), score=pl.col("score").mean())
                .collect()
            )
        return self._all_counts

    def indexed_rows(self) -> int:
        """Articles with at least one keyword (computed once)."""
        if self._indexed is None:
            self._indexed = self._rows.get_column("row").n_unique()
        return self._indexed

    def with_key(self, articles: pl.DataFrame, has_key: pl.Series) -> pl.LazyFrame:
        """`section, date, has_key` of `articles` (the frame this index is of); `has_key` is
        `has_key`'s."""
        if self.size != articles.height:
            raise ValueError(f"the index is of {self.size} articles, not {articles.height}")
        return articles.lazy().select("section", "date", has_key=pl.lit(has_key))

    def cooccurring_plan(self, key: str, has_key: pl.Series, top: int | None) -> pl.LazyFrame:
        """The query of `cooccurring_keywords(keywords, key, top=top)` over the whole articles
        frame, in integers; `has_key` is `has_key(key)`."""
        code = self._code(key)
        size_a = int(has_key.sum())
        if code is None or size_a == 0:
            return pl.LazyFrame(schema=COOCCURRENCE_SCHEMA)
        in_a = self._rows.lazy().filter(pl.lit(has_key).gather(pl.col("row"))).select("code", "keyword")
        ranked = (
            in_a.group_by("code")
            .agg(shared=pl.len().cast(pl.UInt32))
            .filter(pl.col("code") != code)
            .join(self._counts().lazy().select("code", "docs"), on="code", how="inner")
            .with_columns(strength=log_dice(size_a))
            .sort(["strength", "shared", "code"], descending=[True, True, False])
        )
        return self._with_forms(head(ranked, top), in_a, COOCCURRENCE_SCHEMA)

    def _with_forms(
        self, kept: pl.LazyFrame, keyword_rows: pl.LazyFrame, schema: dict[str, pl.DataType]
    ) -> pl.LazyFrame:
        """Ranked `kept` codes with their key and display form (the commonest surface form
        among `keyword_rows` of that code), as `schema`."""
        forms = display_forms(
            keyword_rows.join(kept.select("code"), on="code", how="semi").rename({"code": "key"})
        ).rename({"key": "code"})
        return (
            kept.join(forms, on="code", how="left", maintain_order="left")
            .with_columns(key=pl.lit(self._keys).gather(pl.col("code")))
            .select(list(schema))
            .cast(schema)
        )

    def distinctive(
        self, rows: pl.Series, top: int | None = None, min_docs: int = DISTINCTIVE_MIN_DOCS
    ) -> pl.DataFrame:
        """`distinctive_keywords` of the articles at positions `rows` (a position given twice
        counts once) against the rest of the articles frame: the same frame, counted in
        integers. A key's rest count is its whole-corpus count (`_counts`, shared with the
        panel's aggregate) less its subset count, so only the subset's keyword rows are
        grouped, not every keyword row of the corpus."""
        chosen = self._mask(rows)
        c = int(chosen.sum())
        d = self.size - c
        if c == 0 or d == 0:
            return pl.DataFrame(schema=KEYNESS_SCHEMA)
        floor = min(max(min_docs, 1), c)
        in_subset = self._rows.lazy().filter(pl.lit(chosen).gather(pl.col("row"))).select("code", "keyword")
        counts = (
            in_subset.group_by("code")
            .agg(docs_subset=pl.len().cast(pl.UInt32))
            .join(self._counts().lazy().select("code", "docs"), on="code", how="inner")
            .with_columns(docs_rest=(pl.col("docs") - pl.col("docs_subset")).cast(pl.UInt32))
        )
        ranked = keyness_ranked(counts, c, d, floor).sort(
            ["g2", "log_ratio", "code"], descending=[True, True, False]
        )
        return self._with_forms(head(ranked, top), in_subset, KEYNESS_SCHEMA).collect()

    def _mask(self, rows: pl.Series) -> pl.Series:
        """A Boolean per article row, True at `rows`."""
        return self._none.clone().scatter(rows.cast(pl.UInt32), True) if rows.len() else self._none

    def aggregate(self, rows: pl.Series | None = None, top: int | None = None) -> pl.DataFrame:
        """`aggregate_keywords` of the articles at positions `rows` (all when None)."""
        if rows is None:
            cached = self._everything.get(top)
            if cached is None and top is not None:
                # The head of a longer list already made (the panel's) is the same list.
                longer = [kept for kept in self._everything if kept is None or kept >= top]
                if longer:
                    cached = self._everything[top] = self._everything[longer[0]].head(max(top, 0))
            if cached is None:
                cached = self._everything[top] = self._aggregate(None, top, self._counts())
            return cached
        return self._aggregate(self._mask(rows), top)

    def _aggregate(self, chosen: pl.Series | None, top: int | None, counts: pl.DataFrame | None = None) -> pl.DataFrame:
        """The aggregate of the articles where `chosen` (a Boolean per article row; None: all)
        is True; `counts`: their `_counts`, when already computed.

        Two queries, each filtering the keyword rows inside it: the ranking groups only the
        chosen rows' codes and scores, and the display forms (a group-by over strings) read
        only the chosen rows of the keys kept. Fewer calls matter as much as less work: the
        panel's worker runs while the UI thread paints the list, and each return from Polars
        waits for the GIL, so filtering the keyword strings first, in more calls, is slower
        beside a busy thread (docs/performance.md, bench/insight.py)."""
        frame = self._rows.lazy()
        if chosen is not None:
            frame = frame.filter(pl.lit(chosen).gather(pl.col("row")))
        counted = (
            counts.lazy()
            if counts is not None
            else frame.select("code", "score").group_by("code").agg(docs=pl.len().cast(pl.UInt32), score=pl.col("score").mean())
        )
        ranked = counted.sort(["docs", "score", "code"], descending=[True, False, False], nulls_last=True)
        kept = head(ranked, top).collect()
        if top is not None:
            wanted = self._no_code.clone().scatter(kept.get_column("code"), True) if kept.height else self._no_code
            frame = frame.filter(pl.lit(wanted).gather(pl.col("code")))
        forms = display_forms(frame.select("code", "keyword").rename({"code": "key"})).rename({"key": "code"})
        return (
            kept.lazy()
            .join(forms, on="code", how="left", maintain_order="left")
            .with_columns(key=pl.lit(self._keys).gather(pl.col("code")))
            .select(list(AGGREGATE_SCHEMA))
            .cast(AGGREGATE_SCHEMA)
            .collect()
        )


def matching_index(
    index: KeywordIndex | None, articles: pl.DataFrame, keywords: pl.DataFrame
) -> KeywordIndex | None:
    """`index` when it is the `KeywordIndex` of these very frames (`KeywordIndex.is_of`), so
    its row positions are rows of `articles`; None otherwise (count over the strings)."""
    if index is None or not index.is_of(articles.get_column("id"), keywords):
        return None
    return index
