"""Stopwords and stems of a keyword's language, and the language a text's keywords say it is in.

YAKE's stopword lists (the LIAAD package's data, which both engines agree with) and Snowball
stemmers, by ISO 639-1 code; `stopword_language` spots a misdetected language from the
stopwords that edge a text's first candidates."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from core.keyword_text import normalise_key

# ISO 639-1 codes each engine ships a stopword list for (yake-rust panics on any other code).
YAKE_RUST_LANGUAGES = frozenset(
    "ar bg br cz da de el en es et fa fi fr hi hr hu hy id it ja lt lv nl no pl pt ro ru sk sl "
    "sv tr uk zh".split()
)
# Both engines spell Czech "cz"; Norwegian Bokmål / Nynorsk use the Norwegian list.
_LANGUAGE_ALIASES = {"cs": "cz", "nb": "no", "nn": "no"}


def engine_language(language: str | None, supported: Iterable[str]) -> str | None:
    """The engine's code for `language`, or None when it has no stopword list for it."""
    code = (language or "").strip().lower()
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if code in supported else None


@lru_cache(maxsize=1)
def yake_languages() -> frozenset[str]:
    """Codes the LIAAD package ships a stopword list for (read from its package data)."""
    import yake

    folder = Path(yake.__file__).parent / "core" / "StopwordsList"
    names = (p.stem.removeprefix("stopwords_") for p in folder.glob("stopwords_*.txt"))
    return frozenset(n for n in names if len(n) == 2)


@lru_cache(maxsize=64)
def stopwords(language: str | None) -> frozenset[str]:
    """The YAKE stopword list for `language` (case-folded; empty for a language without one)."""
    code = engine_language(language, yake_languages())
    if code is None:
        return frozenset()
    import yake

    path = Path(yake.__file__).parent / "core" / "StopwordsList" / f"stopwords_{code}.txt"
    words = path.read_text(encoding="utf-8", errors="replace").split()
    return frozenset(unicodedata.normalize("NFC", w.casefold()) for w in words)


# ISO 639-1 code -> Snowball algorithm; a language without one is compared unstemmed.
_SNOWBALL = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "cs": "czech", "cz": "czech",
    "da": "danish", "nl": "dutch", "en": "english", "et": "estonian", "fi": "finnish", "fr": "french",
    "de": "german", "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian", "nb": "norwegian",
    "nn": "norwegian", "fa": "persian", "pl": "polish", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
}


@lru_cache(maxsize=64)
def stemmer(language: str | None) -> Callable[[str], str]:
    """A word -> stem function for `language` (Snowball; identity where there is none), memoised."""
    name = _SNOWBALL.get((language or "").strip().lower())
    if name is None:
        return lambda word: word
    import snowballstemmer

    algorithm = snowballstemmer.stemmer(name)
    return lru_cache(maxsize=65536)(algorithm.stemWord)


# Misdetected language. A text's first _PROBE candidates edged with stopwords of another
# language are the symptom (an English text read as Danish gets "the", "the Church"); the
# proof is the text itself: at least STOPWORD_SHARE of its first words are stopwords of
# that language, and WRONG_LANGUAGE_RATIO times as many as of the detected one. A name
# that is another language's stopword ("ADA", Indonesian "there is") shows the symptom,
# not the proof.
_PROBE = 20
_SAMPLE_CHARS = 3000
STOPWORD_SHARE = 0.2
WRONG_LANGUAGE_RATIO = 1.5
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def stopword_language(
    pairs: list[tuple[str, float]], text: str, language: str | None, fallback: str | None
) -> str | None:
    """The language to extract `text` again in, or None when `language` is right.

    Only languages whose stopwords edge one of the first candidates are weighed, the
    corpus's majority language `fallback` winning a tie.
    """
    edges: set[str] = set()
    for keyword, _ in pairs[:_PROBE]:
        words = normalise_key(keyword).split(" ")
        edges.update((words[0], words[-1]))
    supported = yake_languages()
    current = engine_language(language, supported)
    preferred = engine_language(fallback, supported)
    in_order = sorted(supported, key=lambda code: code != preferred)
    suspects = [code for code in in_order if code != current and edges & stopwords(code)]
    if not suspects:
        return None
    sample = [word.casefold() for word in _TOKEN.findall(text[:_SAMPLE_CHARS])]
    if not sample:
        return None

    def share(code: str | None) -> float:
        stops = stopwords(code)
        return sum(word in stops for word in sample) / len(sample)

    best = max(suspects, key=share)
    found = share(best)
    return best if found >= STOPWORD_SHARE and found >= WRONG_LANGUAGE_RATIO * share(current) else None
