"""KWIC finds a keyword as extraction saw it, on real Wikinews text (tests/data/realtext/): the
extractor lists `Korean People Army` for an article that writes `Korean People's Army` (the
possessive is dropped), and `newsdesk kwic` and the dashboard find it there; one layout of the
context lines (`concordance_line`) for both, with the text's own spacing; no occurrence is said
(one line on stderr, exit 1), not an empty stdout with exit 0."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from core.commands import main
from core.ingest import load_corpus
from core.keywords import Extractor
from core.kwic import concordance_line, kwic, term_regex, term_tokens
from tests.core.wikinews import ARTICLES, body_of, write_articles

# Each writes a name with an ASCII possessive the extractor drops from the keyword.
POSSESSIVES = {
    "GUM_news_korea": ("Korean People Army", "Korean People's Army"),
    "GUM_news_asylum": ("Malaysia Prime Minister", "Malaysia's Prime Minister"),
}


@pytest.fixture(scope="module")
def real_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("wikinews"), *POSSESSIVES)


@pytest.mark.parametrize("ident", list(POSSESSIVES))
def test_the_extractors_keyword_is_found_where_the_text_has_a_possessive(real_corpus: Path, ident: str) -> None:
    keyword, written = POSSESSIVES[ident]
    body = body_of(ident)
    # The real extractor gives the keyword without the possessive the text has.
    extracted = [found.keyword for found in Extractor().extract(str(ARTICLES[ident]["title"]), body, "en")]
    assert keyword in extracted
    assert keyword not in body and written in body
    lines = kwic(load_corpus([real_corpus]).articles, keyword, width=20)
    assert lines.height == body.count(written)
    assert set(lines.get_column("match")) == {written}  # the text as it is written


def test_the_korea_lines_keep_the_texts_spacing(real_corpus: Path) -> None:
    lines = kwic(load_corpus([real_corpus]).articles, "Korean People Army", width=22)
    assert lines.select("left", "match", "right").rows() == [
        ("reme commander of the ", "Korean People's Army", " [KPA] that the front-"),
        ('h. "Commanders of the ', "Korean People's Army", " were hastily dispatch"),
    ]


def test_tokens_drop_what_extraction_drops() -> None:
    assert term_tokens("America’s Overriding Policy") == ["America", "Overriding", "Policy"]
    assert term_tokens("America ’s Overriding") == ["America", "Overriding"]  # a clitic split off
    assert term_tokens("all-girl  team") == ["all", "girl", "team"]
    assert term_tokens("U.S.") == ["U.S."]
    assert term_tokens(" - ") == [] and term_regex(" - ") is None


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("America Overriding Policy", "Read America’s Overriding Policy today.", "America’s Overriding Policy"),
        ("America’s Overriding Policy", "Read America's Overriding Policy today.", "America's Overriding Policy"),
        ("all girl team", "An all-girl team won.", "all-girl team"),
        ("all-girl team", "An all girl team won.", "all girl team"),
        ("Secret Agent", 'He read "Secret" Agent.', 'Secret" Agent'),
        ("Moscow", "will on Moscow. And", "Moscow"),
        ("n’t important", "It isn’t important.", "n’t important"),  # the tokenizer split "isn’t"
    ],
)
def test_between_two_words_what_extraction_drops_is_allowed(term: str, text: str, found: str) -> None:
    articles = pl.DataFrame({"id": ["a"], "title": ["t"], "body": [text]})
    assert kwic(articles, term).get_column("match").to_list() == [found]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("Moscow And", "will on Moscow. And"),  # a sentence end is not dropped by extraction
        ("People Army", "the People, Army"),
        ("war", "warfare and software"),  # still whole words
    ],
)
def test_sentence_punctuation_and_word_parts_are_not_matched(term: str, text: str) -> None:
    articles = pl.DataFrame({"id": ["a"], "title": ["t"], "body": [text]})
    assert kwic(articles, term).height == 0


def test_one_layout_keeps_the_texts_spacing_around_the_match() -> None:
    # "will on Moscow. And": no space is added between the match and the punctuation after it.
    assert concordance_line("will on ", "Moscow", ". And", 10) == ("  will on ", "Moscow", ". And     ")
    assert concordance_line("a long left context", "Moscow", "’s position on it", 6) == ("ontext", "Moscow", "’s pos")
    # Wide characters by the cells given; line breaks and escapes made one safe line.
    assert concordance_line("東京 ", "x", "\nnext\x1b[2J", 5, cells=lambda s: sum(2 if ord(c) > 0x2E80 else 1 for c in s)) == (
        "東京 ",
        "x",
        " next",
    )


# --- the command -------------------------------------------------------------------------------


def test_cli_kwic_finds_the_possessive_keyword_and_prints_the_shared_layout(
    real_corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["kwic", str(real_corpus), "Korean People Army", "--width", "30"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2
    for line in lines:
        # 30 cells of left context, the match as written, 30 of right context, two spaces, the id.
        assert line[30:].startswith("Korean People's Army")
    assert lines[0][:50] == "der of the supreme commander of the Korean People's Army"[-50:]


def test_cli_kwic_with_no_occurrence_says_so_and_exits_1(real_corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kwic", str(real_corpus), "zanzibarian ferries"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == 'newsdesk: no occurrences of "zanzibarian ferries"\n'
