"""Corpus statistics over the keywords and articles frames: aggregated keywords for any subset,
keyness of a subset against the rest (and its "distinctive keywords" form), KWIC concordance
lines, a keyword's trend by section and by week or month, co-occurring keywords, and the corpus
overview (`KeywordIndex`: the aggregate per keystroke, a view's distinctive keywords, and a
keyword's trends and co-occurring keywords, in integers; `keyword_profile`: those at once).
Polars does the per-article work; for KWIC it finds and marks every match, and Python only cuts
the context of each match.

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
- Distinctive keywords (the filtered view against the rest of the corpus) are keyness with a
  floor: a key must be in at least DISTINCTIVE_MIN_DOCS (3) subset articles, or in every one of
  a smaller subset. Without it, keys of a single article (docs 1 vs 0: Log Ratio ~ log2(2d/c))
  crowd the list; three is the smallest count that says "recurs", and the cap keeps a one- or
  two-article view useful.
- Co-occurrence strength is log-Dice (Rychlý 2008), 14 + log2(2|A∩B| / (|A| + |B|)) over
  document counts: bounded (max 14), comparable across corpora of any size, and it does not
  favour rare keys the way PMI does, so it needs no minimum count.
- Trends count documents (not occurrences) per bucket with the bucket's size beside them, so a
  busy week is not mistaken for a rising keyword (`share`).
- A `KeywordIndex` is handed to the code that counts with it (the view builds one per
  keywords frame; the keyword panel and the trends and overview screens are given it), never
  looked up: what a screen uses is in its arguments. Whoever is handed frames and an index
  checks that the index is of those frames (`matching_index`: the keywords frame by identity,
  since frames are never modified in place, the article ids by value), because a worker may
  install a new corpus between the two reads; without a matching index it counts over the
  strings, with the same result.
- Trends, co-occurrence and distinctive keywords through an index give the same frames as
  over the strings (tested; an aggregate's mean score may differ in the last bits, summed in
  another order); `keyword_profile` runs a keyword's trends and co-occurrence as one query, for
  workers that run beside a busy UI thread.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from core.corpus import ARTICLE as ARTICLE_KIND
from core.corpus import TEASER as TEASER_KIND
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

TREND_SCHEMA: dict[str, pl.DataType] = {
    "bucket": pl.String(),
    "start": pl.Date(),
    "docs": pl.UInt32(),
    "total": pl.UInt32(),
    "share": pl.Float64(),
}
COOCCURRENCE_SCHEMA: dict[str, pl.DataType] = {
    "keyword": pl.String(),
    "key": pl.String(),
    "shared": pl.UInt32(),
    "docs": pl.UInt32(),
    "strength": pl.Float64(),
}

Ids = pl.Series | Sequence[str]
TrendBy = Literal["section", "week", "month"]

DISTINCTIVE_MIN_DOCS = 3
"""Subset articles a key needs to count as distinctive (capped at the subset's size)."""
OVERVIEW_TOP = 20
"""Rows kept in each ranked frame of the corpus overview."""

_LOG_DICE_MAX = 14.0
# Polars truncate/date_range interval and strftime label of each time bucket. `%G-W%V` is the
# ISO week-numbering year and week, so 2021-01-03 (a Sunday) is in 2020-W53.
_PERIODS: dict[str, tuple[str, str]] = {"week": ("1w", "%G-W%V"), "month": ("1mo", "%Y-%m")}

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
        .sort(["docs", "score", "key"], descending=[True, False, False], nulls_last=True)
    )
    if top is None:
        return _finish_aggregate(ranked, _display_forms(subset)).collect()
    # Display forms only for the keys kept: a second group-by over every (key, keyword) pair
    # costs as much as the ranking itself (~70 ms at 1M keyword rows).
    kept = _head(ranked, top).collect().lazy()
    forms = _display_forms(subset.join(kept.select("key"), on="key", how="semi"))
    return _finish_aggregate(kept, forms).collect()


