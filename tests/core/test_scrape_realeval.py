"""The parser on failure classes found by reading many real news articles (bench/realtext.py).

Always run, on CC BY Wikinews text (tests/data/realtext/wikinews-ru.json): a photo caption
right after `on` that is long next to a one-sentence lead, one that opens with a quote, one of
more words than a heading has, and a
lead whose opening names someone with a remark in brackets and a dash
(`Челси Мэннинг (ранее Брэдли Мэннинг) —`), which is no wire dateline.

When the outside corpora are on this machine (the 500N-KPCrowd English stories under
/work/shared/data, the NEREL mirror of Russian Wikinews), the whole bench runs on them and
must meet the evaluation's bars; otherwise that test is skipped with the reason.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench import realtext
from core.corpus import ARTICLE, RawArticle
from core.ingest import load_corpus, read_articles
from tests.data.realtext import render

EDGE_WORDS = 6


def _article(article_id: str) -> dict:
    return next(a for a in render.load_articles("ru") if a["id"] == article_id)


def _page(tmp_path: Path, article: dict, caption: bool) -> RawArticle:
    lines = ["Общество", article["title"], "Published", "on"]
    lines += [article["image_caption"]] if caption else []
    lines += [*article["paragraphs"], "Continue Reading", "Latest", "Мир3 hours ago", "Другая новость", "Текст..."]
    (tmp_path / "page.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    records = [r for r in read_articles([tmp_path], on_skip=pytest.fail) if r.kind == ARTICLE]
    assert [r.title for r in records] == [article["title"]]
    return records[0]


@pytest.mark.parametrize(
    "article_id",
    [
        "220995_text",  # a caption longer than half the one-sentence lead after it
        "133570_text",  # a caption opening with a quote: «Дом с приведениями» в Сазерленд-Спрингс
        "118140_text",  # the lead opens "Челси Мэннинг (ранее Брэдли Мэннинг) — ..."
        "39221_text",  # a caption of fifteen words: who, at what, where, when
    ],
)
def test_a_caption_after_on_is_the_caption_and_the_body_starts_with_the_lead(tmp_path: Path, article_id: str) -> None:
    article = _article(article_id)
    got = _page(tmp_path, article, caption=True)
    assert got.caption == article["image_caption"]
    want = " ".join(article["paragraphs"]).split()
    assert got.body.split()[:EDGE_WORDS] == want[:EDGE_WORDS]
    assert got.body.split() == want


@pytest.mark.parametrize("article_id", ["220995_text", "133570_text", "118140_text", "39221_text"])
def test_without_a_caption_the_lead_stays_body(tmp_path: Path, article_id: str) -> None:
    article = _article(article_id)
    got = _page(tmp_path, article, caption=False)
    assert got.caption is None
    assert got.body.split() == " ".join(article["paragraphs"]).split()


def test_the_outside_corpora_meet_the_evaluation_bars() -> None:
    if not realtext.KPCROWD.exists() or not realtext.NEREL.exists():
        pytest.skip(f"needs {realtext.KPCROWD} and {realtext.NEREL} (not openly licensed / not mirrored here)")
    result = realtext.run(en=10_000, ru=400, seed=7)
    for language, first_bar in (("en", 0.98), ("ru", 0.97)):
        total, found, first, lost, right = result.stats[f"page-{language}"]
        assert total >= 300
        assert found == total, result.failures
        assert first >= first_bar * total, result.failures
        assert lost == 0, result.failures
        plain_total, plain_found, _, plain_lost, plain_right = result.stats[f"plain-{language}"]
        assert plain_found == plain_total and plain_lost == 0, result.failures
        # One "English" story of the English set is written in Indonesian: the bar allows it.
        assert right + plain_right >= 0.995 * (total + plain_total), result.failures


def _article_en(article_id: str) -> dict:
    return next(a for a in render.load_articles("en") if a["id"] == article_id)


def test_a_plain_text_with_an_age_line_and_a_cut_off_last_line_stays_one_article(tmp_path: Path) -> None:
    """An age-looking line over a question, and a last line ending in an ellipsis, are no
    sidebar teaser: the text is one plain article, every word kept."""
    article = _article_en("GUM_interview_ants")
    paragraphs = list(article["paragraphs"])
    question = next(j for j, p in enumerate(paragraphs) if j > 0 and p.endswith("?"))
    paragraphs.insert(question, "Updated 3 hours ago")
    paragraphs.append("Continue reading …")
    (tmp_path / "interview.txt").write_text("\n\n".join([article["title"], *paragraphs]) + "\n", encoding="utf-8")
    records = list(read_articles([tmp_path], on_skip=pytest.fail))
    assert [(r.kind, r.title) for r in records] == [(ARTICLE, article["title"])]
    assert records[0].body.split() == " ".join(paragraphs).split()


@pytest.mark.parametrize("word", ["Trending", "Comments"])
def test_a_lone_template_word_inside_the_last_article_is_text(tmp_path: Path, word: str) -> None:
    """The last article of a page without `Continue Reading` and without a sidebar keeps a
    lone `Trending` or `Comments` line inside its body, and everything after it."""
    first, last = _article("220995_text"), _article("133570_text")
    paragraphs = list(last["paragraphs"])
    paragraphs.insert(2, word)
    lines = ["Общество", first["title"], "Published", "on", *first["paragraphs"], "Continue Reading"]
    lines += ["Мир", last["title"], "Published", "on", *paragraphs, "Comments", "Trending"]
    (tmp_path / "page.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    records = [r for r in read_articles([tmp_path], on_skip=pytest.fail) if r.kind == ARTICLE]
    assert [r.title for r in records] == [first["title"], last["title"]]
    assert records[1].body.split() == " ".join(paragraphs).split()


def test_a_paragraph_opening_with_source_near_the_end_stays_body(tmp_path: Path) -> None:
    """A paragraph of the article that opens "Source:" (a table's credit running into its
    text) is no source line: the template's source line names a partner, in one short line."""
    article = _article_en("GUM_interview_ants")
    paragraphs = list(article["paragraphs"])
    long_one = next(j for j in range(len(paragraphs) - 1, 0, -1) if len(paragraphs[j]) > 200)
    paragraphs = paragraphs[: long_one + 1]
    paragraphs[long_one] = "Source: " + paragraphs[long_one]
    lines = ["World", article["title"], "Published", "on", *paragraphs, "Continue Reading", "Comments"]
    (tmp_path / "page.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    records = [r for r in read_articles([tmp_path], on_skip=pytest.fail) if r.kind == ARTICLE]
    assert [r.title for r in records] == [article["title"]]
    assert records[0].source is None
    assert records[0].body.split() == " ".join(paragraphs).split()


@pytest.mark.parametrize("lead", ["headline", "attribution"])
def test_a_caption_before_a_lead_line_is_still_the_caption(tmp_path: Path, lead: str) -> None:
    """A caption right after `on`, then the headline said again or an attribution line, then
    the paragraphs: the caption is read as one and the lead line opens the body."""
    article = _article("220995_text")
    line = article["title"] if lead == "headline" else "Материал впервые опубликован на сайте партнёра"
    paragraphs = [line, *article["paragraphs"]]
    lines = ["Общество", article["title"], "Published", "on", article["image_caption"], *paragraphs]
    lines += ["Continue Reading", "Comments", "Trending"]
    (tmp_path / "page.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    records = [r for r in read_articles([tmp_path], on_skip=pytest.fail) if r.kind == ARTICLE]
    assert records[0].caption == article["image_caption"]
    assert records[0].body.split() == " ".join(paragraphs).split()


def test_a_two_word_headline_said_again_first_is_body_not_a_caption(tmp_path: Path) -> None:
    article = _article("3377_text")  # "Нелёгкое возвращение"
    assert len(article["title"].split()) == 2
    paragraphs = [article["title"], *article["paragraphs"]]
    lines = ["Наука", article["title"], "Published", "on", *paragraphs, "Continue Reading"]
    (tmp_path / "page.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    records = [r for r in read_articles([tmp_path], on_skip=pytest.fail) if r.kind == ARTICLE]
    assert records[0].caption is None
    assert records[0].body.split() == " ".join(paragraphs).split()


def _kpcrowd_story(title_start: str) -> dict:
    import json

    if not realtext.KPCROWD.exists():
        pytest.skip(f"needs {realtext.KPCROWD} (the 500N-KPCrowd stories are not openly licensed, so not kept here)")
    for line in realtext.KPCROWD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["title"].startswith(title_start) and row["body"].strip():
            return row
    pytest.fail(f"no story titled {title_start!r} in {realtext.KPCROWD}")


def test_a_body_opening_with_its_title_case_headline_is_read_in_its_own_language(tmp_path: Path) -> None:
    """The headline said again as the body's first line, in Title Case, read as German
    before the body's English (the first look reads only the body's opening)."""
    story = _kpcrowd_story("Apr. 1, 2011 - Now In Theaters")
    title = " ".join(story["title"].split())
    lines = ["Entertainment", title, "Published", "on", title, *realtext._paragraphs_of(story["body"], random.Random(0))]
    (tmp_path / "page.txt").write_text("\n\n".join([*lines, "Continue Reading"]) + "\n", encoding="utf-8")
    corpus = load_corpus([tmp_path], use_snapshot=False, workers=1)
    assert corpus.articles["title"].to_list() == [title]
    assert corpus.articles["language"].to_list() == ["en"]
