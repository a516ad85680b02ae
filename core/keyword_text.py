"""Text as keyword extraction sees it: an article's title and body prepared for the engines
(`prepare_text`: cleaned, paragraphs as sentences, junk tokens and excess length cut), the
key keywords are compared by (`normalise_key`), and whether a text is in a non-Latin script."""

from __future__ import annotations

import re
import unicodedata

from core.sanitize import clean_text

# A token longer than this is not a word (base64, a URL, a run of junk); yake-rust's time
# grows steeply with a token's length, so such tokens are removed before extraction.
MAX_TOKEN_CHARS = 50
# Only the first this many characters of an article are used. yake-rust's sentence splitter
# (segtok) panics with BacktrackLimitExceeded on a sentence of some hundred thousand
# characters (the hostile corpus's one-megabyte line): the panic kills the run and its
# message lands on the terminal over the dashboard. A news article is far shorter; this also
# bounds extraction time.
MAX_TEXT_CHARS = 100_000
WHITESPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LONG_TOKEN = re.compile(r"\S{%d,}" % (MAX_TOKEN_CHARS + 1))
_SENTENCE_END = tuple(".!?…:;")
SPACED_CLITIC = re.compile(r"\s+(?=['’]\w{1,2}\b)")
"""Space before a clitic (\"America ’s\"): the engines split clitics off words."""
_CLOSING_QUOTES = "\"'”’»)]"


def normalise_key(keyword: str) -> str:
    """The key keywords are compared by: case-folded, NFC, single spaces."""
    collapsed = SPACED_CLITIC.sub("", WHITESPACE.sub(" ", keyword).strip())
    return unicodedata.normalize("NFC", collapsed.casefold())


def is_non_latin(text: str) -> bool:
    """True when most letters of `text` are outside the Latin script (Cyrillic, Greek, CJK...)."""
    sample = text[:4000]
    if sample.isascii():
        return False
    letters = len(_LETTER.findall(sample))
    return len(_NON_LATIN_LETTER.findall(sample)) * 2 > letters


def _cap_tokens(text: str, limit: int) -> str:
    if limit <= 0 or len(text) <= limit:
        return text
    pattern = _LONG_TOKEN if limit == MAX_TOKEN_CHARS else re.compile(r"\S{%d,}" % (limit + 1))
    return pattern.sub(" ", text)


def _end_sentence(paragraph: str) -> str:
    if paragraph.rstrip(_CLOSING_QUOTES).endswith(_SENTENCE_END):
        return paragraph
    return paragraph + "."


def prepare_text(title: str | None, body: str | None, max_token_chars: int = MAX_TOKEN_CHARS) -> str:
    """Title and body as one text for extraction: cleaned, long tokens removed.

    Paragraph breaks are sentence breaks on purpose: a title, subheading or caption has no
    final full stop, and without a break YAKE builds junk phrases across it ("Relations
    Today", the title's last word glued to the body's first). yake flattens newlines, so a
    paragraph without final punctuation gets a full stop; both engines then see the same
    sentences. A single newline inside a paragraph is a wrapped line, not a break.
    """
    text = clean_text(title or "") + "\n\n" + clean_text(body or "")
    paragraphs = (WHITESPACE.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    joined = "\n\n".join(_end_sentence(p) for p in paragraphs if p)
    return _cap_length(_cap_tokens(joined, max_token_chars))


def _cap_length(text: str) -> str:
    """The first MAX_TEXT_CHARS characters, cut at a space when there is one near the end."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    head = text[:MAX_TEXT_CHARS]
    cut = head.rfind(" ")
    return head[:cut] if cut > MAX_TEXT_CHARS - 1000 else head