class KeywordIndex:
    """The keywords of one articles frame in integer form, for `aggregate_keywords` per keystroke
    and a keyword's trend and co-occurring keywords.

    Built once per (articles, keywords) pair: each keyword row's article as its row position in
    the articles frame and its key as a code (codes in sorted key order, so ordering by code is
    ordering by key). Aggregating a subset, given as row positions, is then a boolean gather and
    a group-by over integers instead of a string `is_in` and a group-by over strings: ~10x less
    at 100k articles and 1M keyword rows. Same result as `aggregate_keywords` (tested); keyword
    rows whose id is not in the articles frame are left out.

    Building one costs ~0.2 s at 1M keyword rows, so the one built for a corpus is handed to
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

    def _has_key(self, key: str) -> pl.Series:
        """`has_key`: for each row of the articles frame, whether that article holds `key`.

        Series operations only, which return without releasing the GIL: a worker calling this
        does not wait for a busy UI thread (a query or a DataFrame operation would, ~5 ms each)."""
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

    def _indexed_rows(self) -> int:
        """Articles with at least one keyword (computed once)."""
        if self._indexed is None:
            self._indexed = self._rows.get_column("row").n_unique()
        return self._indexed

    def _with_key(self, articles: pl.DataFrame, has_key: pl.Series) -> pl.LazyFrame:
        """`section, date, has_key` of `articles` (the frame this index is of); `has_key` is
        `_has_key`'s."""
        if self.size != articles.height:
            raise ValueError(f"the index is of {self.size} articles, not {articles.height}")
        return articles.lazy().select("section", "date", has_key=pl.lit(has_key))

    def _cooccurring_plan(self, key: str, has_key: pl.Series, top: int | None) -> pl.LazyFrame:
        """The query of `cooccurring_keywords(keywords, key, top=top)` over the whole articles
        frame, in integers; `has_key` is `_has_key(key)`."""
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
            .with_columns(strength=_log_dice(size_a))
            .sort(["strength", "shared", "code"], descending=[True, True, False])
        )
        return self._with_forms(_head(ranked, top), in_a, COOCCURRENCE_SCHEMA)

    def _with_forms(
        self, kept: pl.LazyFrame, keyword_rows: pl.LazyFrame, schema: dict[str, pl.DataType]
    ) -> pl.LazyFrame:
        """Ranked `kept` codes with their key and display form (the commonest surface form
        among `keyword_rows` of that code), as `schema`."""
        forms = _display_forms(
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
        grouped: ~10x less than the string path at 100k articles and 1M keyword rows."""
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
        ranked = _keyness_ranked(counts, c, d, floor).sort(
            ["g2", "log_ratio", "code"], descending=[True, True, False]
        )
        return self._with_forms(_head(ranked, top), in_subset, KEYNESS_SCHEMA).collect()

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
        waits for the GIL (at 100k articles and 1M keyword rows, a third of them chosen:
        ~25 ms alone, ~50 ms beside a busy thread; ~30 and ~80 ms with the keyword strings
        filtered first and more calls)."""
        frame = self._rows.lazy()
        if chosen is not None:
            frame = frame.filter(pl.lit(chosen).gather(pl.col("row")))
        counted = (
            counts.lazy()
            if counts is not None
            else frame.select("code", "score").group_by("code").agg(docs=pl.len().cast(pl.UInt32), score=pl.col("score").mean())
        )
        ranked = counted.sort(["docs", "score", "code"], descending=[True, False, False], nulls_last=True)
        kept = _head(ranked, top).collect()
        if top is not None:
            wanted = self._no_code.clone().scatter(kept.get_column("code"), True) if kept.height else self._no_code
            frame = frame.filter(pl.lit(wanted).gather(pl.col("code")))
        forms = _display_forms(frame.select("code", "keyword").rename({"code": "key"})).rename({"key": "code"})
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


def _finish_aggregate(ranked: pl.LazyFrame, forms: pl.LazyFrame) -> pl.LazyFrame:
    return (
        ranked.join(forms, on="key", how="left", maintain_order="left")
        .select(list(AGGREGATE_SCHEMA))
        .cast(AGGREGATE_SCHEMA)
    )


# --- keyness ----------------------------------------------------------------------------------


def keyness(
    keywords: pl.DataFrame, subset_ids: Ids, total_ids: Ids, top: int | None = None
) -> pl.DataFrame:
    """Keywords over-represented in `subset_ids` against the rest of `total_ids` (KEYNESS_SCHEMA),
    sorted by g2 (desc), then log_ratio (desc), then key.

    Sizes are distinct article counts, so articles without keywords count: c = |subset ∩ total|,
    d = |total| - c. An empty subset, or a subset that is the whole corpus, has no keyness.
    """
    return _head(_keyness(keywords, subset_ids, total_ids, min_docs=1), top).collect()


def _keyness(
    keywords: pl.DataFrame, subset_ids: Ids, total_ids: Ids, min_docs: int
) -> pl.LazyFrame:
    """`keyness` unlimited, keeping keys held by at least `min_docs` subset articles."""
    total = _id_series(total_ids).unique()
    subset = _id_series(subset_ids).unique()
    subset = subset.filter(subset.is_in(total.implode()))
    c, d = subset.len(), total.len() - subset.len()
    if c == 0 or d == 0:
        return pl.LazyFrame(schema=KEYNESS_SCHEMA)
    in_total = keywords.lazy().filter(_id_in(total))
    counts = (
        in_total.with_columns(in_subset=_id_in(subset))
        .group_by("key")
        .agg(
            docs_subset=pl.col("in_subset").sum().cast(pl.UInt32),
            docs_rest=(~pl.col("in_subset")).sum().cast(pl.UInt32),
        )
    )
    scored = _keyness_ranked(counts, c, d, min_docs)
    forms = _display_forms(in_total.filter(_id_in(subset)))
    return (
        scored.join(forms, on="key", how="left")
        .sort(["g2", "log_ratio", "key"], descending=[True, True, False])
        .select(list(KEYNESS_SCHEMA))
        .cast(KEYNESS_SCHEMA)
    )


def _keyness_ranked(counts: pl.LazyFrame, c: int, d: int, min_docs: int) -> pl.LazyFrame:
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


# --- distinctive keywords ---------------------------------------------------------------------


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
    subset = _id_series(subset_ids).unique()
    size = int(subset.is_in(total.implode()).sum())
    floor = min(max(min_docs, 1), max(size, 1))
    return _head(_keyness(keywords, subset, total, floor), top).collect()


# --- trends -----------------------------------------------------------------------------------


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
        return index._with_key(articles, index._has_key(key))
    holders = _holder_ids(keywords.lazy(), key)
    return articles.lazy().select("section", "date", has_key=_id_in(holders))


def _holder_ids(keywords: pl.LazyFrame, key: str) -> pl.Series:
    return keywords.filter(pl.col("key") == key).select("id").unique().collect().get_column("id")


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


# --- co-occurrence ----------------------------------------------------------------------------


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
    whole corpus is then counted in integers (same result; ~3x less at 1M keyword rows).
    Within `ids` it is not used.
    """
    if index is not None and ids is None:
        return index._cooccurring_plan(key, index._has_key(key), top).collect()
    frame = keywords.lazy()
    if ids is not None:
        frame = frame.filter(_id_in(_id_series(ids)))
    return _cooccurring_plan(frame, key, _holder_ids(frame, key), top).collect()


def _cooccurring_plan(
    frame: pl.LazyFrame, key: str, holders: pl.Series, top: int | None
) -> pl.LazyFrame:
    """`cooccurring_keywords` of `key` over the keyword rows `frame`; `holders`: the ids of
    the articles in `frame` holding `key`."""
    size_a = holders.len()
    if size_a == 0:
        return pl.LazyFrame(schema=COOCCURRENCE_SCHEMA)
    # One group-by over all rows gives both |A ∩ B| and |B| for every key B.
    ranked = (
        frame.with_columns(in_a=_id_in(holders))
        .group_by("key")
        .agg(shared=pl.col("in_a").sum().cast(pl.UInt32), docs=pl.len().cast(pl.UInt32))
        .filter(pl.col("shared") > 0, pl.col("key") != key)
        .with_columns(strength=_log_dice(size_a))
        .sort(["strength", "shared", "key"], descending=[True, True, False])
    )
    kept = _head(ranked, top)
    neighbours = frame.filter(_id_in(holders)).join(kept.select("key"), on="key", how="semi")
    return (
        kept.join(_display_forms(neighbours), on="key", how="left", maintain_order="left")
        .select(list(COOCCURRENCE_SCHEMA))
        .cast(COOCCURRENCE_SCHEMA)
    )


def _log_dice(size_a: int | pl.Expr) -> pl.Expr:
    return _LOG_DICE_MAX + (2 * pl.col("shared").cast(pl.Float64) / (size_a + pl.col("docs"))).log(2)


# --- a keyword's trends and co-occurring keywords at once --------------------------------------


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
    holds it, and the separate calls make dozens of such returns. With an index, at 100k
    articles and 1M keyword rows (section, one period and 50 co-occurring keys): the separate
    calls ~35 ms alone and ~300 ms beside a thread running Python; this ~30 and ~90 ms.
    With `index` (as for the separate calls) the steps before the query are Series
    operations, which hold the GIL.
    """
    for bucket in by:
        _check_trend_by(bucket)
    if index is not None:
        has_key = index._has_key(key)
        frame = index._with_key(articles, has_key)
        cooccurring = index._cooccurring_plan(key, has_key, top)
    else:
        holders = _holder_ids(keywords.lazy(), key)
        frame = articles.lazy().select("section", "date", has_key=_id_in(holders))
        cooccurring = _cooccurring_plan(keywords.lazy(), key, holders, top)
    buckets = list(dict.fromkeys(by))
    *trends, cooccurring_frame = pl.collect_all([*(_trend_plan(frame, bucket) for bucket in buckets), cooccurring])
    return KeywordProfile(trends=dict(zip(buckets, trends, strict=True)), cooccurring=cooccurring_frame)


# --- corpus overview --------------------------------------------------------------------------


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


def corpus_overview(
    articles: pl.DataFrame,
    keywords: pl.DataFrame,
    top: int = OVERVIEW_TOP,
    index: KeywordIndex | None = None,
) -> CorpusOverview:
    """The corpus overview of `articles` and its `keywords` (see CorpusOverview). `keywords`
    are the corpus's own (rows of other articles would count as indexed). `index`, when given,
    is their `KeywordIndex`: the top keywords and the indexed rows come from it (the panel's
    whole-corpus aggregate, usually computed already) instead of group-bys over 1M strings."""
    rows = articles.height
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
    )
    indexed = (
        pl.LazyFrame({"indexed": [index._indexed_rows()]})
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
    )


def _counts(frame: pl.LazyFrame, column: str, rows: int, top: int | None) -> pl.LazyFrame:
    """`column, docs, share`: rows per value, most first, then by value, null last."""
    counted = (
        frame.group_by(column)
        .agg(docs=pl.len().cast(pl.UInt32))
        .with_columns(share=pl.col("docs") / max(rows, 1))
        .sort(["docs", column], descending=[True, False], nulls_last=True)
    )
    return _head(counted, top)


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
