"""Keyword extraction for one text: both engines, pathological input, post-processing, the seed."""

from __future__ import annotations

import time

import pytest

from core.corpus import Corpus
from core.keyword_engines import ENGINES, YAKE, YAKE_RUST, YakeEngine, YakeRustEngine, make_engine
from core.keyword_rules import CHROME_KEYS, SHORT_TEXT_WORDS, Keyword, keyword_budget, postprocess
from core.keyword_text import MAX_TOKEN_CHARS, normalise_key, prepare_text
from core.keywords import Extractor, ExtractorParams

ENGLISH = (
    "The United States and Russia agreed on a summit in Geneva. The summit in Geneva will "
    "discuss nuclear arms control. Russia wants guarantees; the United States wants talks on "
    "cyber security. Diplomats in Geneva prepared the summit for weeks."
)
RUSSIAN = (
    "В России много людей. Я люблю Россию. Россия большая страна. Москва столица России. "
    "Жители России говорят о России с любовью."
)


@pytest.mark.parametrize("name", ENGINES)
@pytest.mark.parametrize(
    ("text", "language"),
    [("", "en"), ("   \n\n ", "en"), ("word", "en"), (ENGLISH, "en"), (RUSSIAN, "ru"), (ENGLISH, "zz"), (ENGLISH, "und")],
)
def test_engines_share_the_interface(name: str, text: str, language: str) -> None:
    pairs = make_engine(name).extract(text, language, 5)
    assert isinstance(pairs, list) and len(pairs) <= 5
    assert all(isinstance(k, str) and type(s) is float for k, s in pairs)
    assert [s for _, s in pairs] == sorted(s for _, s in pairs)
    if text.strip():
        assert pairs, f"{name} found nothing in {text[:20]!r}"


@pytest.mark.parametrize("name", ENGINES)
def test_one_word_is_its_own_keyword(name: str) -> None:
    assert [k for k, _ in make_engine(name).extract("Geneva", "en", 5)] == ["Geneva"]


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(ValueError, match="yake-rust"):
        make_engine("nope")


def test_yake_rust_keeps_cyrillic_word_forms_apart() -> None:
    keywords = [k for k, _ in YakeRustEngine().extract(RUSSIAN, "ru", 10)]
    # yake-rust's own dedup (byte-length ratio) merges these two; ours must not.
    assert "России" in keywords and "Россию" in keywords


def test_yake_snake_case_arguments_take_effect() -> None:
    unigrams = YakeEngine(ngrams=1).extract(ENGLISH, "en", 10)
    trigrams = YakeEngine(ngrams=3).extract(ENGLISH, "en", 10)
    assert unigrams and all(" " not in k for k, _ in unigrams)
    assert any(k.count(" ") == 2 for k, _ in trigrams)
    assert len(YakeEngine().extract(ENGLISH, "en", 3)) == 3
    # dedup_lim >= 1 takes yake's no-dedup path, which returns lower-cased candidates.
    undeduplicated = [k for k, _ in YakeEngine(dedup_lim=1.0).extract(ENGLISH, "en", 20)]
    deduplicated = [k for k, _ in YakeEngine(dedup_lim=0.9).extract(ENGLISH, "en", 20)]
    assert all(k == k.lower() for k in undeduplicated)
    assert "United States" in deduplicated


@pytest.mark.parametrize("name", ENGINES)
def test_huge_token_is_capped_and_fast(name: str) -> None:
    body = ENGLISH + " " + "x" * 20_000 + " " + ENGLISH
    extractor = Extractor(ExtractorParams(engine=name))
    extractor.extract("Geneva summit", ENGLISH, "en")  # the engine's one-time start (0.3 s for yake-rust) is not timed
    started = time.perf_counter()
    keywords = extractor.extract("Geneva summit", body, "en")
    assert time.perf_counter() - started < 1.0
    assert keywords and all(len(w) <= MAX_TOKEN_CHARS for k in keywords for w in k.keyword.split())


@pytest.mark.parametrize("name", ENGINES)
def test_dirty_input_does_not_crash(name: str) -> None:
    extractor = Extractor(ExtractorParams(engine=name))
    assert extractor.extract(None, None, None) == []
    keywords = extractor.extract("Geneva\ud800 summit", "Talks\x1b[2J in \udfffGeneva. " + ENGLISH, "en")
    assert keywords and all("\ud800" not in k.keyword and "\x1b" not in k.keyword for k in keywords)


def test_paragraph_breaks_are_sentence_breaks() -> None:
    text = prepare_text("Relations Between Russia and Israel", "Today both sides met.\n\nSecond  paragraph\nwrapped line")
    assert text == "Relations Between Russia and Israel.\n\nToday both sides met.\n\nSecond paragraph wrapped line."
    keys = {k.key for k in Extractor().extract("Relations Between Russia and Israel", "Today both sides met in Moscow.", "en")}
    assert not any("israel today" in key for key in keys)


def test_normalise_key() -> None:
    assert normalise_key("  United\n States ") == "united states"
    assert normalise_key("America ’s Role") == "america’s role"
    assert normalise_key("STRASSE") == normalise_key("straße")


