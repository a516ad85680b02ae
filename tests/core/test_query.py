"""The filter language: every term kind, negation, OR and precedence, quoting, errors with spans,
literal matching of markup and regex metacharacters, Cyrillic case, and properties (never raises,
`-x` is the complement of `x`, the fast path over lower-cased columns keeps the same rows)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.corpus import KEYWORD_SCHEMA, RawArticle, build_corpus
from core.query import Query, QueryError, filter_articles, parse_filter, with_lowered_text
from core.query_terms import Marks


def _articles() -> pl.DataFrame:
    corpus = build_corpus(
        [
            RawArticle(
                title="War and Peace",
                body="The economy grows.\n\nA [bold] claim about a.b (x).",
                path="a.txt",
                section="Russia",
                source="RIAC",
            ),
            RawArticle(
                title="Warfare today",
                body="Economic pressure",
                path="b.txt",
                section="New Social Compact",
            ),
            RawArticle(
                title="Привет мир", body="МИР и ВОЙНА в России", path="c.txt", kind="teaser"
            ),
            RawArticle(
                title="Software award",
                body="axb is not a dot b. Peace talks\nresumed here",
                path="d.txt",
                section="Energy",
                source="riac",
            ),
        ]
    )
    # Language detection is not under test here: pin it.
    return corpus.articles.with_columns(language=pl.Series(["en", "en", "ru", "en"]))


ARTICLES = _articles()
IDS = dict(zip("ABCD", ARTICLES["id"].to_list(), strict=True))
KEYWORDS = pl.DataFrame(
    [
        (IDS["A"], 1, "European Union", "european union", 0.01),
        (IDS["B"], 1, "European union", "european union", 0.02),
        (IDS["B"], 2, "pressure", "pressure", 0.2),
        (IDS["C"], 1, "России", "россии", 0.05),
    ],
    schema=KEYWORD_SCHEMA,
    orient="row",
)


def matches(text: str, articles: pl.DataFrame = ARTICLES) -> str:
    """The letters (A-D) of the articles the filter keeps, in frame order."""
    result = filter_articles(articles, KEYWORDS, text)
    assert not isinstance(result, QueryError), result
    letter = {ident: name for name, ident in IDS.items()}
    return "".join(letter[ident] for ident in result["id"])


def error(text: str) -> QueryError:
    result = parse_filter(text)
    assert isinstance(result, QueryError), result
    return result


def test_fixture_word_counts() -> None:
    assert ARTICLES["words"].to_list() == [9, 2, 5, 10]


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_filter_keeps_everything(text: str) -> None:
    query = parse_filter(text)
    assert isinstance(query, Query) and query.is_empty
    assert matches(text) == "ABCD"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("war", "AB"),  # "War", "Warfare": a word starting with it
        ("WAR", "AB"),
        ("ware", ""),  # "software" contains it, but not at a word start
        ("award", "D"),
        ("ward", ""),
        ("econom", "AB"),
        ("peace", "AD"),
        ("today", "B"),  # the title is searched too
    ],
)
def test_word_matches_case_insensitive_word_start(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"war"', "A"),  # whole word: not "Warfare"
        ('"WAR AND peace"', "A"),
        ('"peace talks"', "D"),
        ('"talks resumed"', "D"),  # a newline between the words is whitespace
        ('"peace   talks   resumed here"', "D"),
        ('"talks resume"', ""),  # whole words at both ends
        ('"and war"', ""),
        ('"peace the"', ""),  # title and body are searched apart: no phrase spans them
    ],
)
def test_phrase_is_exact_whole_words(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[bold]", "A"),
        ("[/bold]", ""),
        ("[b", "A"),
        ("a.b", "A"),  # not D's "axb": the dot is literal
        ("(", "A"),
        ("(x)", "A"),
        ("(x", "A"),
        ('"a.b (x)."', "A"),
        ("b.", "D"),
        ("*", ""),
        ("\\", ""),
        ("a|b", ""),
        ("$", ""),
    ],
)
def test_markup_and_regex_metacharacters_are_literal(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мир", "C"),
        ("МИР", "C"),
        ("война", "C"),
        ("Войн", "C"),
        ("росси", "C"),
        ("ир", ""),  # inside "мир": not a word start
        ('"и война"', "C"),
    ],
)
def test_cyrillic_is_case_folded(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kw:pressure", "B"),
        ('kw:"european union"', "AB"),
        ('kw:"  EUROPEAN   Union "', "AB"),  # normalised like the key column
        ("kw:РОССИИ", "C"),
        ("kw:european", ""),  # the whole key, not a part of it
        ("-kw:pressure", "ACD"),
        ("KW:pressure", "B"),  # field names are case-insensitive
    ],
)
def test_keyword_terms_match_the_normalised_key(text: str, expected: str) -> None:
    assert matches(text) == expected


def test_keyword_terms_without_a_keywords_frame_match_nothing() -> None:
    query = parse_filter("kw:pressure")
    assert isinstance(query, Query)
    assert ARTICLES.filter(query.mask()).height == 0
    assert ARTICLES.filter(query.mask(None)).height == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kind:bookmarked", "BD"),
        ("kind:Bookmarked", "BD"),
        ("-kind:bookmarked", "AC"),
        ("kind:bookmarked war", "B"),
        ("kind:teaser OR kind:bookmarked", "BCD"),
        ("is:bookmarked", "BD"),
        ("-is:bookmarked", "AC"),
        ("IS:Bookmarked war", "B"),
    ],
)
def test_kind_bookmarked_keeps_the_bookmarked_ids(text: str, expected: str) -> None:
    bookmarks = frozenset({IDS["B"], IDS["D"], "not-in-the-corpus"})
    result = filter_articles(ARTICLES, KEYWORDS, text, Marks(bookmarked=bookmarks))
    assert not isinstance(result, QueryError), result
    letter = {ident: name for name, ident in IDS.items()}
    assert "".join(letter[ident] for ident in result["id"]) == expected


def test_kind_bookmarked_without_bookmarks_matches_nothing() -> None:
    query = parse_filter("kind:bookmarked")
    assert isinstance(query, Query)
    assert ARTICLES.filter(query.mask()).height == 0
    assert query.apply(ARTICLES, KEYWORDS).height == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("section:russia", "A"),
        ("section:RUSSIA", "A"),
        ("section:russ", ""),  # the whole value
        ('section:"New Social Compact"', "B"),
        ('section:"new  social compact"', "B"),
        ("section:new", ""),
        ("-section:russia", "BCD"),  # C has no section: it is not in Russia
        ("source:riac", "AD"),
        ("-source:riac", "BC"),
        ("lang:ru", "C"),
        ("lang:EN", "ABD"),
        ("-lang:ru", "ABD"),
        ("kind:teaser", "C"),
        ("kind:article", "ABD"),
        ("kind:Teaser", "C"),
        ("-kind:teaser", "ABD"),
    ],
)
def test_field_terms(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # words: A 9, B 2, C 5, D 10
        ("words>5", "AD"),
        ("words>=5", "ACD"),
        ("words<5", "B"),
        ("words<=5", "BC"),
        ("words=9", "A"),
        ("-words>5", "BC"),
        ("words>999999999999", ""),
        ("WORDS<3", "B"),
        ("words>0 words<10", "ABC"),
    ],
)
def test_word_count_terms(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-war", "CD"),
        ('-"war"', "BCD"),
        ("-[bold]", "BCD"),
        ("war -econom", ""),
        ("peace -war", "D"),
        ("-war -мир", "D"),
        ("-OR", "ABCD"),  # "-OR" is the negated word "or", not the operator
    ],
)
def test_negation(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("war peace", "A"),
        ("мир OR award", "CD"),
        ("war economic OR мир", "BC"),  # (war AND economic) OR мир
        ("мир OR war economic", "BC"),
        ("war OR мир peace", "AB"),  # war OR (мир AND peace)
        ("kind:teaser OR words>9 OR section:russia", "ACD"),
        ("-war OR war", "ABCD"),
        ("peace or", ""),  # lower-case "or" is a word: nothing has it
        ('"OR"', ""),
    ],
)
def test_or_and_precedence(text: str, expected: str) -> None:
    assert matches(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "span"),
    [
        ('"abc', "unclosed quote", (0, 4)),
        ('war "peace talks', "unclosed quote", (4, 16)),
        ('kw:"european', "unclosed quote", (0, 12)),
        ('-"x', "unclosed quote", (0, 3)),
        ('"a"b', "expected a space after the closing quote", (0, 4)),
        ("-", "nothing after '-' to exclude", (0, 1)),
        ("war - peace", "nothing after '-' to exclude", (4, 5)),
        ("--war", "a term can be negated only once", (0, 5)),
        ("OR", "OR needs a term on each side", (0, 2)),
        ("OR war", "OR needs a term on each side", (0, 2)),
        ("war OR", "OR needs a term on each side", (4, 6)),
        ("war OR OR peace", "OR needs a term on each side", (7, 9)),
        ("kw:", "kw: needs a value", (0, 3)),
        ('kw:""', "kw: needs a value", (0, 5)),
        ("war section:", "section: needs a value", (4, 12)),
        ('source:" "', "source: needs a value", (0, 10)),
        ('""', "empty phrase", (0, 2)),
        ('-"  "', "empty phrase", (0, 5)),
        ("words>abc", "words> needs a whole number, e.g. words>500", (0, 9)),
        ("words>", "words> needs a whole number, e.g. words>500", (0, 6)),
        ("words<=-3", "words<= needs a whole number, e.g. words<=500", (0, 9)),
        ("words>5.5", "words> needs a whole number, e.g. words>500", (0, 9)),
        ("words>١٢", "words> needs a whole number, e.g. words>500", (0, 8)),  # Arabic-Indic digits
        ("words>99999999999999999999", "number too large", (0, 26)),
        ("words:5", "use words>N, words<N, words>=N, words<=N or words=N", (0, 7)),
        ("kind:bookmarks", "unknown kind 'bookmarks' (kinds: article, teaser, bookmarked)", (0, 14)),
        ("war -kind:x", "unknown kind 'x' (kinds: article, teaser, bookmarked)", (4, 11)),
    ],
)
def test_errors_are_values_with_spans(text: str, message: str, span: tuple[int, int]) -> None:
    result = error(text)
    assert result.message == message
    assert (result.start, result.end) == span
    assert filter_articles(ARTICLES, KEYWORDS, text) == result


def test_unknown_field_is_an_error_that_says_how_to_search_it() -> None:
    result = error("war secton:russia")
    assert (result.start, result.end) == (4, 17)
    assert result.message.startswith("unknown field 'secton:'")
    assert "quote it" in result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"secton:russia"', ""),
        ("10:30", ""),  # not a field name: searched as text
        ('5"', ""),  # a quote inside a word is an ordinary character
        ('-kw:"european union"', "CD"),
        ('section:"new social compact" OR kind:teaser', "BC"),
    ],
)
def test_quoting_edge_cases(text: str, expected: str) -> None:
    assert matches(text) == expected


def test_colon_and_quote_inside_words_are_searched_literally() -> None:
    articles = build_corpus(
        [
            RawArticle(title="Meeting at 10:30", body='A 5" screen', path="x"),
            RawArticle(title="Other", body="nothing", path="y"),
        ]
    ).articles
    assert filter_articles(articles, None, "10:30")["title"].to_list() == ["Meeting at 10:30"]
    assert filter_articles(articles, None, '5"')["title"].to_list() == ["Meeting at 10:30"]


def test_filtering_does_not_add_columns() -> None:
    result = filter_articles(ARTICLES, KEYWORDS, "war")
    assert not isinstance(result, QueryError)
    assert result.columns == ARTICLES.columns


def test_filter_on_an_empty_frame() -> None:
    empty = ARTICLES.clear()
    result = filter_articles(empty, KEYWORDS, "war kw:pressure section:x words>3")
    assert not isinstance(result, QueryError)
    assert result.height == 0


# --- properties -------------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "-",
        '"',
        "OR",
        "or",
        "kw:",
        "section:",
        "source:",
        "lang:",
        "kind:",
        "words",
        ">",
        "<=",
        "=",
        ":",
        "war",
        "мир",
        "[bold]",
        "(",
        ")",
        "a.b",
        "\\",
        "*",
        "5",
        " ",
        "  ",
        "\n",
        "\x00",
        "é",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_parser_never_raises_on_arbitrary_text(text: str) -> None:
    _evaluate(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_parser_never_raises_on_term_soup(text: str) -> None:
    _evaluate(text)


def _evaluate(text: str) -> None:
    """Parse, and when it parses, evaluate it: neither step may raise."""
    result = parse_filter(text)
    if isinstance(result, QueryError):
        assert 0 <= result.start <= result.end <= len(text)
        assert result.message
        return
    ARTICLES.filter(result.mask(KEYWORDS))


_VALUES = st.sampled_from(
    [
        "war",
        "мир",
        "russia",
        "riac",
        "ru",
        "en",
        "teaser",
        "article",
        "pressure",
        "European Union",
        "peace talks",
        "[bold]",
        "a.b",
        "(",
    ]
)
_TERMS = st.one_of(
    _VALUES.filter(lambda value: " " not in value),
    _VALUES.map(lambda value: f'"{value}"'),
    st.tuples(st.sampled_from(["kw", "section", "source", "lang", "kind"]), _VALUES).map(
        lambda pair: f'{pair[0]}:"{pair[1]}"'
    ),
    st.tuples(st.sampled_from([">", "<", ">=", "<=", "="]), st.integers(0, 12)).map(
        lambda pair: f"words{pair[0]}{pair[1]}"
    ),
    # Any other single term: no whitespace (that would make several terms), no leading "-".
    st.text(min_size=1).filter(
        lambda text: text != "OR" and not text.startswith("-") and text.split() == [text]
    ),
)


@settings(max_examples=300, deadline=None)
@given(_TERMS)
def test_negation_is_the_complement(term: str) -> None:
    positive, negative = parse_filter(term), parse_filter("-" + term)
    if isinstance(positive, QueryError):
        return
    assert isinstance(negative, Query)
    masks = ARTICLES.select(yes=positive.mask(KEYWORDS), no=negative.mask(KEYWORDS))
    assert masks.null_count().sum_horizontal().item() == 0
    assert (masks["yes"] ^ masks["no"]).all()


LOWERED = with_lowered_text(ARTICLES)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), _TERMS), min_size=1, max_size=4), st.booleans())
def test_fast_path_keeps_the_same_rows_as_the_mask(terms: list[tuple[bool, str]], ored: bool) -> None:
    """Lower-cased columns and AND-terms applied one by one, cheapest first: same rows, same order."""
    text = (" OR " if ored else " ").join(("-" if negated else "") + term for negated, term in terms)
    query = parse_filter(text)
    if isinstance(query, QueryError):
        return
    expected = ARTICLES.filter(query.mask(KEYWORDS))["id"].to_list()
    fast = filter_articles(LOWERED, KEYWORDS, text)
    assert not isinstance(fast, QueryError)
    assert fast["id"].to_list() == expected
    assert LOWERED.filter(query.mask(KEYWORDS, lowered=True))["id"].to_list() == expected


@pytest.mark.parametrize("text", ["war", "WAR", "мир", "россии", '"peace talks"', "[bold]", "a.b", "econom -warfare", "section:energy PEACE"])
def test_lowered_columns_match_like_the_caseless_regex(text: str) -> None:
    assert matches(text, LOWERED) == matches(text)
