"""Post-processing of one article's ranked keyword list (`postprocess`): case variants merged;
stopwords, clause pieces, fragments of names and headlines, and keywords whose Snowball stems
repeat a better one's dropped, with refill; names YAKE cut at a stopword made whole; headline
words favoured; fewer keywords for a short text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

from core.keyword_text import SPACED_CLITIC, WHITESPACE, normalise_key
from core.stopwords import stemmer, stopwords

# Lines of the scraped-page template and sharing widgets that are never what an article is about.
CHROME_KEYS = frozenset(
    {
        "published", "continue reading", "comments", "latest", "trending", "publications",
        "connect with us", "read more", "advertisement", "click here", "mins ago", "hours ago",
    }
)
_EDGE_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?*"
_CHROME_PATTERN = re.compile(r"\b(?:\d+\s*(?:mins?|minutes?|hours?|days?)\s+ago|continue reading)\b")


class Keyword(NamedTuple):
    """One post-processed keyword of an article (a tuple: cheap to pickle and to cache)."""

    keyword: str
    key: str
    score: float


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
    keyword = WHITESPACE.sub(" ", keyword).strip().strip(_EDGE_PUNCTUATION)
    # yake-rust splits "America’s" into "America ’s"; glue the clitic back.
    return SPACED_CLITIC.sub("", keyword)


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
