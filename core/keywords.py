"""YAKE keyword extraction for one article, and the post-processing of its keyword list.

Two engines sit behind one small interface (`Engine.extract(text, language, top)`):
`yake-rust` (the Rust implementation's bindings, the default: better P@10 and ~10x faster
on the 500N-KPCrowd news gold set, see bench/keywords.py) and `yake` (the LIAAD package,
the reference). `Extractor` wraps an engine with text preparation (cleaning, token-length
cap, sentence breaks), a second extraction when the text's language was misdetected, and
post-processing (`postprocess`: case variants merged; stopwords, clause pieces, fragments of
names and headlines, and keywords whose Snowball stems repeat a better one's dropped, with
refill; names YAKE cut at a stopword made whole; headline words favoured; fewer keywords for
a short text). Measured on public gold sets by bench/keywords.py (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Protocol

from core.sanitize import clean_text

YAKE_RUST = "yake-rust"
YAKE = "yake"
ENGINES: tuple[str, ...] = (YAKE_RUST, YAKE)
DEFAULT_ENGINE = YAKE_RUST
TOP_DEFAULT = 10
NGRAMS = 3
DEDUP_LIM = 0.9
WINDOW_SIZE = 1
# A token longer than this is not a word (base64, a URL, a run of junk); yake-rust spends
# seconds on one 20k-character token, so such tokens are removed before extraction.
MAX_TOKEN_CHARS = 50
# Only the first this many characters of an article are used. yake-rust's sentence splitter
# (segtok) panics with BacktrackLimitExceeded on a ~300k-character sentence (the hostile
# corpus's one-megabyte line): the panic kills the run and its message lands on the terminal
# over the dashboard. A news article is 5-30k characters; this also bounds extraction time.
MAX_TEXT_CHARS = 100_000
# Engines are asked for more candidates than `top` so the list is still full after
# post-processing has dropped redundant ones.
CANDIDATE_FACTOR = 5
SCORE_DIGITS = 12
# Bump when preparation or post-processing changes what a cached keyword list would hold.
POSTPROCESS_VERSION = 3

# ISO 639-1 codes each engine ships a stopword list for (yake-rust panics on any other code).
YAKE_RUST_LANGUAGES = frozenset(
    "ar bg br cz da de el en es et fa fi fr hi hr hu hy id it ja lt lv nl no pl pt ro ru sk sl "
    "sv tr uk zh".split()
)
# Both engines spell Czech "cz"; Norwegian Bokmål / Nynorsk use the Norwegian list.
_LANGUAGE_ALIASES = {"cs": "cz", "nb": "no", "nn": "no"}
# Lines of the scraped-page template and sharing widgets that are never what an article is about.
CHROME_KEYS = frozenset(
    {
        "published", "continue reading", "comments", "latest", "trending", "publications",
        "connect with us", "read more", "advertisement", "click here", "mins ago", "hours ago",
    }
)
_CHROME_PATTERN = re.compile(r"\b(?:\d+\s*(?:mins?|minutes?|hours?|days?)\s+ago|continue reading)\b")
_WHITESPACE = re.compile(r"\s+")
_LETTER = re.compile(r"[^\W\d_]")
_NON_LATIN_LETTER = re.compile(r"[^\W\d_A-Za-z\u00C0-\u024F\u1E00-\u1EFF]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_LONG_TOKEN = re.compile(r"\S{%d,}" % (MAX_TOKEN_CHARS + 1))
_SENTENCE_END = tuple(".!?…:;")
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?*"
_SPACED_CLITIC = re.compile(r"\s+(?=['’]\w{1,2}\b)")
_CLOSING_QUOTES = "\"'”’»)]"


class Engine(Protocol):
    """One YAKE implementation: ranked (keyword, score) pairs, lower score is better."""

    name: str

    def extract(self, text: str, language: str, top: int) -> list[tuple[str, float]]: ...


class Keyword(NamedTuple):
    """One post-processed keyword of an article (a tuple: cheap to pickle and to cache)."""

    keyword: str
    key: str
    score: float


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


def engine_language(language: str | None, supported: Iterable[str]) -> str | None:
    """The engine's code for `language`, or None when it has no stopword list for it."""
    code = (language or "").strip().lower()
    code = _LANGUAGE_ALIASES.get(code, code)
    return code if code in supported else None


