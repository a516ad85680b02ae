"""A table's rows made into sightings column-wide, with Polars expressions.

Rows whose every text field holds only characters cleaning keeps as they are are cleaned,
identified and counted with expressions over whole columns. Those characters are printable
ASCII, newline, and the printable, non-space starters of the Latin, Greek, Cyrillic,
Hebrew, Arabic, Chinese, Japanese and Korean scripts, general punctuation, currency and
letterlike symbols that NFC keeps as they are and that nothing composes with (accented
letters included, combining marks not), and the odd spaces cleaning makes plain ones. For
text of them alone every step of the per-row path (`core.corpus.SightingColumns`) reduces
to rewriting runs of spaces and newlines; ids case-fold as that path does. Every other row
(control characters, combining marks, other scripts, tabs, CR, a missing title) takes the
per-row path itself. The frame is the one the per-row path makes, row for row, in the
rows' order.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

import polars as pl

from core import table_languages
from core.corpus import MEMO_MAX_CHARS, SIGHTING_SCHEMA, RowMemo, SightingColumns
from core.sanitize import ODD_SPACES, clean_text
from core.tables import RAW_SCHEMA, raw_article

_CANDIDATES = (
    (0xA1, 0x24F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x370, 0x52F),  # Greek and Coptic, Cyrillic and its supplement
    (0x590, 0x6FF),  # Hebrew and Arabic (their points and harakat are combining marks: left out)
    (0x1E00, 0x1FFF),  # Latin Extended Additional, Greek Extended
    (0x2010, 0x205E),  # general punctuation: dashes, quotes, ellipsis
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x214F),  # letterlike symbols: numero sign, trade mark
    (0x3001, 0x30FF),  # CJK punctuation, hiragana, katakana (not their voicing marks)
    (0xFF01, 0xFF60),  # fullwidth forms
)
_UNIFORM = (
    (0x3400, 0x4DBF),  # CJK ideographs, extension A
    (0x4E00, 0x9FFF),  # CJK ideographs
    (0xAC00, 0xD7A3),  # Hangul syllables (not the jamo, which compose)
)
"""Blocks of caseless letters, every one of them inert (all are assigned since Unicode 14,
which Python 3.11 has; the test suite checks): taken whole, as asking each of their 43,000
characters would slow the import."""
_AT = "__row"


def _inert(char: str) -> bool:
    """Whether the per-row path leaves `char` as it is wherever it stands among inert
    characters: printable, no space, and a starter (no combining mark, combining class 0)
    that NFC keeps as it is. None of these ends a canonical composition (the test suite
    checks this against every composition Unicode defines), so no two of them compose and
    text of them alone is already NFC."""
    return (
        char.isprintable()
        and not char.isspace()
        and not unicodedata.category(char).startswith("M")
        and unicodedata.combining(char) == 0
        and unicodedata.normalize("NFC", char) == char
    )


def _caseless(char: str) -> bool:
    return char.casefold() == char.lower() == char.upper() == char


def _pattern(codes: Iterable[int]) -> str:
    """Text of printable ASCII, newline, the characters `codes` and the `_UNIFORM` blocks only."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    runs.extend([start, end] for start, end in _UNIFORM)
    extra = "".join(f"\\x{{{start:X}}}" + (f"-\\x{{{end:X}}}" if end > start else "") for start, end in runs)
    return f"^[\\x20-\\x7E\\n{extra}]*$"


_INERT = frozenset(code for start, end in _CANDIDATES for code in range(start, end + 1) if _inert(chr(code)))
_SAFE = _pattern(_INERT | set(map(ord, ODD_SPACES)))
"""Safe text: the inert characters, and the odd spaces cleaning makes spaces."""
_CASELESS_SAFE = _pattern(code for code in _INERT if _caseless(chr(code)))
"""Safe text whose only case is ASCII's (English with its quotes and dashes): its ids
fold case on the bytes, several times quicker."""
_TEXT_FIELDS = ("title", "body", "kind", "section", "source", "url")
_INPUT_SCHEMA = table_languages.INPUT_SCHEMA
_CASELESS = "__caseless"


def _all_safe(pattern: str, spaces: str) -> pl.Expr:
    return pl.all_horizontal(
        *(pl.col(name).is_null() | pl.col(name).str.contains(pattern) for name in _TEXT_FIELDS),
        pl.col("title").str.strip_chars(spaces).str.len_bytes() > 0,
    ).fill_null(False)


