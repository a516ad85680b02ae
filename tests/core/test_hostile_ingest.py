"""Ingest of the hostile corpus: nothing raises, nothing unsafe survives, nothing is lost."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from core.ingest import Skipped, load_corpus
from tests.data.hostile import write_hostile_corpus

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, list[Skipped], list]:
    root = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_corpus(root)
    skipped: list[Skipped] = []
    corpus = load_corpus([root], on_skip=skipped.append, use_snapshot=False)
    return corpus.articles, skipped, expected


def test_every_hostile_article_survives_with_its_title(hostile) -> None:  # type: ignore[no-untyped-def]
    articles, _, expected = hostile
    titles = set(articles["title"].to_list())
    for item in expected:
        assert item.expected_title in titles, item.file


def test_no_string_field_holds_a_control_character_or_escape(hostile) -> None:  # type: ignore[no-untyped-def]
    articles, _, _ = hostile
    for row in articles.iter_rows(named=True):
        for name, value in row.items():
            values = value if isinstance(value, list) else [value]
            for text in values:
                if isinstance(text, str):
                    assert UNSAFE.search(text) is None, (name, row["title"])


def test_unusable_files_are_skipped_with_reasons(hostile) -> None:  # type: ignore[no-untyped-def]
    _, skipped, _ = hostile
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["sparse-gigabyte.txt"].startswith("too large")
    assert reasons["binary.dat"].startswith("binary file")
    assert reasons["dangling.txt"] == "No such file or directory"
    assert reasons["markers.txt"] == "no articles found"


def test_a_file_vanishing_during_the_walk_is_skipped(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"{name}\n\nBody of {name}.\n", encoding="utf-8")
    skipped: list[Skipped] = []

    def vanish(report) -> None:  # type: ignore[no-untyped-def]
        (tmp_path / "b.txt").unlink(missing_ok=True)

    corpus = load_corpus([tmp_path], on_skip=skipped.append, progress=vanish, use_snapshot=False)
    assert corpus.articles["title"].to_list() == ["a.txt"]
    assert skipped == [Skipped(str(tmp_path / "b.txt"), "No such file or directory")]
