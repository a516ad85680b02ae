"""The stored first screen (`core.first_screen`): kept beside the corpus snapshot, given back
only while that snapshot is unchanged, and never trusted when it cannot be understood."""

from __future__ import annotations

import json
import os
from pathlib import Path

import polars as pl
import pytest

from core.first_screen import FIRST_SCREEN_ROWS, FirstScreen, first_screen_path, read_first_screen, write_first_screen
from core.ingest import load_corpus
from core.snapshot import snapshot_path


def _corpus(tmp_path: Path, count: int = 3) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    rows = [{"title": f"Story {n}", "body": f"Body of story {n}. " * 5, "section": "World"} for n in range(count)]
    (root / "articles.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    load_corpus([root])  # writes the snapshot
    assert snapshot_path([root]).exists()
    return root


def _screen(root: Path) -> FirstScreen:
    articles = load_corpus([root]).articles
    rows = [tuple(row) for row in articles.select("id", "kind", "title", "section", "words", pl.col("date").cast(pl.String)).iter_rows()]
    first_id = str(rows[0][0])
    return FirstScreen(rows, frozenset({first_id}), frozenset(), len(rows), len(rows), "section:World", "title")


def test_a_stored_first_screen_reads_back_while_its_snapshot_is_unchanged(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    screen = _screen(root)
    assert write_first_screen([root], screen)
    assert first_screen_path([root]).parent == snapshot_path([root]).parent
    assert read_first_screen([root]) == screen


def test_only_the_first_rows_are_stored(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    screen = _screen(root)
    many = FirstScreen(screen.rows * (FIRST_SCREEN_ROWS // 3 + 5), screen.read, screen.bookmarked, 10_000, 10_000, "", "relevance")
    assert write_first_screen([root], many)
    stored = read_first_screen([root])
    assert stored is not None and len(stored.rows) == FIRST_SCREEN_ROWS and stored.shown == 10_000


def test_a_snapshot_written_since_makes_the_first_screen_stale(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    assert write_first_screen([root], _screen(root))
    snapshot = snapshot_path([root])
    stat = snapshot.stat()
    os.utime(snapshot, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert read_first_screen([root]) is None


def test_a_corpus_without_a_snapshot_stores_no_first_screen(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    screen = _screen(root)
    snapshot_path([root]).unlink()
    assert not write_first_screen([root], screen)
    assert not first_screen_path([root]).exists()
    assert read_first_screen([root]) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: "not json {",
        lambda data: json.dumps({**data, "version": 99}),
        lambda data: json.dumps({**data, "rows": [["id", "article", 42, "World", 10, None]]}),  # a title that is not text
        lambda data: json.dumps({**data, "rows": [["id", "article", "Title", "World", "ten", None]]}),  # words not a count
        lambda data: json.dumps({**data, "rows": [["id", "article", "Title", "World", 10, 2021]]}),  # a date that is not text
        lambda data: json.dumps({**data, "rows": [["id", "article", "Title", "World", 10]]}),  # stored before dates were
        lambda data: json.dumps({**data, "rows": [["id", "article"]]}),
        lambda data: json.dumps({**data, "read": "everything"}),
        lambda data: json.dumps({key: value for key, value in data.items() if key != "shown"}),
        lambda data: json.dumps([data]),
        lambda data: json.dumps({**data, "rows": []}),  # a filter that matched nothing: nothing to paint
    ],
)
def test_a_first_screen_that_cannot_be_understood_is_not_used(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    root = _corpus(tmp_path)
    assert write_first_screen([root], _screen(root))
    path = first_screen_path([root])
    path.write_text(damage(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    assert read_first_screen([root]) is None