def sightings(raw: pl.DataFrame, path: str, memo: RowMemo, languages_later: bool = False) -> pl.DataFrame:
    """The sightings (SIGHTING_SCHEMA, languages detected) of rows in RAW_SCHEMA read from
    the file shown as `path`; `memo` is shared with the per-row path.

    With `languages_later`, the rows made column-wide come without their languages (null),
    with what deciding them needs in more columns (`core.table_languages.INPUT_COLUMNS`,
    null for the rows decided here): `core.table_languages` decides them later, as they
    would have been decided here."""
    raw = raw.select(list(RAW_SCHEMA)).with_row_index(_AT)
    # Most rows of English text are found safe by the quicker, narrower pattern; text in
    # other scripts fails it at its first letter, and only those rows are read again.
    marked = raw.with_columns(_all_safe(_CASELESS_SAFE, " \n").alias(_CASELESS))
    others = marked.filter(~pl.col(_CASELESS))
    cased = others.filter(_all_safe(_SAFE, " \n" + ODD_SPACES)).get_column(_AT)
    marked = marked.with_columns((pl.col(_CASELESS) | pl.col(_AT).is_in(cased.implode())).alias("safe"))
    fast = _fast(marked.filter(pl.col("safe")), clean_text(path), languages_later)
    slow = _slow(marked.filter(~pl.col("safe")), path, memo)
    if languages_later:
        slow = slow.with_columns(pl.lit(None, dtype=dtype).alias(name) for name, dtype in _INPUT_SCHEMA.items())
    if slow.is_empty():
        return fast.drop(_AT)
    if fast.is_empty():
        return slow.drop(_AT)
    return pl.concat([fast, slow]).sort(_AT).drop(_AT)


def _slow(rows: pl.DataFrame, path: str, memo: RowMemo) -> pl.DataFrame:
    """The per-row path's sightings of `rows`, each with its row number."""
    columns = SightingColumns(memo)
    kept: list[int] = []
    for row in rows.iter_rows(named=True):
        article = raw_article(row, path)
        if article is not None and columns.add([article]):
            kept.append(int(row[_AT]))
    frame = columns.take_frame()
    return frame.with_columns(pl.Series(_AT, kept, dtype=pl.UInt32()))


def _optional(name: str) -> pl.Expr:
    """core.sanitize.clean_optional for safe text: stripped, empty as null."""
    text = pl.col(name).str.strip_chars(" \n")
    return pl.when(text.str.len_bytes() > 0).then(text).alias(name)


_UNTIDY = ("\n\n\n", " \n", "\n ", "  ")
"""What a stripped safe body must not hold for its text to need no rewriting: any run of
spaces and newlines other than one newline or one blank line holds one of these."""
_WORDS = "__words"


def _paragraphs_and_words(rows: pl.DataFrame) -> pl.DataFrame:
    """`rows` (their bodies stripped of spaces and newlines) with the body's paragraphs
    parted by one blank line, and in `_WORDS` the body's words joined by single spaces.

    A tidy body (none of `_UNTIDY`: its newlines come alone or in pairs between words, and
    its spaces alone) is left as it is and its words are had by two literal replacements;
    only the others pay for the regular expressions."""
    body = pl.col("body")
    untidy = pl.any_horizontal(*(body.str.contains(part, literal=True) for part in _UNTIDY))
    marked = rows.with_columns(untidy.alias(_WORDS))
    tidy = marked.filter(~pl.col(_WORDS)).with_columns(
        body.str.replace_all("\n\n", " ", literal=True).str.replace_all("\n", " ", literal=True).alias(_WORDS)
    )
    rest = marked.filter(pl.col(_WORDS))
    if rest.is_empty():
        return tidy
    paragraphs = rest.with_columns(body.str.replace_all(r"[ \n]*\n[ \n]*\n[ \n]*", "\n\n"))
    # Only runs that change (with a newline, or of two spaces or more) are matched: a
    # single space rewritten as itself would cost a copy of every body.
    rewritten = paragraphs.with_columns(body.str.replace_all(r"[ \n]*\n[ \n]*| {2,}", " ").alias(_WORDS))
    return pl.concat([tidy, rewritten]).sort(_AT)


