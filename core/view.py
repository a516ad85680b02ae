"""CorpusView: the one piece of view state the app owns, computed off the UI thread.

It holds the loaded corpus (articles + keywords), a display copy of the articles frame with
a `kw_top` column (each article's best keywords joined for the list), and answers the
questions the panes ask: "which rows match this filter in this order?", "which keywords
does this subset have?", "where does this term occur?". Every method is pure Polars work
and safe to call from a worker thread; the UI thread only swaps in the frames it returns.

Filtering, aggregation and concordance are delegated to `core.query`, `core.aggregate` and
`core.kwic`; this module only adapts their results to what the widgets render; like all of
`core`, it never imports Textual.

`DISPLAY_ONLY` names the columns added here that are not article data (dropped on export).

Bodies: a large corpus's bodies stay on disk. Given a `core.bodies.BodyStore` (the corpus
snapshot) with the corpus, `prepare_search` drops the `body` column after making its
lower-cased copy (or makes it from the store, when the articles came without it), so the
text is held once, not twice; `body`, `cached_body` and
`with_bodies` then read what the reader, the concordance and exports need, by row.

Per keystroke only the filter and sort run: what can be computed once per corpus is, in
`prepare_search` (lower-cased title and body, for `core.query`'s fast text search),
`_ensure_order` (integer sort keys) and `_install` (a `_position` column and the
`core.keyword_index.KeywordIndex` that aggregates a view's keywords from those positions).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import polars as pl

from core.bodies import BodyStore
from core.corpus import Corpus
from core.query import LOWERED_COLUMNS, QueryError, filter_articles, with_lowered_text
from core.query_terms import Marks
from core.sorts import is_reversed, sort_name
from core.aggregate import aggregate_keywords
from core.keyword_index import KeywordIndex
from core.kwic import kwic, term_regex

if TYPE_CHECKING:
    from core.live_update import Delta

TOP_KEYWORDS: Final[int] = 3
"""How many of an article's best keywords the list shows in its keywords column."""

AGGREGATE_TOP: Final[int] = 200
"""How many aggregated keywords the keyword panel shows."""

KWIC_WIDTH: Final[int] = 40
"""Characters of context either side of a concordance match."""

ORDER_COLUMNS: Final[dict[str, str]] = {"title": "_order_title", "section": "_order_section"}
"""Sorts whose order is precomputed once per corpus as an integer column (string sorts are slow)."""

ROW_COLUMN: Final[str] = "_position"
"""Each article's position in the corpus's articles frame (what `KeywordIndex` aggregates by)."""

DISPLAY_ONLY: Final[tuple[str, ...]] = ("kw_top", ROW_COLUMN, *ORDER_COLUMNS.values(), *LOWERED_COLUMNS.values())
"""Columns the view adds to the articles frame for display and search."""


@dataclass(frozen=True, slots=True)
class FilterError:
    """A filter that did not parse: what is wrong and where (character offsets)."""

    message: str
    span: tuple[int, int] | None = None


