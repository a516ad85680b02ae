"""The labelled teaser set (tests/data/keywords/teasers-en.json) and how keywords are judged on it.

Each teaser is a real headline and the first 20 words of its article (English Wikinews, and
the bundled seed page's sidebar teasers), labelled with its `units`: the names and headline
phrases a keyword must not cut, and `keyphrases`: further keywords a reader would accept.
`styles` renders a headline again as news sites print it (Title Case, ALL CAPS), because
those headlines are where YAKE cuts phrases most.

A keyword is a fragment when it has several words and cuts a unit: it straddles a unit's
edge ("Prevent a Nuclear" of "Nuclear War"), lies inside a name ("Overriding Policy" of
"America’s Overriding Policy Imperative"), or lies inside a phrase without its last word,
the head ("misunderstood trafficking" of "misunderstood trafficking crime"). A keyword
is usable when it is a unit or an accepted keyphrase (compared word by word after
lower-casing, deleting punctuation and stemming).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import snowballstemmer

TEASERS = Path(__file__).resolve().parents[1] / "data" / "keywords" / "teasers-en.json"
_NOT_WORD = re.compile(r"[^\w@-]+")
_POSSESSIVE = re.compile(r"['’]s\b")
_STEMMER = snowballstemmer.stemmer("english")
# AP style: these stay lower-case inside a Title Case headline.
_MINOR_WORDS = frozenset("a an the and but or nor for on at to by in of off up as".split())
NAME_PARTICLES = frozenset("of de da do du del della di van von der".split())


@dataclass(frozen=True, slots=True)
class Teaser:
    ident: str
    title: str
    lead: str
    units: tuple[tuple[str, ...], ...]
    accepted: frozenset[tuple[str, ...]]
    names: frozenset[tuple[str, ...]]


def words(phrase: str) -> tuple[str, ...]:
    """Lower-cased, possessives and punctuation deleted, stemmed words."""
    plain = _NOT_WORD.sub(" ", _POSSESSIVE.sub("", phrase.lower())).split()
    return tuple(_STEMMER.stemWords(plain))


def title_case(title: str) -> str:
    """`title` as a Title Case headline (AP style: minor words lower-case but the first)."""
    out = []
    for i, word in enumerate(title.split()):
        bare = word.strip("'‘’\"“”:;,.").lower()
        out.append(word if i and bare in _MINOR_WORDS else word[:1].upper() + word[1:])
    return " ".join(out)


def _is_name(unit: str) -> bool:
    return all(w[:1].isupper() or w[:1].isdigit() or w in NAME_PARTICLES for w in unit.split())


def load_teasers() -> list[Teaser]:
    """Every teaser as published, then each styled rendering of its headline."""
    teasers = []
    for row in json.loads(TEASERS.read_text(encoding="utf-8")):
        units = tuple(words(u) for u in row["units"])
        accepted = frozenset(units) | {words(k) for k in row["keyphrases"]}
        names = frozenset(words(u) for u in row["units"] if _is_name(u))
        renderings = [("", row["title"])]
        for style in row["styles"]:
            renderings.append((style, title_case(row["title"]) if style == "title-case" else row["title"].upper()))
        for style, title in renderings:
            ident = f"{row['id']}:{style}" if style else row["id"]
            teasers.append(Teaser(ident, title, row["lead"], units, accepted, names))
    return teasers


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> int:
    """Where `short` starts as a proper contiguous part of `long`, or -1."""
    n = len(short)
    if n >= len(long):
        return -1
    return next((i for i in range(len(long) - n + 1) if long[i : i + n] == short), -1)


def is_fragment(keyword: str, teaser: Teaser) -> bool:
    """True when multiword `keyword` cuts one of the teaser's units (see the module docstring)."""
    key = words(keyword)
    if len(key) < 2 or key in teaser.units:
        return False
    for unit in teaser.units:
        at = _inside(key, unit)
        if at >= 0 and (unit in teaser.names or at + len(key) < len(unit)):
            return True
        if _inside(unit, key) >= 0 or key == unit:
            continue
        for k in range(1, min(len(key), len(unit))):
            if key[-k:] == unit[:k] or key[:k] == unit[-k:]:
                return True
    return False
