"""The Corpus: the articles frame and the keywords frame, with ids, de-duplication and schema.

Readers (scrape, tables, html) produce `RawArticle` records; `SightingColumns` cleans every
field, detects the language and gives each article a stable id from its content;
`deduplicate` folds repeated sightings into one row whose `copies` counts them.
`build_corpus` does all of it for a list of records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import polars as pl

from core.language import decide_languages
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
    return _id_of_words(title.split(), body.split())


def _id_of_words(title_words: list[str], body_words: list[str]) -> str:
    """`article_id` from the texts' words (`normalise_for_id` is their join, case-folded)."""
    payload = (" ".join(title_words) + "\n" + " ".join(body_words)).casefold()  # per character: one call will do
    return hashlib.blake2b(payload.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


_ASCII_BYTES = bytes(range(128))
# Every ASCII character Python's str.split() splits on becomes a space.
_ASCII_SPACES_TO_SPACE = bytes.maketrans(
    bytes(c for c in range(128) if chr(c).isspace()), b" " * sum(chr(c).isspace() for c in range(128))
)

_ASCII_SPACES_BUT_SPACE = bytes(c for c in range(128) if chr(c).isspace() and c != ord(" "))


def id_and_word_count(title: str, body: str) -> tuple[str, int]:
    """`article_id(title, body)` and `len(body.split())`, computed together.

    Splitting a body into word objects and case-folding it were most of the cost of a
    row. Here the whitespace is collapsed and the text lower-cased on its UTF-8 bytes,
    which is the same as `str.split` and `str.casefold` when the text's only non-ASCII
    characters are neither whitespace nor changed by case folding (checked on just
    those characters); any other text takes the word-by-word path.
    """
    try:
        title_bytes = title.encode("utf-8")
        body_bytes = body.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: only the word-by-word path encodes them
        return _id_and_word_count_slowly(title, body)
    payload = _collapsed(title_bytes) + b"\n" + (collapsed := _collapsed_lines(body_bytes))
    if title.isascii() and body.isascii():
        folded = payload.lower()
    else:
        non_ascii = payload.translate(None, _ASCII_BYTES).decode("utf-8")
        if any(ch.isspace() for ch in non_ascii):
            return _id_and_word_count_slowly(title, body)
        folded = payload.lower() if non_ascii.casefold() == non_ascii else payload.decode("utf-8").casefold().encode("utf-8")
    words = collapsed.count(b" ") + 1 if collapsed else 0
    return hashlib.blake2b(folded, digest_size=8).hexdigest(), words


def _collapsed(text: bytes) -> bytes:
    """`b" ".join(text.split())`, with the ASCII whitespace of `str.split` (which, unlike
    `bytes.split`, includes the separators 0x1C-0x1F)."""
    text = text.translate(_ASCII_SPACES_TO_SPACE)
    while b"  " in text:
        text = text.replace(b"  ", b" ")
    return text.strip(b" ")


def _collapsed_lines(text: bytes) -> bytes:
    """`_collapsed(text)`, quicker for text whose only whitespace is single spaces within
    lines and line breaks (a cleaned body): its lines joined by spaces are the answer."""
    joined = b" ".join(line for line in text.split(b"\n") if line)
    if (
        len(joined.translate(None, _ASCII_SPACES_BUT_SPACE)) == len(joined)
        and b"  " not in joined
        and not joined.startswith(b" ")
        and not joined.endswith(b" ")
    ):
        return joined
    return _collapsed(text)


def _id_and_word_count_slowly(title: str, body: str) -> tuple[str, int]:
    words = body.split()
    return _id_of_words(title.split(), words), len(words)


def _clean_body(body: str) -> str:
    if _is_tidy(body):
        return body
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", clean_text(body)))
    return "\n\n".join(p for p in paragraphs if p)


def _is_tidy(body: str) -> bool:
    """Whether cleaning leaves `body` as it is, which holds for most bodies (a scraped
    page's paragraphs joined by blank lines) and is quicker to prove than to clean.

    Tidy: NFC, paragraphs of printable characters only (so no control, surrogate or odd
    space, and no whitespace but the plain space), none empty or with a space at either
    end, separated by exactly one blank line.
    """
    lines = body.split("\n")
    paragraphs = lines[::2]
    return (
        len(lines) % 2 == 1
        and not any(lines[1::2])
        and all(paragraphs)
        and all(map(str.isprintable, paragraphs))
        and not any(p[0] == " " or p[-1] == " " for p in paragraphs)
        and unicodedata.is_normalized("NFC", body)
    )


RowMemo = dict[tuple[int, int, int, int], list[object]]
MEMO_MAX_CHARS = 1000
"""Only texts this short are remembered for exact repeats: sidebar teasers recur on every
page, and keeping every long body alive in the memo would double the memory of a load."""


def _memo_key(raw: RawArticle) -> tuple[int, int, int, int]:
    # Lengths and hashes of both texts: no second copy of the text is kept.
    return (len(raw.title), len(raw.body), hash(raw.title), hash(raw.body))


_COLUMNS = tuple(SIGHTING_SCHEMA)
# Subheadings travel joined by a character cleaning removes: Polars builds a list column
# from Python lists far more slowly than it splits strings.
_SUBHEADING_SEPARATOR = "\x00"
_ROW_SCHEMA = {**SIGHTING_SCHEMA, "subheadings": pl.String()}
_PATH_AT = _COLUMNS.index("path")
_LANGUAGE_AT = _COLUMNS.index("language")
_TITLE_AT = _COLUMNS.index("title")
_BODY_AT = _COLUMNS.index("body")


class SightingColumns:
    """Sightings (SIGHTING_SCHEMA) gathered column by column: cleaned, identified, not de-duplicated.

    Columns of Python values become a frame far faster than one dict per row would. An
    exact repeat of a short raw title and body (a sidebar teaser on every page) reuses
    the cleaned row; pass one `memo` to several builders to share that across them.
    Languages are detected when the frame is taken, for all its rows in one batch (rows
    too long to be remembered together with the other long rows of their file): called
    once a file, between parses, the model ran with its tables out of the processor's
    caches, at about twice the time a text.
    """

    def __init__(self, memo: RowMemo | None = None) -> None:
        self._memo: RowMemo = {} if memo is None else memo
        self._rows: list[list[object]] = []
        self._fresh: list[list[object]] = []
        """Rows built here, their language still to be detected."""
        self._repeats: list[tuple[list[object], list[object]]] = []
        """(row, the remembered row it repeats) for repeats taken before that row's language was known."""
        self._unshared: set[int] = set()
        """Ids of fresh rows too long to be remembered: only these are judged with their file."""

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, raw_articles: Iterable[RawArticle]) -> int:
        """Add every article of `raw_articles`; returns how many rows that made."""
        made = 0
        for raw in raw_articles:
            key = _memo_key(raw) if len(raw.title) + len(raw.body) <= MEMO_MAX_CHARS else None
            known = self._memo.get(key) if key is not None else None
            if known is not None:
                row = list(known)
                row[_PATH_AT] = clean_text(raw.path)
                if row[_LANGUAGE_AT] is None:
                    self._repeats.append((row, known))
            else:
                built = _sighting_row(raw)
                if built is None:
                    continue
                row = built
                self._fresh.append(row)
                if key is not None:
                    self._memo[key] = row  # its language is set in place when detected
                else:
                    self._unshared.add(id(row))
            self._rows.append(row)
            made += 1
        return made

    def _detect_languages(self) -> None:
        """Set the language of every row added since the last frame."""
        undetected = {id(row): row for row in self._fresh}
        for _, known in self._repeats:
            if known[_LANGUAGE_AT] is None:  # remembered by another builder that has not taken its frame
                undetected[id(known)] = known
        rows = list(undetected.values())
        # A remembered row may be reused in any file, so its language is its text's alone.
        files = [row[_PATH_AT] if id(row) in self._unshared else None for row in rows]
        articles = [(str(row[_TITLE_AT]), str(row[_BODY_AT])) for row in rows]
        for row, language in zip(rows, decide_languages(articles, files), strict=True):
            row[_LANGUAGE_AT] = language
        for row, known in self._repeats:
            row[_LANGUAGE_AT] = known[_LANGUAGE_AT]
        self._fresh, self._repeats, self._unshared = [], [], set()

    def take_frame(self) -> pl.DataFrame:
        """The rows so far as a frame (SIGHTING_SCHEMA); the builder starts over empty."""
        self._detect_languages()
        rows, self._rows = self._rows, []
        if not rows:
            return pl.DataFrame(schema=SIGHTING_SCHEMA)
        frame = pl.DataFrame(dict(zip(_COLUMNS, map(list, zip(*rows)), strict=True)), schema=_ROW_SCHEMA)
        subheadings = pl.col("subheadings").str.split(_SUBHEADING_SEPARATOR).fill_null([])
        return frame.with_columns(subheadings)


