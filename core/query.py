"""The filter language parsed into Polars expressions over the articles frame.

The language as users see it is described in docs/design.md, "The filter language".

Grammar, loosest binding first:

    query  := group ("OR" group)*          (an OR of AND-groups: `a b OR c` is (a AND b) OR c)
    group  := term term*                   (space-separated terms: all must hold)
    term   := "-"? atom                    (`-` negates the atom)
    atom   := '"' phrase '"'               exact phrase, whole words, case-insensitive
            | field ":" value              kw, section, source, lang, kind (value may be quoted)
            | "words" op number            op is one of > < >= <= =
            | word                         case-insensitive, matches at the start of a word

Matching rules (decided here, relied on by the UI and the CLI's `--where`):

- `word` matches where a word *starts* with it, in the title or body, case-insensitively: `econom`
  finds "economy" and "Economic", `war` finds "War" and "warfare" but not "software" or "award".
  A word that starts with punctuation (`[bold]`, `(`) matches anywhere. Text is always literal:
  regex metacharacters are escaped, markup is just characters.
- `"exact phrase"` matches the words in that order, separated by any whitespace, as whole words
  (`"war"` matches "war" but not "warfare"), within the title or within the body. A phrase of
  any length works: one over LONG_PHRASE_CHARS (a pasted page) is not made into one Polars
  regex, which the engine refuses past 10 MB compiled (some 10,000 words), but found by a
  literal scan for its longest word and checked with Python's `re` in the rows that have it.
- `kw:name` holds when the article's keyword list contains the normalised key (case-folded, NFC,
  single spaces), by the same `core.keyword_text.normalise_key` that built the `key` column.
- `section:`, `source:` and `lang:` compare the whole value case-insensitively (`section:russia`
  matches "Russia", not "Russian Economy"); quote multi-word values: `section:"New Social Compact"`.
- `kind:article` / `kind:teaser`; `kind:bookmarked` keeps the articles the user bookmarked (the
  caller hands their ids to `mask`/`apply`/`filter_articles`; without them it matches nothing).
  Any other kind is an error.
- `is:new` keeps the articles that arrived while the dashboard was open (the caller hands their
  ids over, as for bookmarks).
- Only upper-case `OR` is the operator; `or` is an ordinary word. Quote it (`"OR"`) to search it.
- A `word:value` whose field name is unknown is an error (catches typos such as `secton:`); put
  the text in quotes to search for it literally.

`parse_filter` never raises: a term that does not parse comes back as a `QueryError` carrying a
message and the character span of the offending term, for the filter bar's inline error.
`filter_articles` never raises either: a filter the engine refuses to run comes back as a
`QueryError` over the whole text.

Speed (the dashboard filters 100k articles per keystroke): `with_lowered_text` adds lower-cased
copies of the title and body (LOWERED_COLUMNS) once per corpus; when a frame has them, text terms
search those with a case-sensitive pattern, which the regex engine can prefilter with a literal
scan, where a `(?i)` pattern cannot. Lower-casing then matching agrees with `(?i)` matching
except for the few characters whose simple case fold is not their lower case (`ſ` for `s`, `ς`
for `σ`). `filter_articles` applies the terms of an AND-group one after another, cheapest first,
so a text term only scans the rows the terms before it kept.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from core.keyword_text import normalise_key

TEXT_COLUMNS = ("title", "body")
LOWERED_COLUMNS: dict[str, str] = {"title": "_lower_title", "body": "_lower_body"}
"""Lower-cased copies of TEXT_COLUMNS that `with_lowered_text` adds (search-only, not article data)."""
FIELDS = ("kw", "section", "source", "lang", "kind", "words", "is")
KINDS = ("article", "teaser")
BOOKMARKED = "bookmarked"
"""The `kind:` value that keeps bookmarked articles (a user mark, not a `kind` column value)."""

_MAX_WORDS = 10**12
LONG_PHRASE_CHARS = 2_000
"""A quoted phrase longer than this is matched by LongPhrase rather than one Polars regex."""
# Case-insensitive matching in the regex engine (Unicode simple case folding), used until the
# lower-cased copies exist: lower-casing title and body on every query would cost more than the
# match itself, and precomputing them costs a second copy of all the text.
_CASELESS = "(?i)"
_FIELD_TOKEN = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_WORDS_TOKEN = re.compile(r"(?i)words(>=|<=|>|<|=)(.*)", re.DOTALL)
_QUOTE_OPENER = re.compile(r"-?(?:[A-Za-z]+:)?")
_COMPARISONS: dict[str, Callable[[pl.Expr, int], pl.Expr]] = {
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
    "=": operator.eq,
}


@dataclass(frozen=True, slots=True)
class QueryError:
    """Why a filter does not parse, and where: `text[start:end]` is the offending term."""

    message: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"{self.message} (at {self.start}-{self.end})"


@dataclass(frozen=True, slots=True)
class _Context:
    """What a node needs to become an expression: keywords for `kw:`, bookmarks for `kind:bookmarked`."""

    keywords: pl.DataFrame
    lowered: bool = False
    """The frame has LOWERED_COLUMNS: text terms search those with their lower-case pattern."""
    bookmarks: frozenset[str] = frozenset()
    """Ids of the bookmarked articles."""
    new: frozenset[str] = frozenset()
    """Ids of the articles that arrived since the session opened (`is:new`)."""


# --- the syntax tree --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextMatch:
    """A case-insensitive regex (its text already escaped) searched in the title and the body,
    and the same regex for lower-cased text (lower-case literals, no `(?i)`)."""

    pattern: str
    lowered: str | None = None

    def expr(self, ctx: _Context) -> pl.Expr:
        if ctx.lowered and self.lowered is not None:
            columns, pattern = tuple(LOWERED_COLUMNS[c] for c in TEXT_COLUMNS), self.lowered
        else:
            columns, pattern = TEXT_COLUMNS, self.pattern
        return pl.any_horizontal(
            pl.col(column).str.contains(pattern).fill_null(False) for column in columns
        )


@dataclass(frozen=True, slots=True)
class LongPhrase:
    """A long quoted phrase (lower-case words), matched like TextMatch's phrase regex on
    lower-cased text: rows whose text holds the longest word (a literal scan) are checked with
    Python's `re`, which has no compiled-size limit."""

    words: tuple[str, ...]

    def expr(self, ctx: _Context) -> pl.Expr:
        lowered = ctx.lowered
        columns = tuple(LOWERED_COLUMNS[c] for c in TEXT_COLUMNS) if lowered else TEXT_COLUMNS
        pattern = re.compile(_python_phrase_regex(self.words))
        anchor = max(self.words, key=len)

        def matches(texts: pl.Series) -> pl.Series:
            if not lowered:
                texts = texts.str.to_lowercase()
            candidates = texts.str.contains(anchor, literal=True).fill_null(False)
            hits = [False] * texts.len()
            for row in candidates.arg_true().to_list():
                hits[row] = pattern.search(texts[row]) is not None
            return pl.Series(texts.name, hits, dtype=pl.Boolean)

        return pl.any_horizontal(
            pl.col(column).map_batches(matches, return_dtype=pl.Boolean, is_elementwise=True) for column in columns
        )


