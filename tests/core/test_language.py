"""Language detection on real articles: judged on the body, not a misleading headline, and
by the file's majority when an article's own text is unsure.

The articles (tests/data/language, see its README) are real news text in six languages
with headlines a detector reading the first 80 characters gets wrong: English headlines
in Title Case (read as Dutch or German), English headlines over Russian, German, Spanish
and Portuguese articles, and untitled Spanish and Portuguese articles whose openings read
as the other language.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import language
from core.ingest import load_corpus
from core.language import decide_languages, detect_language

DATA = Path(__file__).resolve().parents[1] / "data" / "language"
ARTICLES = [json.loads(line) for line in (DATA / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
INTERVIEW = [json.loads(line) for line in (DATA / "wikinews-en-2020.jsonl").read_text(encoding="utf-8").splitlines()]


def _write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    lines = [json.dumps({"title": r["title"], "body": r["body"]}, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_fixtures_cover_six_languages() -> None:
    assert {r["language"] for r in ARTICLES} >= {"en", "ru", "fr", "pt", "de", "es"}


@pytest.mark.parametrize("record", ARTICLES, ids=lambda r: f"{r['language']}:{r['title'][:30] or r['body'][:30]}")
def test_each_article_alone_is_detected_right(record: dict[str, str]) -> None:
    assert decide_languages([(record["title"], record["body"])], [None]) == [record["language"]]


def test_each_article_in_its_own_file_is_detected_right_at_ingest(tmp_path: Path) -> None:
    for at, record in enumerate(ARTICLES):
        _write_jsonl(tmp_path / f"{at:02d}-{record['language']}.jsonl", [record])
    articles = load_corpus([tmp_path]).articles
    found = dict(zip(articles["path"].to_list(), articles["language"].to_list(), strict=True))
    assert len(found) == len(ARTICLES)
    wrong = {path: language for path, language in found.items() if not Path(path).stem.endswith(language)}
    assert wrong == {}


def test_title_case_english_headline_over_an_english_body() -> None:
    kipchoge = next(r for r in ARTICLES if r["title"].startswith("Eliud Kipchoge"))
    assert kipchoge["title"] == "Eliud Kipchoge of Kenya Runs Marathon Under Two Hours"
    assert detect_language(kipchoge["body"]) == "en"
    assert decide_languages([(kipchoge["title"], kipchoge["body"])], [None]) == ["en"]


def test_title_case_headlines_alone_read_as_english() -> None:
    # A teaser with no body is judged on its headline, lower-cased when in Title Case.
    headlines = [r["title"] for r in ARTICLES if r["language"] == "en"] + [r["title"] for r in INTERVIEW[:-1]]
    assert len(headlines) == 6
    assert decide_languages([(headline, "") for headline in headlines], [None] * 6) == ["en"] * 6


def test_an_unsure_answer_in_a_file_of_english_answers_takes_the_files_language(tmp_path: Path) -> None:
    # The last answer of the interview is English with its Hindi translation after it:
    # on its own it reads as Hindi; in the file of English answers it is English.
    last = INTERVIEW[-1]
    assert "((hi))" in last["body"]
    assert decide_languages([(last["title"], last["body"])], [None]) != ["en"]
    _write_jsonl(tmp_path / "alone.jsonl", [last])
    assert load_corpus([tmp_path]).articles["language"].to_list() != ["en"]

    (tmp_path / "alone.jsonl").unlink()
    _write_jsonl(tmp_path / "interview.jsonl", INTERVIEW)
    articles = load_corpus([tmp_path]).articles
    assert articles.height == len(INTERVIEW)
    assert articles["language"].to_list() == ["en"] * len(INTERVIEW)


def test_articles_surely_in_another_language_keep_it_in_a_mixed_file(tmp_path: Path) -> None:
    russian = [r for r in ARTICLES if r["language"] == "ru"]
    _write_jsonl(tmp_path / "mixed.jsonl", INTERVIEW[:-1] + russian)
    articles = load_corpus([tmp_path]).articles
    by_title = dict(zip(articles["title"].to_list(), articles["language"].to_list(), strict=True))
    assert [by_title[r["title"]] for r in russian] == ["ru"] * len(russian)
    assert [by_title[r["title"]] for r in INTERVIEW[:-1]] == ["en"] * (len(INTERVIEW) - 1)


def test_no_letters_is_undetermined() -> None:
    assert decide_languages([("", "12 000 — 3:4 (1:2)"), ("2019", "")], [None, None]) == ["und", "und"]


REALTEXT = Path(__file__).resolve().parents[1] / "data" / "realtext"


def _wikinews(language: str) -> list[tuple[str, str]]:
    records = json.loads((REALTEXT / f"wikinews-{language}.json").read_text(encoding="utf-8"))
    return [(r["title"], "\n\n".join(r["paragraphs"])) for r in records]


@pytest.mark.parametrize(("most", "fewer"), [("en", "ru"), ("ru", "en")])
def test_articles_in_another_script_than_their_files_language_are_taken_at_their_word(
    most: str, fewer: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file of Russian and English news: an article in the file's other script is not
    # doubted for disagreeing with its language, and gets no second look.
    articles = _wikinews(most)[:24] + _wikinews(fewer)[:12]
    looked: list[list[str]] = []
    predict = language._predict

    def recording(inputs: list[str], threshold: float = 0.0) -> list[str]:
        looked.append(inputs)
        return predict(inputs, threshold)

    monkeypatch.setattr(language, "_predict", recording)
    found = decide_languages(articles, ["file"] * len(articles))
    assert found == [most] * 24 + [fewer] * 12
    minority_openings = {" ".join(body.split())[:40] for _, body in articles[24:]}
    second_looks = [text for inputs in looked[1:] for text in inputs]
    assert not [text for text in second_looks if text[:40] in minority_openings]


def test_scripts_are_told_apart_only_where_the_text_says_so_clearly() -> None:
    # Every real article's first look reads as its script; a Russian sentence full of
    # brand names is neither, and so is doubted like any other when it disagrees.
    english = [language.language_sample(title, body) for title, body in _wikinews("en")]
    russian = [language.language_sample(title, body) for title, body in _wikinews("ru")]
    assert {language._script(str(sample)) for sample in english} == {True}
    assert {language._script(str(sample)) for sample in russian} == {False}
    assert language._script("Apple iPhone 15 Pro Max и Apple Watch Series 9 показали в Купертино") is None