def normalise_key(keyword: str) -> str:
    """The key keywords are compared by: case-folded, NFC, single spaces."""
    collapsed = _SPACED_CLITIC.sub("", _WHITESPACE.sub(" ", keyword).strip())
    return unicodedata.normalize("NFC", collapsed.casefold())


def is_non_latin(text: str) -> bool:
    """True when most letters of `text` are outside the Latin script (Cyrillic, Greek, CJK...)."""
    sample = text[:4000]
    if sample.isascii():
        return False
    letters = len(_LETTER.findall(sample))
    return len(_NON_LATIN_LETTER.findall(sample)) * 2 > letters


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
    paragraphs = (_WHITESPACE.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(text))
    joined = "\n\n".join(_end_sentence(p) for p in paragraphs if p)
    return _cap_length(_cap_tokens(joined, max_token_chars))


def _cap_length(text: str) -> str:
    """The first MAX_TEXT_CHARS characters, cut at a space when there is one near the end."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    head = text[:MAX_TEXT_CHARS]
    cut = head.rfind(" ")
    return head[:cut] if cut > MAX_TEXT_CHARS - 1000 else head


def _is_chrome(key: str) -> bool:
    return key in CHROME_KEYS or bool(_CHROME_PATTERN.search(key))


def _has_letter(key: str) -> bool:
    return any(ch.isalpha() for ch in key)


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    """True when `shorter` is a contiguous whole-word run inside `longer` (and shorter)."""
    size = len(shorter)
    if size >= len(longer):
        return False
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _runs_on_from(kept: tuple[str, ...], candidate: tuple[str, ...]) -> bool:
    """True when `candidate` runs on from `kept` at either end and is no shorter than it
    ("worsen for stranded" after "conditions worsen").

    Such shingles of one longer phrase say the same thing twice. A shorter candidate stays
    ("nuclear war" after "prevent a nuclear"): it is usually the cleaner phrase.
    """
    if len(candidate) < len(kept):
        return False
    return any(kept[-k:] == candidate[:k] or candidate[-k:] == kept[:k] for k in range(1, len(kept)))


def _redundant(kept: tuple[str, ...], candidate: tuple[str, ...]) -> bool:
    """True when `candidate` says again what `kept` says: the same stems, one inside the other, or a shingle."""
    return (
        kept == candidate
        or _contains(kept, candidate)
        or _contains(candidate, kept)
        or _runs_on_from(kept, candidate)
    )


class _Text:
    """The prepared text with a same-length lower-case copy, for fast whole-word phrase search."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()
        # str.lower() can change the length ("İ"); then positions would not line up.
        self.lowered = lowered if len(lowered) == len(text) else None
        self.body_start = text.find("\n\n") + 2 if "\n\n" in text else len(text)
        self.title_cased = _is_title_cased(text[: self.body_start])
        self.words = len(text.split())

    def occurrences(self, phrase: str, start: int = 0) -> Iterator[tuple[int, int]]:
        """(start, end) of each case-insensitive whole-word occurrence of `phrase`."""
        if self.lowered is None:
            for match in _phrase_pattern(phrase).finditer(self.text, start):
                yield match.start(), match.end()
            return
        needle, lowered = phrase.lower(), self.lowered
        at = lowered.find(needle, start)
        while at != -1:
            end = at + len(needle)
            if (at == 0 or not lowered[at - 1].isalnum()) and (end == len(lowered) or not lowered[end].isalnum()):
                yield at, end
            at = lowered.find(needle, at + 1)


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _is_title_cased(title: str) -> bool:
    """True for a Title Case or ALL-CAPS headline: most of its longer words start upper-case.

    In such a headline every word looks like part of a name, so capitalisation says nothing
    about where a phrase ends; in a sentence-case one it marks the names.
    """
    words = [w for w in _TITLE_WORD.findall(title) if len(w) > 3]
    if len(words) < 2:
        return False
    return sum(1 for w in words if w[0].isupper()) * 4 >= len(words) * 3