def _sighting_row(raw: RawArticle) -> list[object] | None:
    """A cleaned row in SIGHTING_SCHEMA order, its language still None."""
    title = _WHITESPACE.sub(" ", clean_text(raw.title)).strip()
    body = _clean_body(raw.body)
    if not title and not body:
        return None
    ident, words = id_and_word_count(title, body)
    return [
        ident,
        raw.kind,
        clean_optional(raw.section),
        title,
        body,
        clean_optional(raw.source),
        clean_optional(raw.author_bio),
        clean_optional(raw.caption),
        _SUBHEADING_SEPARATOR.join(s for s in (clean_optional(h) for h in raw.subheadings) if s) or None,
        clean_optional(raw.age),
        raw.date,
        clean_optional(raw.url),
        None,
        words,
        clean_text(raw.path),
    ]


def sightings_frame(raw_articles: Iterable[RawArticle]) -> pl.DataFrame:
    """Every article as found (SIGHTING_SCHEMA): cleaned, identified, not de-duplicated."""
    columns = SightingColumns()
    columns.add(raw_articles)
    return columns.take_frame()


SIGHTING_ORDER = "row"
"""The column `Deduplicator.sightings` numbers every sighting with, in the order they came."""
_FILL = "__language_fill"
_SETTLE_BYTES = 16 * 2**20


