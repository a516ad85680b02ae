"""The fast paths of row building agree with the plain definitions on adversarial text.

`id_and_word_count` works on UTF-8 bytes when it can prove that equals splitting into
words and case-folding; these properties pin that it always gives what `article_id` and
`str.split` give, whatever the text.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from core.corpus import _id_of_words, article_id, id_and_word_count

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


@settings(max_examples=3000, deadline=None)
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
