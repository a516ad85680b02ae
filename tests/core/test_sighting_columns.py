"""SightingColumns detects languages when its frame is taken: every row, repeats included,
gets the language of its own text, also when builders share their memo of repeats."""

from __future__ import annotations

from core.corpus import ARTICLE, TEASER, RawArticle, RowMemo, SightingColumns
from core.language import detect_languages, language_sample

_TEXTS = {
    "en": ("Harbour strike ends", "The dock workers voted to return to work after the port agreed to their demands."),
    "de": ("Streik im Hafen beendet", "Die Hafenarbeiter stimmten dafür, die Arbeit wieder aufzunehmen, nachdem der Hafen ihren Forderungen zugestimmt hatte."),
    "fr": ("Fin de la grève au port", "Les dockers ont voté la reprise du travail après que le port a accepté leurs revendications."),
    "ru": ("Забастовка в порту закончилась", "Портовые рабочие проголосовали за возвращение к работе после того, как порт согласился с их требованиями."),
}


def _article(language: str, path: str, kind: str = ARTICLE) -> RawArticle:
    title, body = _TEXTS[language]
    return RawArticle(title=title, body=body, path=path, kind=kind)


def _own_language(row: dict[str, object]) -> str:
    return detect_languages([language_sample(str(row["title"]), str(row["body"]))])[0]


def test_each_row_has_the_language_of_its_own_text_across_files_and_repeats() -> None:
    columns = SightingColumns()
    files = [
        [_article("en", "a.txt"), _article("de", "a.txt"), _article("ru", "a.txt", TEASER)],
        [_article("fr", "b.txt"), _article("ru", "b.txt", TEASER)],  # the teaser repeats
        [_article("de", "c.txt"), _article("en", "c.txt")],
    ]
    for articles in files:
        columns.add(articles)
    frame = columns.take_frame()

    assert frame.get_column("language").to_list() == ["en", "de", "ru", "fr", "ru", "de", "en"]
    assert all(row["language"] == _own_language(row) for row in frame.iter_rows(named=True))
    assert frame.get_column("path").to_list() == ["a.txt"] * 3 + ["b.txt"] * 2 + ["c.txt"] * 2


def test_a_repeat_of_a_row_another_builder_has_not_taken_yet_gets_its_language() -> None:
    memo: RowMemo = {}
    first, second = SightingColumns(memo), SightingColumns(memo)
    first.add([_article("de", "a.txt", TEASER)])
    second.add([_article("de", "b.txt", TEASER), _article("fr", "b.txt")])

    repeated = second.take_frame()
    original = first.take_frame()

    assert repeated.select("path", "language").rows() == [("b.txt", "de"), ("b.txt", "fr")]
    assert original.select("path", "language").rows() == [("a.txt", "de")]


def test_a_taken_frame_starts_the_builder_over() -> None:
    columns = SightingColumns()
    columns.add([_article("en", "a.txt")])
    assert columns.take_frame().height == 1
    columns.add([_article("ru", "b.txt")])
    again = columns.take_frame()
    assert again.select("path", "language").rows() == [("b.txt", "ru")]
    assert columns.take_frame().is_empty()
