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


RowMemo = dict[tuple[str, str], dict[str, object]]


def sighting_rows(raw_articles: Iterable[RawArticle], memo: RowMemo | None = None) -> Iterator[dict[str, object]]:
    """Every article as found (SIGHTING_SCHEMA rows): cleaned, identified, not de-duplicated.

    Sidebars repeat the same teasers on every page: an exact repeat of a raw title and body
    reuses the cleaned row. Pass one `memo` to several calls to share that across files.
    """
    row_of_raw: RowMemo = {} if memo is None else memo
    for raw in raw_articles:
        known = row_of_raw.get((raw.title, raw.body))
        if known is not None:
            yield {**known, "path": clean_text(raw.path)}
            continue
        row = _sighting_row(clean_article(raw))
        if row is not None:
            row_of_raw[(raw.title, raw.body)] = row
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
    if sightings.is_empty():
        return pl.DataFrame(schema=ARTICLE_SCHEMA)
    return (
        sightings.group_by("id", maintain_order=True)
        .agg(pl.exclude("id").first(), pl.len().cast(pl.UInt32()).alias("copies"))
        .select(list(ARTICLE_SCHEMA))
    )


def build_corpus(raw_articles: Iterable[RawArticle]) -> Corpus:
    """Clean, identify and de-duplicate `raw_articles` into a Corpus (keywords empty)."""
    return Corpus(deduplicate(sightings_frame(raw_articles)), pl.DataFrame(schema=KEYWORD_SCHEMA))
