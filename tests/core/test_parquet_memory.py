"""Parquet files that inflate past what their footer declares: the reading child's memory
limit and the corpus budget charged with what was really read."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from core import isolated
from core.errors import Skipped
from core.ingest import load_corpus


@pytest.fixture
def fresh_reader() -> Iterator[None]:
    """A reading child started under this test's environment, stopped after it."""
    isolated.close_reader()
    yield
    isolated.close_reader()


def _repetitive_parquet(path: Path, rows: int, body_chars: int, prefix: str) -> None:
    """A small file whose bodies are one repeated string: dictionary-encoded and compressed,
    the footer declares a few KiB while the articles hold `rows * body_chars` characters."""
    body = ("The harbour board met again about the night ferries. " * (body_chars // 53 + 1))[:body_chars]
    frame = pl.DataFrame({"title": [f"{prefix} {i}" for i in range(rows)], "body": [body] * rows})
    out = io.BytesIO()
    frame.write_parquet(out, compression="zstd")
    path.write_bytes(out.getvalue())


def test_a_file_past_the_readers_memory_limit_is_one_skipped_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_reader: None
) -> None:
    monkeypatch.setenv(isolated.MEMORY_ENV, "400")
    _repetitive_parquet(tmp_path / "huge.parquet", rows=200_000, body_chars=4_000, prefix="Huge")  # 800 MB of text
    _repetitive_parquet(tmp_path / "small.parquet", rows=50, body_chars=400, prefix="Small")
    (tmp_path / "page.txt").write_text("Harbour notes\n\nThe ferry ran late.\n", encoding="utf-8")
    assert (tmp_path / "huge.parquet").stat().st_size < 2**20

    skipped: list[Skipped] = []
    corpus = load_corpus([tmp_path], on_skip=skipped.append, use_snapshot=False, workers=1)

    assert [s.path for s in skipped] == [str(tmp_path / "huge.parquet")]
    assert "over the reader's memory limit of 400 MiB" in skipped[0].reason
    assert corpus.articles.height == 51
    assert "Harbour notes" in corpus.articles["title"].to_list()


def test_the_budget_is_charged_with_what_a_file_really_inflated_to(tmp_path: Path, fresh_reader: None) -> None:
    _repetitive_parquet(tmp_path / "a.parquet", rows=2_000, body_chars=1_000, prefix="First")  # 2 MB of text
    _repetitive_parquet(tmp_path / "b.parquet", rows=10, body_chars=100, prefix="Second")
    skipped: list[Skipped] = []
    corpus = load_corpus(
        [tmp_path], on_skip=skipped.append, use_snapshot=False, workers=1, max_decompressed=1_000_000
    )
    assert corpus.articles.height == 2_000
    assert [s.path for s in skipped] == [str(tmp_path / "b.parquet")]
    assert "decompression cap" in skipped[0].reason