def test_postprocess_merges_case_drops_redundant_numbers_and_chrome() -> None:
    text = (
        "Talks. President of the United States Donald Trump met Putin. The United States said so. "
        "The United States agreed in 2001. Trump spoke. trump rallies."
    )
    pairs = [
        ("United States", 0.01),
        ("United States Donald", 0.02),
        ("States", 0.03),
        ("united states", 0.04),
        ("2001", 0.05),
        ("Continue Reading", 0.06),
        ("Published", 0.065),
        ("trump", 0.07),
        ("Putin", 0.08),
    ]
    result = postprocess(pairs, text, 10)
    assert result == [
        Keyword("United States", "united states", 0.01),
        Keyword("Trump", "trump", 0.07),
        Keyword("Putin", "putin", 0.08),
    ]


def test_postprocess_drops_a_phrase_that_cuts_a_name() -> None:
    text = "Title.\n\nThe president of the United States Donald Trump spoke. Donald Trump left later."
    result = postprocess([("States Donald Trump", 0.01), ("Donald Trump", 0.02)], text, 10)
    assert [k.keyword for k in result] == ["Donald Trump"]


def test_postprocess_honours_top() -> None:
    pairs = [(f"word{i} alpha{i}", i / 100) for i in range(30)]
    long_text = " ".join(k for k, _ in pairs)
    assert len(postprocess(pairs, long_text, 10)) == 10


# What each seed article is about, chosen after reading the real output.
SEED_EXPECTED = {
    "A Roadmap for Russia–U.S. Relations": {"united states", "russia", "washington", "moscow"},
    "Russia, Turkey and the new geopolitical reality": {"turkey", "sochi", "erdogan", "idlib"},
    "The 30th Anniversary of the Renewal of Diplomatic Relations Between Russia and Israel": {
        "israel",
        "russia",
        "diplomatic relations",
    },
    "The Emerging “Eastern Axis” and the Future of JCPOA": {"iran", "russia", "china", "afghanistan"},
    "Women in leadership ‘must be the norm’": {"women", "leadership"},
    "Maximizing Nickel as Renewable Energy Resource and Strengthening Diplomacy Role": {"renewable energy resource"},
    "To Prevent a Nuclear War: America’s Overriding Policy Imperative": {"nuclear war"},
    "Gender Mainstreaming and the Development of three Models": {"gender mainstreaming"},
    "No safe harbour: lifting the lid on a misunderstood trafficking crime": {"safe harbour", "trafficking"},
    "Why specific Muslim community bothering Indian BJP government": {"indian bjp"},
    "Conditions worsen for stranded migrants along Belarus-EU border": {"european union", "stranded migrants"},
}
# Single-word chrome lines, and chrome phrases whose words are ordinary English on their own
# ("Reading" opens a real sentence in one teaser).
CHROME_WORDS = {"published", "comments", "latest", "trending", "publications"}
CHROME_PHRASES = ("continue reading", "connect with us")


@pytest.mark.parametrize("name", [YAKE_RUST, YAKE])
def test_seed_top10_is_clean_and_on_topic(seed_corpus: Corpus, name: str) -> None:
    extractor = Extractor(ExtractorParams(engine=name))
    rows = list(seed_corpus.articles.iter_rows(named=True))
    assert {row["title"] for row in rows} == set(SEED_EXPECTED)
    for row in rows:
        keywords = extractor.extract(row["title"], row["body"], row["language"])
        keys = [k.key for k in keywords]
        words = len(prepare_text(row["title"], row["body"]).split())
        assert 3 <= len(keys) <= keyword_budget(words, 10), row["title"]
        assert words < SHORT_TEXT_WORDS or len(keys) == 10, row["title"]
        assert len(set(keys)) == len(keys)
        for key in keys:
            assert not set(key.split()) & CHROME_WORDS and key not in CHROME_KEYS, (row["title"], key)
            assert not any(phrase in key for phrase in CHROME_PHRASES), (row["title"], key)
            assert any(ch.isalpha() for ch in key)
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                assert f" {a} " not in f" {b} " and f" {b} " not in f" {a} ", (row["title"], a, b)
        assert SEED_EXPECTED[row["title"]] <= set(keys), (row["title"], keys)


def test_shingles_of_one_phrase_are_not_listed_twice() -> None:
    title = "Conditions worsen for stranded migrants along Belarus-EU border"
    body = (
        "At least eight people have died along the border between Belarus and the European Union, "
        "where multiple groups of asylum-seekers, refugees and migrants have been stranded."
    )
    keys = [k.key.split() for k in Extractor(ExtractorParams(engine=YAKE_RUST)).extract(title, body, "en")]
    assert len(keys) >= 3
    for i, better in enumerate(keys):
        for worse in keys[i + 1:]:
            if len(worse) >= len(better):
                runs_on = any(better[-n:] == worse[:n] or worse[-n:] == better[:n] for n in range(1, len(better)))
                assert not runs_on, (better, worse)
