"""Keyword extraction for one article: an engine (core.keyword_engines) run over the prepared
text (core.keyword_text), a second run when the text's language was misdetected
(core.stopwords), and the post-processing of its list (core.keyword_rules). `Extractor` is
one per process and reused; the pool and cluster tasks of `core.index` run it on batches.
Measured on public gold sets by bench/keywords.py (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import lru_cache

from core.keyword_engines import DEDUP_LIM, DEFAULT_ENGINE, NGRAMS, WINDOW_SIZE, make_engine
from core.keyword_rules import Keyword, postprocess
from core.keyword_text import MAX_TOKEN_CHARS, is_non_latin, normalise_key, prepare_text
from core.stopwords import stopword_language, stopwords

TOP_DEFAULT = 10
# Engines are asked for more candidates than `top` so the list is still full after
# post-processing has dropped redundant ones.
CANDIDATE_FACTOR = 5
SCORE_DIGITS = 12
# Bump when preparation or post-processing changes what a cached keyword list would hold.
POSTPROCESS_VERSION = 3


@dataclass(frozen=True, slots=True)
class ExtractorParams:
    """Everything that changes an article's keyword list; it addresses the cache."""

    engine: str = DEFAULT_ENGINE
    top: int = TOP_DEFAULT
    ngrams: int = NGRAMS
    dedup_lim: float = DEDUP_LIM
    window_size: int = WINDOW_SIZE
    max_token_chars: int = MAX_TOKEN_CHARS
    postprocess: bool = True
    postprocess_version: int = POSTPROCESS_VERSION
    # The corpus's majority language, for texts whose detected language gave stopword
    # keywords. Not in the fingerprint: it changes only those texts' lists, and a corpus
    # growing by one article must not lose its cache.
    fallback_language: str | None = None

    def fingerprint(self) -> str:
        """A short stable hash of these parameters (all but `fallback_language`)."""
        fields = asdict(self)
        del fields["fallback_language"]
        payload = json.dumps(fields, sort_keys=True).encode()
        return hashlib.blake2b(payload, digest_size=8).hexdigest()


def _stable(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Scores rounded and ties ordered by keyword, so every process gives the same list.

    yake-rust sums in hash-map order (randomly seeded per process): the same text scores a
    few ulps apart and tied candidates swap places from one process to the next.
    """
    return sorted(((k, round(s, SCORE_DIGITS)) for k, s in pairs), key=lambda pair: (pair[1], pair[0]))


class Extractor:
    """An engine plus text preparation and post-processing: one per process, reused."""

    def __init__(self, params: ExtractorParams = ExtractorParams()) -> None:
        self.params = params
        self.engine = make_engine(params.engine, params.ngrams, params.dedup_lim, params.window_size)

    def extract(self, title: str | None, body: str | None, language: str | None) -> list[Keyword]:
        """The top keywords of one article (title and body together).

        When the engine's first keywords are edged with stopwords of another language (the
        text's language was misdetected), the text is extracted again in that language,
        the corpus's majority language (`params.fallback_language`) first. No keyword is a
        stopword of the text's language, of the one it was extracted in, of the majority
        language, or (for Latin-script text) of English.
        """
        text = prepare_text(title, body, self.params.max_token_chars)
        top = self.params.top
        language = language or ""
        if not self.params.postprocess:
            return [Keyword(k, normalise_key(k), s) for k, s in _stable(self.engine.extract(text, language, top))]
        pairs = _stable(self.engine.extract(text, language, top * CANDIDATE_FACTOR))
        other = stopword_language(pairs, text, language, self.params.fallback_language)
        # English is what misdetected Latin-script text mostly is, and its stopwords are no
        # keywords in any language: on the French and Portuguese gold sets this costs nothing.
        more = stopwords(self.params.fallback_language) | (frozenset() if is_non_latin(text) else stopwords("en"))
        if other is not None:
            more |= stopwords(language)
            language = other
            pairs = _stable(self.engine.extract(text, language, top * CANDIDATE_FACTOR))
        return postprocess(pairs, text, top, language, more)


def extract_keywords(
    title: str | None,
    body: str | None,
    language: str | None = "en",
    *,
    engine: str = DEFAULT_ENGINE,
    top: int = TOP_DEFAULT,
) -> list[Keyword]:
    """Convenience for one article; reuses one Extractor per (engine, top)."""
    return _shared_extractor(engine, top).extract(title, body, language)


@lru_cache(maxsize=8)
def _shared_extractor(engine: str, top: int) -> Extractor:
    return Extractor(ExtractorParams(engine=engine, top=top))


# The pool's side: one Extractor per worker process, built by the initializer.
_worker_extractor: Extractor | None = None

ArticleTask = tuple[str, str | None, str | None, str | None]


def init_worker(params: ExtractorParams) -> None:
    """Pool initializer: build this process's Extractor once."""
    global _worker_extractor
    _worker_extractor = Extractor(params)


@lru_cache(maxsize=4)
def _extractor_for(params: ExtractorParams) -> Extractor:
    return Extractor(params)


def extract_batch_with(params: ExtractorParams, tasks: list[ArticleTask]) -> list[tuple[str, list[Keyword]]]:
    """Cluster task: like `extract_batch`, building one Extractor per worker process and params.

    Cluster workers have no initializer hook, so the extractor is made on first use and kept.
    """
    extractor = _extractor_for(params)
    return [(ident, extractor.extract(title, body, language)) for ident, title, body, language in tasks]


def extract_batch(tasks: list[ArticleTask]) -> list[tuple[str, list[Keyword]]]:
    """Pool task: (id, title, body, language) rows -> (id, keywords) rows."""
    extractor = _worker_extractor
    if extractor is None:
        raise RuntimeError("extract_batch called in a process without init_worker")
    return [
        (ident, extractor.extract(title, body, language))
        for ident, title, body, language in tasks
    ]