@lru_cache(maxsize=4096)
def _phrase_pattern(keyword: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _display_form(text: _Text, variants: list[str]) -> str:
    """The most frequent surface form of a keyword in `text` (ties: the engine's best form)."""
    forms: Counter[str] = Counter()
    for variant in dict.fromkeys(variants):
        forms.update(text.text[a:b] for a, b in text.occurrences(variant))
    if not forms:
        return variants[0]
    best = max(forms.values())
    for variant in variants:
        if forms.get(variant) == best:
            return variant
    return max(forms, key=lambda form: forms[form])


_NEXT_NAME = re.compile(r"[ \t]+(\w)")
_NEXT_PARTICLE = re.compile(r"[ \t]+(\w+)[ \t]+(\w)")
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_BREAK = ".!?:;\"“”‘’'(«»\n"


def _is_upper_initial(word: str) -> bool:
    return bool(word) and word[0].isupper()


def _cuts_a_name(text: _Text, keyword: str, particles: bool = False) -> bool:
    """True when every occurrence of `keyword` cuts a capitalised name (or headline phrase) in two.

    "United States Donald" (always followed by "Trump") and "States Donald Trump" (always
    preceded by "United") are fragments that straddle two names, not keywords; so is "Prevent
    a Nuclear" when its only occurrence is the headline "To Prevent a Nuclear War". Only
    body occurrences count, unless the keyword is in the headline alone.
    """
    words = keyword.split()
    if len(words) < 2:
        return False
    check_right = _is_upper_initial(words[-1])
    check_left = _is_upper_initial(words[0])
    if not (check_right or check_left):
        return False
    spans = list(text.occurrences(keyword, text.body_start)) or list(text.occurrences(keyword))
    for start, end in spans:
        if not (
            (check_right and _name_continues_right(text.text, end, particles))
            or (check_left and _name_continues_left(text.text, start, text.title_cased and start < text.body_start))
        ):
            return False
    return bool(spans)


def _name_continues_right(body: str, end: int, particles: bool = False) -> bool:
    """A capitalised word follows, or with `particles` a name particle and then one
    ("Institute" + "of Technology")."""
    following = _NEXT_NAME.match(body, end)
    if following is None:
        return False
    if following.group(1).isupper():
        return True
    if not particles:
        return False
    particle = _NEXT_PARTICLE.match(body, end)
    return bool(particle) and particle.group(1) in NAME_PARTICLES and particle.group(2).isupper()


def _previous_word(body: str, start: int) -> tuple[str, str] | None:
    """The word just before `start` on its line and the text before that word, or None."""
    before = body[max(0, start - 80) : start]
    if not before[-1:].isspace() or "\n" in before[-2:]:
        return None
    words = before.split()
    if not words:
        return None
    previous = words[-1]
    return previous, before[: before.rstrip().rfind(previous)].rstrip()


def _name_continues_left(body: str, start: int, in_headline: bool = False) -> bool:
    found = _previous_word(body, start)
    if found is None:
        return False
    previous, earlier = found
    bare = _POSSESSIVE.sub("", previous)
    if not (previous[:1].isupper() and bare.isalpha()):
        return False
    if in_headline:
        return True  # a headline's words are all capitalised: its first word is part of it
    # A capitalised word that opens a sentence ("The United States") is not part of a name.
    return bool(earlier) and earlier[-1] not in _SENTENCE_BREAK


def _extend_name(text: _Text, keyword: str, stops: frozenset[str]) -> str:
    """`keyword` with the capitalised stopword that precedes it ("New" of "York City").

    YAKE never starts a phrase with a stopword, and "new", "first" are stopwords ("El",
    under three letters, counts as one), so "New York City" comes out as "York City". The
    word is taken back when it precedes most occurrences, capitalised ("EL PASO" in a
    dateline counts), and at least once in the middle of a body sentence (where a capital
    marks a name, not a sentence start or a Title Case headline).
    """
    if not stops or not _is_upper_initial(keyword):
        return keyword
    before: Counter[str] = Counter()
    forms: dict[str, str] = {}
    mid_sentence: set[str] = set()
    total = 0
    for start, _ in text.occurrences(keyword):
        total += 1
        found = _previous_word(text.text, start)
        if found is None or not text.text[start].isupper():
            continue
        previous, earlier = found
        folded = previous.casefold()
        # YAKE also treats words under three letters as stopwords ("El", "La", "St").
        if not (previous[:1].isupper() and previous.isalpha() and (folded in stops or len(folded) < 3)):
            continue
        before[folded] += 1
        if previous[1:].islower() or len(previous) == 1:
            forms.setdefault(folded, previous)
        if start >= text.body_start and earlier and earlier[-1] not in _SENTENCE_BREAK:
            mid_sentence.add(folded)
    if not before:
        return keyword
    folded, count = before.most_common(1)[0]
    if count * 2 <= total or folded not in mid_sentence:
        return keyword
    return f"{forms.get(folded, folded.capitalize())} {keyword}"


# A contraction's tail split off by the tokenizer ("n’t", "’ll") is no word.
_CLITIC = re.compile(r"^(?:n['’]t|['’]\w{1,2})$")
_WORD_PUNCTUATION = re.compile(r"['’]s$|[^\w]")


def _bare_word(word: str) -> str:
    """A word without a possessive "'s" or punctuation, for stem comparison ("fools’" -> "fools")."""
    return _WORD_PUNCTUATION.sub("", word) or word


def _body_form(text: _Text, keyword: str) -> str:
    """How `keyword` is written in the body, when the headline is Title Case or ALL CAPS.

    Such a headline capitalises every word, so its "Asylum Seekers Rescued" says nothing
    about a name; the body's "asylum seekers" does. Otherwise `keyword` as it is.
    """
    if not text.title_cased or " " not in keyword:
        return keyword
    for start, end in text.occurrences(keyword, text.body_start):
        return text.text[start:end]
    return keyword


def _is_whole(text: _Text, keyword: str, stops: frozenset[str]) -> bool:
    """True when some occurrence of `keyword` is a whole phrase: nothing but a stopword, a
    punctuation mark or the text's edge on either side.

    "team honored" in "all-girl Afghan team honored for" is not: it runs from the middle of
    one phrase into the next. YAKE's candidates already end at stopwords and punctuation,
    but inside a longer run of words they start and end anywhere.
    """
    for start, end in text.occurrences(keyword):
        if _edge_is_free(text.text, start, end, stops):
            return True
    return False


_WORD_BEFORE = re.compile(r"(\w[\w'’-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+(\w[\w'’-]*)")


def _edge_is_free(body: str, start: int, end: int, stops: frozenset[str]) -> bool:
    before = _WORD_BEFORE.search(body[max(0, start - 40) : start])
    if before is not None and before.group(1).casefold() not in stops:
        return False
    after = _WORD_AFTER.match(body, end)
    return after is None or after.group(1).casefold() in stops


def _clean_keyword(keyword: str) -> str:
    keyword = _WHITESPACE.sub(" ", keyword).strip().strip(_EDGE_PUNCTUATION)
    # yake-rust splits "America’s" into "America ’s"; glue the clitic back.
    return _SPACED_CLITIC.sub("", keyword)


# Lower-case words that join the parts of a name ("Bank of America", "Figueira da Foz",
# "Caroline du Nord"); "and", "in", "on" join two names or a name and a place, not one name.
NAME_PARTICLES = frozenset("of de da do das dos du des del della di van von der".split())


def _is_name(keyword: str) -> bool:
    """Every word starts upper-case (a script without case counts as upper-case), but for
    inner NAME_PARTICLES."""
    words = keyword.split()
    last = len(words) - 1
    return all(not word[:1].islower() or (0 < i < last and word in NAME_PARTICLES) for i, word in enumerate(words))


def _is_mixed_case(keyword: str) -> bool:
    """Some words upper-case and some not: "Gama morreu", "Saturday charged", "voter Obama"."""
    initials = [not word[:1].islower() for word in keyword.split()]
    return any(initials) and not all(initials)


def _keeps_shape(keyword: str) -> bool:
    """A two-word keyword unless mixed-case; three words only as a name.

    On the gold sets (bench/keywords.py) three-word phrases that are not names, and two-word
    phrases half capitalised, are mostly clause pieces ("ECONOMIC GROWTH MIXED" aside, which
    the headline rule drops): below the precision of the candidates that refill the list.
    """
    spaces = keyword.count(" ")
    if spaces == 1:
        return not _is_mixed_case(keyword)
    if spaces == 2:
        return _is_name(keyword)
    return True


# A candidate found in the headline has its score multiplied by this (YAKE: lower is better).
HEADLINE_WEIGHT = 0.5
_NOT_WORD = re.compile(r"[^\w'’-]+")

# Below this many words a text is a teaser or a headline: it gets fewer keywords, one per
# this many words, and at least SHORT_TEXT_MIN_KEYWORDS.
SHORT_TEXT_WORDS = 40
SHORT_TEXT_WORDS_PER_KEYWORD = 6
SHORT_TEXT_MIN_KEYWORDS = 3


def keyword_budget(words: int, top: int) -> int:
    """How many keywords a text of `words` words gets: `top`, fewer for a short text."""
    if words >= SHORT_TEXT_WORDS:
        return top
    return min(top, max(SHORT_TEXT_MIN_KEYWORDS, words // SHORT_TEXT_WORDS_PER_KEYWORD))


def _favour_headline(merged: dict[str, tuple[float, list[str]]], text: _Text) -> dict[str, tuple[float, list[str]]]:
    """`merged` re-ranked with the scores of keys found in the headline weighted by HEADLINE_WEIGHT."""
    if text.body_start >= len(text.text):
        return merged  # no body: everything is headline
    headline = " " + " ".join(_NOT_WORD.split(text.text[: text.body_start].casefold())) + " "
    weighted = {
        key: ((score * HEADLINE_WEIGHT if f" {key} " in headline else score), variants)
        for key, (score, variants) in merged.items()
    }
    return dict(sorted(weighted.items(), key=lambda item: item[1][0]))


def postprocess(
    pairs: Iterable[tuple[str, float]],
    text: str,
    top: int,
    language: str | None = None,
    more_stopwords: frozenset[str] = frozenset(),
) -> list[Keyword]:
    """Clean one article's ranked (keyword, score) list into at most `top` Keywords.

    `text` is the prepared text (title paragraph first), `language` the one the engine was
    run in (its stopwords and stemmer are used); `more_stopwords` are never keywords either.
    One entry per normalised key, its display form the most frequent surface form in `text`.

    Dropped: numbers-only and site-chrome keywords; a stopword, or a phrase of stopwords
    only; a three-word phrase unless it is a name ("Federal Reserve Bank", "Bank of
    America") and a half-capitalised two-word one ("Gama morreu"), mostly clause pieces
    (`_keeps_shape`); a keyword whose stems repeat a better one's, lie inside one ("States"
    after "United States"), contain one ("United States Donald"), or run on from one and
    are no shorter ("worsen for stranded" after "conditions worsen"); a phrase that cuts a
    name or a Title Case headline in two everywhere it occurs ("States Donald Trump",
    "Prevent a Nuclear"). A name YAKE cut at a stopword gets it back ("York City" -> "New
    York City"). Keys found in the headline rank higher (HEADLINE_WEIGHT); further
    candidates refill the list.

    A short text (a teaser, a headline: under SHORT_TEXT_WORDS words) gets fewer keywords
    (`keyword_budget`), and a phrase in it must be a name or whole somewhere (`_is_whole`).
    Measured on the gold sets and the labelled teasers: bench/keywords.py.
    """
    stops = stopwords(language)
    prepared = _Text(text)
    stem = stemmer(language)
    budget = keyword_budget(prepared.words, top)
    short = prepared.words < SHORT_TEXT_WORDS
    merged: dict[str, tuple[float, list[str]]] = {}
    for keyword, score in pairs:
        keyword = _clean_keyword(keyword)
        if not _keeps_shape(_body_form(prepared, keyword)):
            continue
        keyword = _extend_name(prepared, keyword, stops)
        key = normalise_key(keyword)
        if not key or not _has_letter(key) or _is_chrome(key):
            continue
        if all(word in stops or word in more_stopwords or _CLITIC.match(word) for word in key.split(" ")):
            continue
        if key in merged:
            merged[key][1].append(keyword)
        else:
            merged[key] = (score, [keyword])
    kept: list[tuple[str, tuple[str, ...], float, list[str]]] = []
    for key, (score, variants) in _favour_headline(merged, prepared).items():
        stems = tuple(stem(_bare_word(word)) for word in key.split(" "))
        if any(_redundant(k_stems, stems) for _, k_stems, _, _ in kept):
            continue
        # A name continued by a particle ("Massachusetts Institute" + "of Technology") is
        # cut in a short text; in a long one the gold sets count such short forms as
        # keywords ("Assembleia" + "da República"), so there the rule costs precision.
        if _cuts_a_name(prepared, variants[0], particles=short):
            continue
        if short and " " in key and not _is_name(_body_form(prepared, variants[0])):
            if not _is_whole(prepared, variants[0], stops):
                continue
        kept.append((key, stems, score, variants))
        if len(kept) == budget:
            break
    return [Keyword(_display_form(prepared, variants), key, score) for key, _, score, variants in kept]


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