class Deduplicator:
    """De-duplicates sightings as they arrive, one first-seen row per id, repeats counted.

    A sighting's first occurrence is kept in frames that are the articles themselves, so
    the articles so far (`articles`) cost no copy of their text, however often they are
    asked for. Later sightings of an id are counted, and kept only with `keep_repeats`
    (the snapshot stores every sighting). Frames given to `add` are gathered until there
    are `_SETTLE_BYTES` of them, then split into first sightings and repeats in one go.
    """

    def __init__(self, keep_repeats: bool) -> None:
        self._keep_repeats = keep_repeats
        self._first: list[pl.DataFrame] = []
        self._repeats: list[pl.DataFrame] = []
        self._pending: list[pl.DataFrame] = []
        self._pending_bytes = 0
        self._seen: set[str] = set()
        self._copies: dict[str, int] = {}
        """Ids seen more than once, and how often; any other seen id was seen once."""
        self._sightings = 0
        self._articles: pl.DataFrame | None = None
        """`articles` as last made, while nothing has been added since."""
        self._fills: list[pl.DataFrame] = []
        """Languages given by `fill_languages` not yet put in the kept frames (SIGHTING_ORDER, _FILL)."""

    def add(self, frame: pl.DataFrame) -> None:
        """Sightings (SIGHTING_SCHEMA, with any more columns) in the order they were found."""
        if frame.is_empty():
            return
        self._articles = None
        self._pending.append(frame)
        self._pending_bytes += frame.estimated_size()
        if self._pending_bytes >= _SETTLE_BYTES:
            self._settle()

    def _settle(self) -> None:
        if not self._pending:
            return
        frame = pl.concat(self._pending, how="vertical", rechunk=True)
        self._pending, self._pending_bytes = [], 0
        frame = frame.with_row_index(SIGHTING_ORDER, offset=self._sightings)
        self._sightings += frame.height
        seen, copies = self._seen, self._copies
        first: list[bool] = []
        for ident in frame["id"].to_list():
            if ident in seen:
                copies[ident] = copies.get(ident, 1) + 1
                first.append(False)
            else:
                seen.add(ident)
                first.append(True)
        if all(first):
            self._first.append(frame)
            return
        mask = pl.Series(first, dtype=pl.Boolean())
        self._first.append(frame.filter(mask))
        if self._keep_repeats:
            self._repeats.append(frame.filter(~mask))

    def fill_languages(self, first: int, languages: pl.Series) -> None:
        """Languages for sightings added without them (null): `languages[i]` is that of the
        sighting added `first + i`-th (counted from 0, in the order of `add`). Languages
        already there are kept."""
        if languages.is_empty():
            return
        self._articles = None
        order = pl.int_range(first, first + languages.len(), dtype=pl.UInt32(), eager=True).alias(SIGHTING_ORDER)
        self._fills.append(pl.DataFrame([order, languages.alias(_FILL)]))

    def _apply_fills(self) -> None:
        """Put the languages given so far into the kept frames (every sighting settled first)."""
        if not self._fills:
            return
        self._settle()
        fills = pl.concat(self._fills, how="vertical")
        self._fills = []
        self._first = [self._filled(frame, fills) for frame in self._first]
        self._repeats = [self._filled(frame, fills) for frame in self._repeats]

    @staticmethod
    def _filled(frame: pl.DataFrame, fills: pl.DataFrame) -> pl.DataFrame:
        if not frame.get_column("language").has_nulls():
            return frame
        # Only the order column is joined: joining the frame would copy every column's text.
        given = frame.select(SIGHTING_ORDER).join(fills, on=SIGHTING_ORDER, how="left", maintain_order="left")
        return frame.with_columns(pl.col("language").fill_null(given.get_column(_FILL)))

    def articles(self) -> pl.DataFrame:
        """The articles so far (ARTICLE_SCHEMA), sharing the text of the kept first sightings;
        the very same frame as last time when nothing has been added since (so that a screen
        that installed it as the load's last partial corpus knows it has the answer)."""
        if self._articles is not None:
            return self._articles
        self._settle()
        self._apply_fills()
        if not self._first:
            return pl.DataFrame(schema=ARTICLE_SCHEMA)
        first = pl.concat(self._first, how="vertical", rechunk=False)
        if self._copies:
            count = pl.col("id").replace_strict(
                list(self._copies), list(self._copies.values()), default=1, return_dtype=pl.UInt32()
            )
        else:
            count = pl.lit(1, dtype=pl.UInt32())
        self._articles = first.select(*(name for name in SIGHTING_SCHEMA), count.alias("copies"))
        return self._articles

    def sightings(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Every sighting so far, numbered by SIGHTING_ORDER: the first sightings of each id
        (the rows `articles` is made of) and the repeats, each in the order found, with the
        columns they were added with; needs `keep_repeats`. Empty frames when nothing came."""
        self._settle()
        self._apply_fills()
        return self._joined(self._first), self._joined(self._repeats)

    @staticmethod
    def _joined(frames: list[pl.DataFrame]) -> pl.DataFrame:
        return pl.concat(frames, how="vertical", rechunk=False) if frames else pl.DataFrame()


def deduplicate(sightings: pl.DataFrame) -> pl.DataFrame:
    """One row per id, as first seen, with `copies` counting its sightings (ARTICLE_SCHEMA)."""
    deduplicator = Deduplicator(keep_repeats=False)
    deduplicator.add(sightings)
    return deduplicator.articles()


def build_corpus(raw_articles: Iterable[RawArticle]) -> Corpus:
    """Clean, identify and de-duplicate `raw_articles` into a Corpus (keywords empty)."""
    return Corpus(deduplicate(sightings_frame(raw_articles)), pl.DataFrame(schema=KEYWORD_SCHEMA))