def _ids_and_word_counts(payloads: pl.Series, caseless: list[bool]) -> tuple[list[str], list[int]]:
    """Each row's id (core.corpus.article_id) and body word count, from its cleaned title
    and its body's words joined by single spaces, a newline apart, as UTF-8. Where the
    text's only case is ASCII's, the bytes' `lower` is its case folding."""
    values: list[bytes] = payloads.to_list()  # at once: a Series yields its values slowly
    blake2b = hashlib.blake2b
    ids = [
        blake2b(payload.lower() if ascii_case else payload.decode("utf-8").casefold().encode("utf-8"), digest_size=8).hexdigest()
        for payload, ascii_case in zip(values, caseless, strict=True)
    ]
    words: list[int] = []
    for payload in values:
        title_end = payload.find(b"\n")  # a cleaned title holds none
        words.append(payload.count(b" ", title_end) + 1 if len(payload) > title_end + 1 else 0)
    return ids, words


def _fast(rows: pl.DataFrame, path: str, languages_later: bool) -> pl.DataFrame:
    """The sightings of safe `rows` (each has a title), each with its row number; `path`
    cleaned. With `languages_later`, languages are left null, and what deciding them needs
    comes in `core.table_languages.INPUT_COLUMNS`."""
    if rows.is_empty():
        return pl.DataFrame(schema={**SIGHTING_SCHEMA, _AT: pl.UInt32(), **(_INPUT_SCHEMA if languages_later else {})})
    # As the per-row path decides: a row short enough to be remembered and reused in other
    # files is judged on its own text; a longer one may take its file's majority.
    alone = rows.select(
        (pl.col("title").str.strip_chars().str.len_chars() + pl.col("body").fill_null("").str.strip_chars().str.len_chars())
        <= MEMO_MAX_CHARS
    ).to_series()
    # Cleaning makes each odd space a plain one (found as literals: a regular expression's
    # class of them reads text several times slower).
    odd = list(ODD_SPACES)
    cased = rows.filter(~pl.col(_CASELESS))  # text of the narrower pattern holds none
    if cased.select(pl.any_horizontal(pl.col(name).str.contains_any(odd).any() for name in _TEXT_FIELDS)).item():
        rows = rows.with_columns(pl.col(name).str.replace_many(odd, [" "] * len(odd)) for name in _TEXT_FIELDS)
    # The title's whitespace runs become one space; a body's runs holding two newlines or
    # more part paragraphs (one blank line), as the per-row path's split and strip do.
    title = pl.col("title").str.replace_all(r"[ \n]+", " ").str.strip_chars(" ")
    stripped = rows.select(
        pl.col(_AT),
        pl.col(_CASELESS),
        title.alias("title"),
        pl.col("body").fill_null("").str.strip_chars(" \n").alias("body"),
        pl.when(pl.col("kind").str.strip_chars(" \n").str.to_lowercase() == "teaser")
        .then(pl.lit("teaser"))
        .otherwise(pl.lit("article"))
        .alias("kind"),
        _optional("section"),
        _optional("source"),
        _optional("url"),
        pl.col("date"),
    )
    cleaned = _paragraphs_and_words(stripped)
    payloads = cleaned.select(
        pl.concat_str([pl.col("title"), pl.col(_WORDS)], separator="\n").cast(pl.Binary)
    ).to_series()
    ids, words = _ids_and_word_counts(payloads, cleaned.get_column(_CASELESS).to_list())
    cleaned = table_languages.language_inputs(cleaned, alone)
    if languages_later:
        languages = pl.lit(None, dtype=pl.String()).alias("language")
        inputs = [pl.col(name) for name in _INPUT_SCHEMA]
    else:
        languages = pl.Series("language", table_languages.decide(cleaned, path), dtype=pl.String())
        inputs = []
    nothing = pl.lit(None, dtype=pl.String())
    return cleaned.select(
        pl.Series("id", ids, dtype=pl.String()),
        pl.col("kind"),
        pl.col("section"),
        pl.col("title"),
        pl.col("body"),
        pl.col("source"),
        nothing.alias("author_bio"),
        nothing.alias("caption"),
        pl.lit([], dtype=pl.List(pl.String())).alias("subheadings"),
        nothing.alias("age"),
        pl.col("date"),
        pl.col("url"),
        languages,
        pl.Series("words", words, dtype=pl.UInt32()),
        pl.lit(path, dtype=pl.String()).alias("path"),
        pl.col(_AT).cast(pl.UInt32()),
        *inputs,
    )