class CorpusView:
    """The loaded corpus plus the derived frames the panes render.

    `articles` is the corpus's articles frame plus the display column `kw_top` (the list's
    keywords column), without `body` once the bodies are on disk (a body store given with the corpus).
    """

    def __init__(self, corpus: Corpus | None = None) -> None:
        self.corpus: Corpus = Corpus.empty()
        self._bodies: BodyStore | None = None
        # Workers replace the frames (a new corpus, new keywords, the search columns): one at a
        # time, or a slow one would put back frames another has just replaced.
        self._changing = threading.RLock()
        self._searchable: pl.DataFrame = self.corpus.articles
        self._keywords_by_id: pl.DataFrame = self.corpus.keywords
        self._keyword_index = KeywordIndex(self._searchable.get_column("id"), self.corpus.keywords)
        self.articles: pl.DataFrame = _with_top_keywords(self._searchable, self.corpus.keywords)
        if corpus is not None:
            self.set_corpus(corpus)

    @property
    def total(self) -> int:
        """Rows in the whole corpus (articles and teasers)."""
        return self.articles.height

    @property
    def dated(self) -> bool:
        """Some row of the corpus has a date (a teaser's `age` is not one)."""
        dates = self.articles.get_column("date") if "date" in self.articles.columns else None
        return dates is not None and dates.null_count() < dates.len()

    @property
    def keyword_index(self) -> KeywordIndex:
        """The `KeywordIndex` of the corpus's keywords over the rows of `articles` (row
        positions: the ROW_COLUMN values)."""
        return self._keyword_index

    @property
    def keywords(self) -> pl.DataFrame:
        """The long keywords frame (KEYWORD_SCHEMA), possibly empty while indexing."""
        return self.corpus.keywords

    def set_corpus(self, corpus: Corpus, bodies: BodyStore | None = None) -> None:
        """Replace the corpus (articles and keywords). Slow for big corpora: call off the UI thread.

        `bodies`: a store of the corpus's bodies (its rows are the corpus's, in order). Needed
        when the articles come without `body`; otherwise `prepare_search` drops the in-memory
        bodies once it has made their search column."""
        with self._changing:
            self._bodies = bodies
            self._install(corpus, corpus.articles.with_row_index(ROW_COLUMN))

    def attach_bodies(self, corpus: Corpus, store: BodyStore) -> None:
        """Give the installed `corpus` a body store (as `set_corpus` does); ignored when
        another corpus has been installed since."""
        with self._changing:
            if self.corpus.articles is corpus.articles:
                self._bodies = store

    @property
    def bodies_on_disk(self) -> bool:
        """The body column has been dropped: bodies come from the store."""
        return "body" not in self.articles.columns

    def set_keywords(self, keywords: pl.DataFrame) -> None:
        """Replace the keywords frame (as indexing makes progress)."""
        with self._changing:
            self._install(self.corpus.with_keywords(keywords), self._searchable)

    def _install(self, corpus: Corpus, searchable: pl.DataFrame) -> None:
        by_id = corpus.keywords.sort("id", "rank")
        articles = _with_top_keywords(searchable, corpus.keywords)
        index = KeywordIndex(searchable.get_column("id"), corpus.keywords)
        # Single reference assignments: a worker reading mid-swap sees old or new, never a mix
        # that breaks (each frame is immutable).
        self._searchable, self._keywords_by_id, self._keyword_index = searchable, by_id, index
        self.corpus, self.articles = corpus, articles

    def apply_delta(self, delta: Delta, keywords: pl.DataFrame | None = None) -> None:
        """Merge a batch of changed files (`core.live_update`): its new rows come last, rows
        that changed are updated in place, rows no file holds leave; `keywords` (KEYWORD_SCHEMA)
        are the new rows' keywords. Every derived frame is made again here, so call it off
        the UI thread: the UI thread then only swaps in the rows computed after it."""
        from core.live_update import REPLACED, REPLACED_COLUMNS

        with self._changing:
            if not self.search_ready and "body" not in self._searchable.columns and self._bodies is not None:
                self.prepare_search()  # from the file as it is, before rows move
            frame = self._searchable
            if delta.removed:
                frame = frame.filter(~pl.col("id").is_in(list(delta.removed)))
            if delta.updated.height:
                frame = frame.update(delta.updated.select("id", "copies", "path"), on="id")
                replaced = delta.updated.filter(pl.col(REPLACED).fill_null(False))
                columns = [name for name in REPLACED_COLUMNS if name in frame.columns and name != "path"]
                if replaced.height and columns:
                    frame = frame.update(replaced.select("id", *columns), on="id", include_nulls=True)
            added = delta.added
            if self.search_ready:
                added = with_lowered_text(added)
            bodies = self._bodies
            if "body" not in frame.columns:
                extra = dict(zip(added.get_column("id").to_list(), added.get_column("body").to_list(), strict=True))
                added = added.drop("body")
            orders = {sort: column for sort, column in ORDER_COLUMNS.items() if column in frame.columns}
            frame = frame.drop(ROW_COLUMN)
            if orders and added.height:
                frame, added = _with_orders(frame, added, orders)
            # Appended chunk to chunk: the corpus's text is not copied.
            added = added.select(
                pl.col(name) if name in added.columns else pl.lit(None, dtype).alias(name) for name, dtype in frame.schema.items()
            ).cast(frame.schema)  # type: ignore[arg-type]
            frame = frame.vstack(added).with_row_index(ROW_COLUMN)
            if bodies is not None and "body" not in frame.columns:
                self._bodies = bodies.with_rows(frame.get_column("id"), extra)
            kept = self.corpus.keywords
            if delta.removed:
                kept = kept.filter(~pl.col("id").is_in(list(delta.removed)))
            if keywords is not None and keywords.height:
                kept = pl.concat([kept, keywords.select(kept.columns).cast(kept.schema)], how="vertical")  # type: ignore[arg-type]
            articles = frame.select(name for name in self.corpus.articles.columns if name in frame.columns)
            self._install(Corpus(articles, kept), frame)

    def add_keywords(self, keywords: pl.DataFrame) -> None:
        """Add the keywords (KEYWORD_SCHEMA) of articles that have none yet; keywords of
        articles no longer in the corpus go."""
        with self._changing:
            ids = self._searchable.get_column("id").implode()
            kept = self.corpus.keywords.filter(pl.col("id").is_in(ids))
            fresh = keywords.filter(pl.col("id").is_in(ids) & ~pl.col("id").is_in(kept.get_column("id").unique().implode()))
            merged = pl.concat([kept, fresh.select(kept.columns).cast(kept.schema)], how="vertical")  # type: ignore[arg-type]
            self._install(self.corpus.with_keywords(merged), self._searchable)

    @property
    def search_ready(self) -> bool:
        """The lower-cased text columns are in place (`prepare_search` ran for this corpus)."""
        return all(column in self.articles.columns for column in LOWERED_COLUMNS.values())

    def prepare_search(self) -> None:
        """Add the lower-cased title and body that text filters search (once per corpus; slow on
        a large one, so call it off the UI thread). Until then filters use a slower `(?i)` regex.
        With a body store attached, the in-memory bodies are dropped afterwards."""
        with self._changing:
            articles, searchable, store = self.corpus.articles, self._searchable, self._bodies
            if self.search_ready or searchable.is_empty():
                return
            if "body" in searchable.columns:
                lowered = with_lowered_text(searchable.select(*LOWERED_COLUMNS)).drop(*LOWERED_COLUMNS).get_columns()
            elif store is not None:
                title = searchable.get_column("title").str.to_lowercase().alias(LOWERED_COLUMNS["title"])
                lowered = [title, store.lowered().alias(LOWERED_COLUMNS["body"])]
            else:
                return
            if self.corpus.articles is not articles:
                return  # a new corpus was installed meanwhile: it needs its own
            drop = ["body"] if store is not None and self._bodies is store and "body" in searchable.columns else []
            self._searchable = self._searchable.with_columns(lowered).drop(drop)
            self.articles = self.articles.with_columns(lowered).drop(drop)
            if drop:
                self.corpus = Corpus(self.corpus.articles.drop(drop), self.corpus.keywords)

    def body(self, row: dict[str, object]) -> str | None:
        """The body of `row` (a row of `articles`): its own, or read from the store (I/O:
        call off the UI thread). None when the snapshot no longer has it."""
        if "body" in row:
            return None if row["body"] is None else str(row["body"])
        store, position = self._bodies, row.get(ROW_COLUMN)
        if store is None or not isinstance(position, int):
            return None
        return store.body(position)

    def cached_body(self, row: dict[str, object]) -> str | None:
        """`body` when it needs no read (in the row or read recently); None otherwise."""
        if "body" in row:
            return None if row["body"] is None else str(row["body"])
        store = self._bodies
        return None if store is None else store.recent(str(row.get("id")))

    def with_bodies(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` with its `body` column (read from the store when dropped; I/O: call off
        the UI thread). A body the snapshot lost is null."""
        if "body" in frame.columns:
            return frame
        store = self._bodies
        if store is None or ROW_COLUMN not in frame.columns:
            body = pl.Series("body", [None] * frame.height, dtype=pl.String)
        else:
            body = store.bodies(frame.get_column(ROW_COLUMN).to_list())
        at = frame.columns.index("title") + 1 if "title" in frame.columns else frame.width
        return frame.insert_column(at, body)

    def _ensure_order(self, sort: str) -> None:
        """Add the precomputed order column for `sort` (once per corpus, off the UI thread)."""
        column = ORDER_COLUMNS.get(sort)
        if column is None or column in self.articles.columns:
            return  # without the lock: this is every keystroke's path
        with self._changing:
            if column in self.articles.columns:
                return
            keys = [pl.col("title").str.to_lowercase()]
            if sort == "section":
                keys.insert(0, pl.col("section").str.to_lowercase())
            positions = self._searchable.select(
                pl.arg_sort_by(keys, nulls_last=True, maintain_order=True).alias("position")
            ).to_series()
            ranks = pl.int_range(0, positions.len(), dtype=pl.UInt32, eager=True).scatter(positions, pl.int_range(0, positions.len(), dtype=pl.UInt32, eager=True))
            order = pl.Series(column, ranks, dtype=pl.UInt32)
            searchable = self._searchable.with_columns(order)
            articles = self.articles.with_columns(order)
            self._searchable, self.articles = searchable, articles

    def compute(self, text: str, sort: str, marks: Marks | None = None) -> pl.DataFrame | FilterError:
        """Rows matching filter `text` ordered by `sort` (`core.sorts`: a leading `-` reverses
        it), or why the filter is wrong.

        `marks`: the user's read, bookmarked and new ids (what `is:` terms test)."""
        if text.strip() and not self.search_ready and "body" not in self.articles.columns:
            self.prepare_search()  # text terms need the search columns: the bodies are on disk
            if not self.search_ready:
                return FilterError("The article text could not be read from the cache; open the folder again.")
        self._ensure_order(sort_name(sort))
        articles, keywords = self.articles, self.corpus.keywords
        if text.strip():
            result = filter_articles(articles, keywords, text, marks)
            if isinstance(result, QueryError):
                return _as_filter_error(result)
            frame = result
        else:
            frame = articles
        return sort_frame(frame, sort)

    def aggregate(self, frame: pl.DataFrame | None) -> pl.DataFrame:
        """Keywords of the rows in `frame` (all rows when None): keyword, key, docs, score."""
        index = self._keyword_index
        if frame is None or frame.height == self.total:
            return index.aggregate(None, top=AGGREGATE_TOP)  # computed once per keywords frame
        if ROW_COLUMN in frame.columns and index.size == self.total:
            return index.aggregate(frame.get_column(ROW_COLUMN), top=AGGREGATE_TOP)
        return aggregate_keywords(self.corpus.keywords, ids=frame.get_column("id"), top=AGGREGATE_TOP)

    def article_keywords(self, article_id: str) -> pl.DataFrame:
        """One article's own keywords, best first: rank, keyword, key, score.

        A binary search in the id-sorted keywords frame: cheap enough for every cursor move.
        """
        by_id = self._keywords_by_id
        if by_id.is_empty():
            return by_id.select("rank", "keyword", "key", "score")
        ids = by_id.get_column("id")
        start = int(ids.search_sorted(article_id, side="left"))
        end = int(ids.search_sorted(article_id, side="right"))
        return by_id.slice(start, end - start).select("rank", "keyword", "key", "score")

    def bodies_of(self, ids: pl.Series) -> pl.Series:
        """Bodies of the articles with these ids, in that order (I/O: call off the UI thread)."""
        own = [column for column in ("id", ROW_COLUMN, "body") if column in self.articles.columns]
        rows = pl.DataFrame({"id": ids.cast(pl.String)}).join(
            self.articles.select(own), on="id", how="left", maintain_order="left"
        )
        if "body" in rows.columns:
            return rows.get_column("body")
        positions, store = rows.get_column(ROW_COLUMN), self._bodies
        if store is None:
            return pl.Series("body", [None] * rows.height, dtype=pl.String)
        read = store.bodies(positions.fill_null(0).to_list())
        return pl.select(pl.when(positions.is_null()).then(None).otherwise(read)).to_series().alias("body")

    def kwic(self, frame: pl.DataFrame, term: str, width: int = KWIC_WIDTH) -> pl.DataFrame:
        """Every occurrence of `term` in the rows of `frame`, in context: id, title, left, match, right.

        With the bodies on disk, only the rows whose lower-cased text holds the term are read."""
        if "body" not in frame.columns:
            pattern = term_regex(unicodedata.normalize("NFC", term).lower(), caseless=False)
            if pattern is not None and all(column in frame.columns for column in LOWERED_COLUMNS.values()):
                frame = frame.filter(
                    pl.any_horizontal(pl.col(column).str.contains(pattern) for column in LOWERED_COLUMNS.values())
                )
            frame = self.with_bodies(frame)
        return kwic(frame, term, width)


def sort_frame(frame: pl.DataFrame, sort: str) -> pl.DataFrame:
    """`frame` in the order named by `sort` (one of SORTS, or `-` and one of them for the
    reverse); relevance keeps the given order (reversed: backwards). Rows without a value stay
    last in both directions."""
    name, flip = sort_name(sort), is_reversed(sort)
    column = ORDER_COLUMNS.get(name)
    if column is not None and column in frame.columns:
        if flip and name == "section":  # the rank puts no section last; reversed, it must stay there
            return frame.sort([pl.col("section").is_null(), pl.col(column)], descending=[False, True])
        return frame.sort(column, descending=flip)
    if name == "title":
        return frame.sort(pl.col("title").str.to_lowercase(), descending=flip, nulls_last=True, maintain_order=True)
    if name == "section":
        return frame.sort(
            [pl.col("section").str.to_lowercase(), pl.col("title").str.to_lowercase()],
            descending=flip,
            nulls_last=True,
            maintain_order=True,
        )
    if name == "length":
        return frame.sort("words", descending=not flip, nulls_last=True, maintain_order=True)
    if name == "date":
        return frame.sort("date", descending=not flip, nulls_last=True, maintain_order=True)
    return frame.reverse() if flip else frame


def _order_key(sort: str, lowered: bool) -> pl.Expr:
    """One string that orders rows as `CorpusView._ensure_order` does for `sort` (its
    lower-cased keys joined by a character cleaning removes; a missing section last).
    `lowered`: the rows have the lower-cased title already."""
    title = (pl.col(LOWERED_COLUMNS["title"]) if lowered else pl.col("title").str.to_lowercase()).fill_null("\U0010ffff")
    if sort == "section":
        return pl.concat_str([pl.col("section").str.to_lowercase().fill_null("\U0010ffff"), pl.lit("\x00"), title])
    return title


def _with_orders(frame: pl.DataFrame, added: pl.DataFrame, orders: dict[str, str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """`frame`'s precomputed order columns renumbered with `added`'s rows placed among them
    (each new row after the equal keys already there), instead of sorting every row again."""
    lowered = LOWERED_COLUMNS["title"] in frame.columns and LOWERED_COLUMNS["title"] in added.columns
    for sort, column in orders.items():
        ranked = frame.select(pl.col(column).cast(pl.Float64), _order_key(sort, lowered).alias("key")).sort(column)
        keys, ranks = ranked.get_column("key"), ranked.get_column(column)
        new = added.select(_order_key(sort, lowered).alias("key")).with_row_index("at").sort("key", maintain_order=True)
        places = keys.search_sorted(new.get_column("key"), side="right").cast(pl.Int64)
        # Padded with a rank before the first and after the last: padded[p] is the rank below
        # insertion place p, padded[p + 1] the one above.
        top = float(ranks.max()) + 1.0 if ranks.len() else 0.0  # type: ignore[arg-type]
        padded = pl.concat([pl.Series([-1.0]), ranks, pl.Series([top])])
        below, above = padded.gather(places), padded.gather(places + 1)
        spread = new.with_columns(below=below, above=above, place=places).with_columns(
            rank=pl.col("below")
            + (pl.col("above") - pl.col("below")) * (pl.int_range(pl.len()).over("place") + 1) / (pl.len().over("place") + 1)
        )
        added_rank = spread.sort("at").get_column("rank")
        merged = pl.concat([frame.get_column(column).cast(pl.Float64), added_rank])
        dense = merged.rank("ordinal").cast(pl.UInt32) - 1
        frame = frame.with_columns(dense.head(frame.height).alias(column))
        added = added.with_columns(dense.tail(added.height).alias(column))
    return frame, added


def _with_top_keywords(articles: pl.DataFrame, keywords: pl.DataFrame) -> pl.DataFrame:
    """`articles` with a `kw_top` string column: its best TOP_KEYWORDS keywords, comma-joined."""
    if "kw_top" in articles.columns:
        articles = articles.drop("kw_top")
    if keywords.is_empty():
        return articles.with_columns(kw_top=pl.lit("", dtype=pl.String))
    top = (
        keywords.filter(pl.col("rank") <= TOP_KEYWORDS)
        .sort("id", "rank")
        .group_by("id", maintain_order=True)
        .agg(kw_top=pl.col("keyword").str.join(", "))
    )
    # Join the id column only and attach the result: joining the whole frame would gather (copy)
    # every column, the text included.
    column = articles.select("id").join(top, on="id", how="left", maintain_order="left").get_column("kw_top")
    return articles.with_columns(column.fill_null(""))


def _as_filter_error(error: object) -> FilterError:
    message = str(getattr(error, "message", error))
    span = getattr(error, "span", None)
    if span is None and hasattr(error, "start") and hasattr(error, "end"):
        span = (getattr(error, "start"), getattr(error, "end"))
    if span is not None:
        try:
            start, end = span
            span = (int(start), int(end))
        except (TypeError, ValueError):
            span = None
    return FilterError(message, span)
