"""The Corpus: the articles frame and the keywords frame, with ids, de-duplication and schema.

Readers (scrape, tables, html) produce `RawArticle` records; `build_corpus` cleans every
field, detects the language, gives each distinct article a stable id from its content and
folds repeated sightings into one row whose `copies` counts them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

import polars as pl

from core.language import detect_language
from core.sanitize import clean_optional, clean_text

ARTICLE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "kind": pl.String(),
    "section": pl.String(),
    "title": pl.String(),
    "body": pl.String(),
    "source": pl.String(),
    "author_bio": pl.String(),
    "caption": pl.String(),
    "subheadings": pl.List(pl.String()),
    "age": pl.String(),
    "date": pl.Date(),
    "url": pl.String(),
    "language": pl.String(),
    "words": pl.UInt32(),
    "path": pl.String(),
    "copies": pl.UInt32(),
}

KEYWORD_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "rank": pl.UInt32(),
    "keyword": pl.String(),
    "key": pl.String(),
    "score": pl.Float64(),
}

SIGHTING_SCHEMA: dict[str, pl.DataType] = {k: v for k, v in ARTICLE_SCHEMA.items() if k != "copies"}
"""An article as found in one file, before de-duplication (no `copies`)."""

ARTICLE = "article"
TEASER = "teaser"

_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article or teaser as a reader found it, before cleaning and de-duplication."""

    title: str
    body: str
    path: str
    kind: str = ARTICLE
    section: str | None = None
    source: str | None = None
    author_bio: str | None = None
    caption: str | None = None
    subheadings: tuple[str, ...] = field(default_factory=tuple)
    age: str | None = None
    date: dt.date | None = None
    url: str | None = None


@dataclass(frozen=True)
class Corpus:
    """The articles frame (ARTICLE_SCHEMA) and the long keywords frame (KEYWORD_SCHEMA)."""

    articles: pl.DataFrame
    keywords: pl.DataFrame

    @classmethod
    def empty(cls) -> Corpus:
        return cls(pl.DataFrame(schema=ARTICLE_SCHEMA), pl.DataFrame(schema=KEYWORD_SCHEMA))

    def with_keywords(self, keywords: pl.DataFrame) -> Corpus:
        """A corpus with `keywords` (KEYWORD_SCHEMA) in place of the current keywords frame."""
        return replace(self, keywords=keywords.select(list(KEYWORD_SCHEMA)).cast(KEYWORD_SCHEMA))

    def __len__(self) -> int:
        return self.articles.height


def normalise_for_id(text: str) -> str:
    """Case-folded, whitespace-collapsed text: what identity is computed over."""
    return " ".join(text.split()).casefold()


def article_id(title: str, body: str) -> str:
    """Stable id: the first 16 hex chars of blake2b over normalised title and body."""
    payload = normalise_for_id(title) + "\n" + normalise_for_id(body)
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def clean_article(raw: RawArticle) -> RawArticle:
    """Every text field through the sanitizer; paragraphs keep their blank-line breaks."""
    return replace(
        raw,
        title=_WHITESPACE.sub(" ", clean_text(raw.title)).strip(),
        body=_clean_body(raw.body),
        section=clean_optional(raw.section),
        source=clean_optional(raw.source),
        author_bio=clean_optional(raw.author_bio),
        caption=clean_optional(raw.caption),
        subheadings=tuple(s for s in (clean_optional(h) for h in raw.subheadings) if s),
        age=clean_optional(raw.age),
        url=clean_optional(raw.url),
        path=clean_text(raw.path),
    )


def _clean_body(body: str) -> str:
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", clean_text(body)))
    return "\n\n".join(p for p in paragraphs if p)


RowMemo = dict[tuple[int, int, int, int], dict[str, object]]
MEMO_MAX_CHARS = 1000
"""Only texts this short are remembered for exact repeats: sidebar teasers recur on every
page, and keeping every long body alive in the memo would double the memory of a load."""


def _memo_key(raw: RawArticle) -> tuple[int, int, int, int]:
    # Lengths and hashes of both texts: no second copy of the text is kept.
    return (len(raw.title), len(raw.body), hash(raw.title), hash(raw.body))


def sighting_rows(raw_articles: Iterable[RawArticle], memo: RowMemo | None = None) -> Iterator[dict[str, object]]:
    """Every article as found (SIGHTING_SCHEMA rows): cleaned, identified, not de-duplicated.

    An exact repeat of a short raw title and body (a sidebar teaser on every page) reuses
    the cleaned row. Pass one `memo` to several calls to share that across files.
    """
    row_of_raw: RowMemo = {} if memo is None else memo
    for raw in raw_articles:
        short = len(raw.title) + len(raw.body) <= MEMO_MAX_CHARS
        key = _memo_key(raw) if short else None
        known = row_of_raw.get(key) if key is not None else None
        if known is not None:
            yield {**known, "path": clean_text(raw.path)}
            continue
        row = _sighting_row(clean_article(raw))
        if row is not None:
            if key is not None:
                row_of_raw[key] = row
            yield row


def sightings_frame(raw_articles: Iterable[RawArticle]) -> pl.DataFrame:
    """`sighting_rows` as a frame (SIGHTING_SCHEMA)."""
    rows = list(sighting_rows(raw_articles))
    if not rows:
        return pl.DataFrame(schema=SIGHTING_SCHEMA)
    return pl.DataFrame(rows, schema=SIGHTING_SCHEMA, orient="row")


def _sighting_row(article: RawArticle) -> dict[str, object] | None:
    if not article.title and not article.body:
        return None
    return {
        "id": article_id(article.title, article.body),
        "kind": article.kind,
        "section": article.section,
        "title": article.title,
        "body": article.body,
        "source": article.source,
        "author_bio": article.author_bio,
        "caption": article.caption,
        "subheadings": list(article.subheadings),
        "age": article.age,
        "date": article.date,
        "url": article.url,
        "language": detect_language(f"{article.title}\n{article.body}"),
        "words": len(article.body.split()),
        "path": article.path,
    }


def deduplicate(sightings: pl.DataFrame) -> pl.DataFrame:
    """One row per id, as first seen, with `copies` counting its sightings (ARTICLE_SCHEMA)."""
    return deduplicate_chunks([sightings])


def deduplicate_chunks(chunks: list[pl.DataFrame]) -> pl.DataFrame:
    """`deduplicate` over sightings given as a list of frames, emptying the list as it goes.

    Each chunk is released as soon as its first sightings are copied out, so the sightings
    and the de-duplicated articles are never both whole in memory.
    """
    if not chunks:
        return pl.DataFrame(schema=ARTICLE_SCHEMA)
    ids = pl.concat([chunk.select("id") for chunk in chunks], how="vertical")["id"]
    first_seen = ids.is_first_distinct()
    copies = ids.value_counts(name="copies")
    kept: list[pl.DataFrame] = []
    offset = 0
    while chunks:
        chunk = chunks.pop(0)
        kept.append(chunk.filter(first_seen.slice(offset, chunk.height)))
        offset += chunk.height
        del chunk
    articles = pl.concat(kept, how="vertical")
    del kept
    count = pl.col("id").replace_strict(copies["id"], copies["copies"], return_dtype=pl.UInt32())
    return articles.with_columns(count.alias("copies")).select(list(ARTICLE_SCHEMA))


def build_corpus(raw_articles: Iterable[RawArticle]) -> Corpus:
    """Clean, identify and de-duplicate `raw_articles` into a Corpus (keywords empty)."""
    return Corpus(deduplicate(sightings_frame(raw_articles)), pl.DataFrame(schema=KEYWORD_SCHEMA))