@dataclass(frozen=True, slots=True)
class HasKeyword:
    """The article's keyword list contains this normalised key."""

    key: str

    def expr(self, ctx: _Context) -> pl.Expr:
        ids = ctx.keywords.filter(pl.col("key") == self.key).get_column("id").unique()
        return pl.col("id").is_in(ids.implode()).fill_null(False)


@dataclass(frozen=True, slots=True)
class IsBookmarked:
    """The article's id is among the user's bookmarks (`kind:bookmarked`)."""

    def expr(self, ctx: _Context) -> pl.Expr:
        ids = pl.Series("id", sorted(ctx.bookmarks), dtype=pl.String)
        return pl.col("id").is_in(ids.implode()).fill_null(False)


@dataclass(frozen=True, slots=True)
class IsNew:
    """The article arrived since the session opened (`is:new`)."""

    def expr(self, ctx: _Context) -> pl.Expr:
        ids = pl.Series("id", sorted(ctx.new), dtype=pl.String)
        return pl.col("id").is_in(ids.implode()).fill_null(False)


@dataclass(frozen=True, slots=True)
class FieldEquals:
    """A string column equals the value, case-insensitively (the value is lower-case already)."""

    column: str
    value: str

    def expr(self, ctx: _Context) -> pl.Expr:
        return (pl.col(self.column).str.to_lowercase() == self.value).fill_null(False)


