"""BodyStore: bodies read by row from a real snapshot-style Parquet file on disk."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from core.bodies import ROWS_PER_GROUP, BodyStore


def _articles(count: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [f"{n:016x}" for n in range(count)],
            "title": [f"Title {n}" for n in range(count)],
            "body": [f"Body Number {n} ÄÖ" for n in range(count)],
        }
    )


def _write(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_parquet(path, row_group_size=ROWS_PER_GROUP)
    return path


def test_reads_one_body_by_position(tmp_path: Path) -> None:
    frame = _articles(10)
    store = BodyStore.open(_write(frame, tmp_path / "a.parquet"), frame["id"])
    assert store is not None
    assert store.body(0) == "Body Number 0 ÄÖ"
    assert store.body(7) == "Body Number 7 ÄÖ"


def test_many_bodies_across_row_groups_in_the_order_asked(tmp_path: Path) -> None:
    frame = _articles(ROWS_PER_GROUP * 2 + 5)
    store = BodyStore.open(_write(frame, tmp_path / "a.parquet"), frame["id"])
    assert store is not None
    wanted = [ROWS_PER_GROUP * 2 + 4, 3, ROWS_PER_GROUP, 3, ROWS_PER_GROUP - 1]
    assert store.bodies(wanted).to_list() == [f"Body Number {n} ÄÖ" for n in wanted]


def test_lowered_is_every_body_lower_cased_in_order(tmp_path: Path) -> None:
    frame = _articles(ROWS_PER_GROUP + 3)
    store = BodyStore.open(_write(frame, tmp_path / "a.parquet"), frame["id"])
    assert store is not None
    assert store.lowered().to_list() == frame["body"].str.to_lowercase().to_list()


def test_refuses_a_file_whose_articles_differ(tmp_path: Path) -> None:
    frame = _articles(5)
    path = _write(frame, tmp_path / "a.parquet")
    assert BodyStore.open(path, frame["id"].reverse()) is None
    assert BodyStore.open(path, frame["id"].head(4)) is None
    assert BodyStore.open(tmp_path / "missing.parquet", frame["id"]) is None
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    assert BodyStore.open(tmp_path / "junk.parquet", frame["id"]) is None


def test_a_replaced_file_is_searched_by_id_and_a_lost_article_is_none(tmp_path: Path) -> None:
    frame = _articles(6)
    path = _write(frame, tmp_path / "a.parquet")
    store = BodyStore.open(path, frame["id"])
    assert store is not None
    # Another process re-parsed the folder: rows moved, article 2 is gone.
    _write(frame.reverse().filter(pl.col("id") != frame["id"][2]), path)
    assert store.body(1) == "Body Number 1 ÄÖ"
    assert store.body(2) is None
    assert store.bodies([4, 2, 0]).to_list() == ["Body Number 4 ÄÖ", None, "Body Number 0 ÄÖ"]
    with pytest.raises(ValueError):
        store.lowered()


def test_a_deleted_file_gives_none_not_an_error(tmp_path: Path) -> None:
    frame = _articles(3)
    path = _write(frame, tmp_path / "a.parquet")
    store = BodyStore.open(path, frame["id"])
    assert store is not None
    path.unlink()
    assert store.body(1) is None
    assert store.bodies([0, 2]).to_list() == [None, None]


def test_recent_bodies_are_answered_without_reading(tmp_path: Path) -> None:
    frame = _articles(3)
    path = _write(frame, tmp_path / "a.parquet")
    store = BodyStore.open(path, frame["id"])
    assert store is not None
    assert store.body(1) == "Body Number 1 ÄÖ"
    path.unlink()
    assert store.body(1) == "Body Number 1 ÄÖ"


def test_the_rest_of_a_row_group_is_answered_without_reading(tmp_path: Path) -> None:
    frame = _articles(5)
    path = _write(frame, tmp_path / "a.parquet")
    store = BodyStore.open(path, frame["id"])
    assert store is not None
    assert store.body(0) == "Body Number 0 ÄÖ"
    path.unlink()
    assert store.body(3) == "Body Number 3 ÄÖ"  # the reader moving down the list
