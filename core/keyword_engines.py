"""The two YAKE implementations behind one small interface (`Engine.extract(text, language, top)`).

`yake-rust` (the Rust implementation's bindings) is the default: better P@10 and much faster
on the 500N-KPCrowd news gold set (bench/keywords.py, docs/performance.md); `yake` (the
LIAAD package) is the reference."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from core.keyword_text import is_non_latin
from core.stopwords import YAKE_RUST_LANGUAGES, engine_language, yake_languages

YAKE_RUST = "yake-rust"
YAKE = "yake"
ENGINES: tuple[str, ...] = (YAKE_RUST, YAKE)
DEFAULT_ENGINE = YAKE_RUST
NGRAMS = 3
DEDUP_LIM = 0.9
WINDOW_SIZE = 1


class Engine(Protocol):
    """One YAKE implementation: ranked (keyword, score) pairs, lower score is better."""

    name: str

    def extract(self, text: str, language: str, top: int) -> list[tuple[str, float]]: ...


class YakeRustEngine:
    """yake-rust: fast; one `Yake` per language, built lazily and reused."""

    name = YAKE_RUST

    def __init__(self, ngrams: int = NGRAMS, dedup_lim: float = DEDUP_LIM, window_size: int = WINDOW_SIZE) -> None:
        self._ngrams = ngrams
        self._dedup_lim = dedup_lim
        self._window_size = window_size
        self._extractors: dict[tuple[str | None, bool], object] = {}

    def _extractor(self, language: str | None, dedup: bool) -> object:
        slot = (language, dedup)
        if slot not in self._extractors:
            import yake_rust

            options = {
                "ngrams": self._ngrams,
                "window_size": self._window_size,
                "remove_duplicates": dedup,
                "deduplication_threshold": self._dedup_lim,
            }
            if language is None:
                self._extractors[slot] = yake_rust.Yake(stopwords=set(), **options)
            else:
                self._extractors[slot] = yake_rust.Yake(language=language, **options)
        return self._extractors[slot]

    def extract(self, text: str, language: str, top: int) -> list[tuple[str, float]]:
        if not text.strip() or top <= 0:
            return []
        code = engine_language(language, YAKE_RUST_LANGUAGES)
        # yake-rust's dedup divides a character edit distance by the *byte* length, so it
        # merges distinct Cyrillic/Greek word forms ("России" / "Россию"): dedup in Python.
        non_latin = is_non_latin(text)
        extractor = self._extractor(code, dedup=not non_latin)
        try:
            pairs = extractor.get_n_best(text, n=top * 2 if non_latin else top)  # type: ignore[attr-defined]
        except BaseException as error:  # pyo3's PanicException derives from BaseException
            if type(error).__name__ != "PanicException":
                raise
            return []  # yake-rust panicked on this text (its message went to stderr): no keywords
        pairs = [(str(k), float(s)) for k, s in pairs]
        if non_latin:
            pairs = dedup_similar(pairs, self._dedup_lim)
        return pairs[:top]


class YakeEngine:
    """The LIAAD `yake` package: the reference implementation; one extractor per language."""

    name = YAKE

    def __init__(self, ngrams: int = NGRAMS, dedup_lim: float = DEDUP_LIM, window_size: int = WINDOW_SIZE) -> None:
        self._ngrams = ngrams
        self._dedup_lim = dedup_lim
        self._window_size = window_size
        self._extractors: dict[tuple[str, int], object] = {}

    def _extractor(self, language: str, top: int) -> object:
        slot = (language, top)
        if slot not in self._extractors:
            import yake

            # snake_case names only: yake 0.7 silently ignores the old camelCase ones.
            # "seqm", never "levs": levs takes minutes on one long token of untrusted text.
            self._extractors[slot] = yake.KeywordExtractor(
                lan=language,
                n=self._ngrams,
                dedup_lim=self._dedup_lim,
                dedup_func="seqm",
                window_size=self._window_size,
                top=top,
            )
        return self._extractors[slot]

    def extract(self, text: str, language: str, top: int) -> list[tuple[str, float]]:
        if not text.strip() or top <= 0:
            return []
        # yake has no list for unsupported codes and then falls back to its empty
        # language-agnostic list; "und" names that fallback on purpose.
        code = engine_language(language, yake_languages()) or "und"
        extractor = self._extractor(code, top)
        return [(str(k), float(s)) for k, s in extractor.extract_keywords(text)]  # type: ignore[attr-defined]


_ENGINE_FACTORIES: dict[str, Callable[..., Engine]] = {YAKE_RUST: YakeRustEngine, YAKE: YakeEngine}


def make_engine(name: str, ngrams: int = NGRAMS, dedup_lim: float = DEDUP_LIM, window_size: int = WINDOW_SIZE) -> Engine:
    """A new engine by name; ValueError names the choices for an unknown one."""
    try:
        factory = _ENGINE_FACTORIES[name]
    except KeyError:
        raise ValueError(f"unknown keyword engine {name!r} (choose from {', '.join(ENGINES)})") from None
    return factory(ngrams=ngrams, dedup_lim=dedup_lim, window_size=window_size)


def levenshtein_ratio(a: str, b: str) -> float:
    """1 - edit distance / longer length, over characters (not bytes)."""
    if a == b:
        return 1.0
    longest = max(len(a), len(b))
    if not longest:
        return 1.0
    import jellyfish

    return 1.0 - jellyfish.levenshtein_distance(a, b) / longest


def dedup_similar(pairs: list[tuple[str, float]], limit: float) -> list[tuple[str, float]]:
    """Drop a keyword whose character Levenshtein ratio to a better one exceeds `limit`."""
    kept: list[tuple[str, float]] = []
    for keyword, score in pairs:
        lowered = keyword.casefold()
        # The ratio is at most shorter / longer length: most pairs need no edit distance.
        if all(
            min(len(lowered), len(k)) <= limit * max(len(lowered), len(k)) or levenshtein_ratio(lowered, k) <= limit
            for k in (k.casefold() for k, _ in kept)
        ):
            kept.append((keyword, score))
    return kept