@dataclass(frozen=True, slots=True)
class WordCount:
    """`words` compared with a whole number."""

    op: str
    number: int

    def expr(self, ctx: _Context) -> pl.Expr:
        compare = _COMPARISONS[self.op]
        return compare(pl.col("words").cast(pl.Int64), self.number).fill_null(False)


@dataclass(frozen=True, slots=True)
class Not:
    child: Node

    def expr(self, ctx: _Context) -> pl.Expr:
        return ~self.child.expr(ctx)


@dataclass(frozen=True, slots=True)
class AllOf:
    children: tuple[Node, ...]

    def expr(self, ctx: _Context) -> pl.Expr:
        return pl.all_horizontal(child.expr(ctx) for child in self.children)


@dataclass(frozen=True, slots=True)
class AnyOf:
    children: tuple[Node, ...]

    def expr(self, ctx: _Context) -> pl.Expr:
        return pl.any_horizontal(child.expr(ctx) for child in self.children)


Node = TextMatch | LongPhrase | HasKeyword | IsBookmarked | IsNew | FieldEquals | WordCount | Not | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed filter. `root` is None for the empty filter, which matches everything."""

    text: str
    root: Node | None

    @property
    def is_empty(self) -> bool:
        return self.root is None

    @property
    def uses_keywords(self) -> bool:
        """True when a `kw:` term appears anywhere (negated or inside OR): the mask then needs
        the keywords frame, so a caller without keywords knows it must index first."""
        return self._has(HasKeyword)

    @property
    def uses_bookmarks(self) -> bool:
        """True when `kind:bookmarked` appears anywhere: the mask then needs the bookmarks."""
        return self._has(IsBookmarked)

    def _has(self, kind: type) -> bool:
        pending: list[Node] = [] if self.root is None else [self.root]
        while pending:
            node = pending.pop()
            if isinstance(node, kind):
                return True
            if isinstance(node, Not):
                pending.append(node.child)
            elif isinstance(node, AllOf | AnyOf):
                pending.extend(node.children)
        return False

    def mask(
        self, keywords: pl.DataFrame | None = None, *, lowered: bool = False, bookmarks: Iterable[str] = (),
        new: Iterable[str] = (),
    ) -> pl.Expr:
        """A non-null boolean expression over the articles frame: True for the rows that match.

        `keywords` (KEYWORD_SCHEMA) resolves `kw:` terms; without it they match nothing.
        `lowered`: the frame has LOWERED_COLUMNS (`with_lowered_text`); search those.
        `bookmarks`: ids of the bookmarked articles, for `kind:bookmarked`.
        """
        if self.root is None:
            return pl.lit(True)
        return self.root.expr(_context(keywords, lowered, bookmarks, new))

    def apply(
        self, articles: pl.DataFrame, keywords: pl.DataFrame | None = None, bookmarks: Iterable[str] = (),
        new: Iterable[str] = (),
    ) -> pl.DataFrame:
        """The rows of `articles` that match, in their order.

        Same rows as `articles.filter(self.mask(keywords))`, but an AND-group's terms are applied
        one after another, cheapest first, so each text scan only reads the rows still in.
        """
        if self.root is None:
            return articles
        ctx = _context(keywords, all(c in articles.columns for c in LOWERED_COLUMNS.values()), bookmarks, new)
        terms = self.root.children if isinstance(self.root, AllOf) else (self.root,)
        frame = articles
        for term in sorted(terms, key=_cost):
            frame = frame.filter(term.expr(ctx))
            if frame.is_empty():
                break
        return frame


# --- public helpers ---------------------------------------------------------------------------


MAX_TERMS = 1_000
"""Terms (and ORs) a filter may hold: each is one more scan of the text, and 100,000 pasted
words took half a minute on a handful of articles."""


def parse_filter(text: str) -> Query | QueryError:
    """Parse a filter; never raises. Empty or blank text is the query that matches everything."""
    tokens = _tokenise(text)
    if isinstance(tokens, QueryError):
        return tokens
    if len(tokens) > MAX_TERMS:
        return QueryError(
            f"too many terms ({len(tokens):,}; at most {MAX_TERMS:,}): put pasted text in quotes to find it as a phrase",
            tokens[MAX_TERMS].start,
            len(text),
        )
    groups: list[list[Node]] = [[]]
    for token in tokens:
        if token.text == "OR":
            if not groups[-1]:
                return QueryError("OR needs a term on each side", token.start, token.end)
            groups.append([])
            continue
        node = _parse_term(token)
        if isinstance(node, QueryError):
            return node
        groups[-1].append(node)
    if len(groups) > 1 and not groups[-1]:
        last = tokens[-1]
        return QueryError("OR needs a term on each side", last.start, last.end)
    return Query(text, _combine(groups))


def filter_articles(
    articles: pl.DataFrame, keywords: pl.DataFrame | None, text: str, bookmarks: Iterable[str] = (),
    new: Iterable[str] = (),
) -> pl.DataFrame | QueryError:
    """The rows of `articles` that match the filter `text`, in their order, or the parse error.

    `bookmarks`: ids of the bookmarked articles, which `kind:bookmarked` keeps."""
    query = parse_filter(text)
    if isinstance(query, QueryError):
        return query
    try:
        return query.apply(articles, keywords, bookmarks, new)
    except pl.exceptions.ComputeError as error:  # e.g. a regex past the engine's size limit
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        return QueryError(f"the filter cannot be run: {reason}", 0, len(text))


def with_lowered_text(articles: pl.DataFrame) -> pl.DataFrame:
    """`articles` plus LOWERED_COLUMNS, which text terms then search (once per corpus: it
    takes a while on a large corpus, and holds one more copy of the text)."""
    return articles.with_columns(
        pl.col(column).str.to_lowercase().alias(lowered) for column, lowered in LOWERED_COLUMNS.items()
    )


def _context(
    keywords: pl.DataFrame | None, lowered: bool, bookmarks: Iterable[str] = (), new: Iterable[str] = ()
) -> _Context:
    if keywords is None:
        keywords = pl.DataFrame(schema={"id": pl.String(), "key": pl.String()})
    return _Context(keywords, lowered, frozenset(bookmarks), frozenset(new))


def _cost(node: Node) -> int:
    """Rough cost of evaluating `node` over every row: 0 for column compares, 1 per text scan."""
    if isinstance(node, TextMatch):
        return 1
    if isinstance(node, LongPhrase):
        return 2
    if isinstance(node, Not):
        return _cost(node.child)
    if isinstance(node, AllOf | AnyOf):
        return sum(_cost(child) for child in node.children)
    return 0


# --- tokenising -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    text: str
    start: int
    end: int


def _tokenise(text: str) -> list[_Token] | QueryError:
    """Split on whitespace, keeping quoted stretches (which may hold spaces) inside one token.

    A quote opens a quoted stretch only at the start of a term (after an optional `-` and an
    optional `field:`); elsewhere it is an ordinary character, so `5"` searches for `5"`.
    """
    tokens: list[_Token] = []
    position, length = 0, len(text)
    while position < length:
        if text[position].isspace():
            position += 1
            continue
        token = _scan_token(text, position)
        if isinstance(token, QueryError):
            return token
        tokens.append(token)
        position = token.end
    return tokens


def _scan_token(text: str, start: int) -> _Token | QueryError:
    position, length = start, len(text)
    while position < length and not text[position].isspace():
        if text[position] == '"' and _QUOTE_OPENER.fullmatch(text, start, position):
            close = text.find('"', position + 1)
            if close == -1:
                return QueryError("unclosed quote", start, length)
            end = close + 1
            if end < length and not text[end].isspace():
                return QueryError("expected a space after the closing quote", start, end + 1)
            return _Token(text[start:end], start, end)
        position += 1
    return _Token(text[start:position], start, position)


# --- terms ------------------------------------------------------------------------------------


def _parse_term(token: _Token) -> Node | QueryError:
    if token.text.startswith("-"):
        if token.text == "-":
            return QueryError("nothing after '-' to exclude", token.start, token.end)
        if token.text.startswith("--"):
            return QueryError("a term can be negated only once", token.start, token.end)
        inner = _parse_atom(token.text[1:], token)
        return inner if isinstance(inner, QueryError) else Not(inner)
    return _parse_atom(token.text, token)


def _parse_atom(text: str, token: _Token) -> Node | QueryError:
    if text.startswith('"'):
        return _phrase(text[1:-1], token)
    words = _WORDS_TOKEN.fullmatch(text)
    if words:
        return _word_count(words.group(1), words.group(2), token)
    field = _FIELD_TOKEN.fullmatch(text)
    if field:
        return _field(field.group(1).lower(), field.group(2), token)
    word = _nfc(text)
    return TextMatch(_word_pattern(word), _word_pattern(word.lower(), caseless=False))


def _phrase(phrase: str, token: _Token) -> Node | QueryError:
    words = _nfc(phrase).split()
    if not words:
        return QueryError("empty phrase", token.start, token.end)
    if len(phrase) > LONG_PHRASE_CHARS:
        return LongPhrase(tuple(word.lower() for word in words))
    return TextMatch(phrase_regex(words), phrase_regex([word.lower() for word in words], caseless=False))


def _word_count(op: str, value: str, token: _Token) -> Node | QueryError:
    if not value.isascii() or not value.isdigit():
        return QueryError(
            f"words{op} needs a whole number, e.g. words{op}500", token.start, token.end
        )
    number = int(value)
    if number > _MAX_WORDS:
        return QueryError("number too large", token.start, token.end)
    return WordCount(op, number)


def _field(name: str, raw_value: str, token: _Token) -> Node | QueryError:
    if name not in FIELDS:
        known = ", ".join(f"{field}:" for field in FIELDS)
        return QueryError(
            f"unknown field '{name}:' (fields: {known}); quote it to search the text",
            token.start,
            token.end,
        )
    if name == "words":
        return QueryError(
            "use words>N, words<N, words>=N, words<=N or words=N", token.start, token.end
        )
    value = raw_value[1:-1] if raw_value.startswith('"') else raw_value
    if not value.strip():
        return QueryError(f"{name}: needs a value", token.start, token.end)
    return _field_node(name, value, token)


def _field_node(name: str, value: str, token: _Token) -> Node | QueryError:
    if name == "kw":
        return HasKeyword(normalise_key(value))
    lowered = " ".join(_nfc(value).lower().split())
    if name == "kind":
        if lowered == BOOKMARKED:
            return IsBookmarked()
        if lowered not in KINDS:
            return QueryError(
                f"unknown kind '{value}' (kinds: {', '.join((*KINDS, BOOKMARKED))})", token.start, token.end
            )
        return FieldEquals("kind", lowered)
    if name == "is":
        if lowered != "new":
            return QueryError(f"unknown mark 'is:{value}' (is:new)", token.start, token.end)
        return IsNew()
    column = "language" if name == "lang" else name
    return FieldEquals(column, lowered)


def _combine(groups: Sequence[list[Node]]) -> Node | None:
    ands = [group[0] if len(group) == 1 else AllOf(tuple(group)) for group in groups if group]
    if not ands:
        return None
    return ands[0] if len(ands) == 1 else AnyOf(tuple(ands))


# --- patterns ---------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _word_pattern(word: str, *, caseless: bool = True) -> str:
    """Literal `word` at the start of a word (anywhere when it starts with punctuation);
    `caseless=False` for text that is lower-cased already (`word` must be too)."""
    start = r"\b" if _is_word_char(word[0]) else ""
    return (_CASELESS if caseless else "") + start + pl.escape_regex(word)


def phrase_regex(words: Sequence[str], *, caseless: bool = True) -> str:
    """Polars regex: the literal words in order, any whitespace between, case-insensitive, bounded
    as whole words at both ends (where the edge is a word character). `words` must be non-empty.
    `caseless=False`: no `(?i)`, for lower-cased text and lower-case `words`."""
    body = r"\s+".join(pl.escape_regex(word) for word in words)
    start = r"\b" if _is_word_char(words[0][0]) else ""
    end = r"\b" if _is_word_char(words[-1][-1]) else ""
    return (_CASELESS if caseless else "") + start + body + end


def _python_phrase_regex(words: Sequence[str]) -> str:
    """`phrase_regex(words, caseless=False)` for Python's `re` (its escaping, same meaning)."""
    body = r"\s+".join(re.escape(word) for word in words)
    start = r"\b" if _is_word_char(words[0][0]) else ""
    end = r"\b" if _is_word_char(words[-1][-1]) else ""
    return start + body + end
