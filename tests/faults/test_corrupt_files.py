"""Corrupt corpus snapshots and keyword cache segments, through the real command line.

Each file is damaged four ways: truncated mid-file, overwritten with garbage, replaced by a
foreign Parquet file with other columns, emptied to zero bytes. The next command must work,
say in one warning line which file it ignored, recompute only what that file held (the
summary counts what was recovered from the rest of the cache), and the run after that must be
quiet and fully cached again.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from tests.core.conftest import SEED
from tests.faults.harness import cache_contents, summary_of, warning_lines, write_jsonl_corpus
from tui.cli import main

KINDS = ["truncated", "garbage", "foreign-parquet", "zero-bytes"]
SEED_ROWS = 11  # the seed page: 4 articles and 7 teasers
EXTRA_ROWS = 10


def _damage(path: Path, kind: str) -> None:
    data = path.read_bytes()
    if kind == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif kind == "garbage":
        path.write_bytes(b"\x00\xff not parquet \x9b\x1b]52;c;eA==\x07" * 64)
    elif kind == "foreign-parquet":
        pl.DataFrame({"id": ["x"], "title": ["not ours"], "n": [1]}).write_parquet(path)
    elif kind == "zero-bytes":
        path.write_bytes(b"")
    else:
        raise ValueError(kind)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(the seed page, a folder of 10 more articles, the cache dir the commands use)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
    return SEED, write_jsonl_corpus(tmp_path / "more", EXTRA_ROWS, seed=41), cache


@pytest.mark.parametrize("kind", KINDS)
def test_corrupt_keyword_segment_is_one_warning_and_only_its_articles_are_recomputed(
    capsys: pytest.CaptureFixture[str], corpus: tuple[Path, Path, Path], kind: str
) -> None:
    seed, more, cache = corpus
    assert summary_of(_cli(capsys, "index", str(seed))[2]) == (SEED_ROWS, SEED_ROWS, 0)
    first = set(cache.glob("keywords/*/seg-*.parquet"))
    total = SEED_ROWS + EXTRA_ROWS
    assert summary_of(_cli(capsys, "index", str(seed), str(more))[2]) == (total, EXTRA_ROWS, SEED_ROWS)
    complete, _ = cache_contents(cache)
    (second,) = set(cache.glob("keywords/*/seg-*.parquet")) - first
    _damage(second, kind)

    code, out, err = _cli(capsys, "index", str(seed), str(more))
    assert code == 0 and out == ""
    warnings = warning_lines(err)
    assert len(warnings) == 1, err
    assert "ignored 1 unreadable keyword cache file(s)" in warnings[0] and second.name in warnings[0]
    assert str(second.parent) in warnings[0] and warnings[0].endswith("recomputing")
    assert summary_of(err) == (total, EXTRA_ROWS, SEED_ROWS)  # the seed's keywords were recovered

    code, _, err = _cli(capsys, "index", str(seed), str(more))
    assert code == 0 and warning_lines(err) == [] and summary_of(err) == (total, 0, total)
    assert cache_contents(cache)[0] == complete


@pytest.mark.parametrize("kind", KINDS)
def test_corrupt_corpus_snapshot_is_one_warning_and_parsed_again(
    capsys: pytest.CaptureFixture[str], corpus: tuple[Path, Path, Path], kind: str
) -> None:
    seed, more, cache = corpus
    code, before, err = _cli(capsys, "parse", str(seed), str(more))
    assert code == 0 and err == ""
    (snapshot,) = [p for p in cache.glob("snapshots/*.parquet") if not p.name.endswith(".sightings.parquet")]
    _damage(snapshot, kind)

    code, out, err = _cli(capsys, "parse", str(seed), str(more))
    assert code == 0 and out == before
    warnings = warning_lines(err)
    assert len(warnings) == 1 and err.strip() == warnings[0], err
    assert f"ignored unreadable corpus snapshot {snapshot}" in warnings[0] and "parsing again" in warnings[0]
    assert [json.loads(line)["title"] for line in out.splitlines()][:1] == [json.loads(before.splitlines()[0])["title"]]

    code, out, err = _cli(capsys, "parse", str(seed), str(more))
    assert code == 0 and err == "" and out == before  # the snapshot was written anew and reads


def test_both_damaged_at_once_then_index_recovers_everything_else(
    capsys: pytest.CaptureFixture[str], corpus: tuple[Path, Path, Path]
) -> None:
    seed, more, cache = corpus
    total = SEED_ROWS + EXTRA_ROWS
    _cli(capsys, "index", str(seed), str(more))
    (snapshot,) = [p for p in cache.glob("snapshots/*.parquet") if not p.name.endswith(".sightings.parquet")]
    (segment,) = cache.glob("keywords/*/seg-*.parquet")
    _damage(snapshot, "truncated")
    _damage(segment, "zero-bytes")
    code, _, err = _cli(capsys, "index", str(seed), str(more))
    assert code == 0 and summary_of(err) == (total, total, 0)
    warnings = warning_lines(err)
    assert len(warnings) == 2 and "corpus snapshot" in warnings[0] and "keyword cache" in warnings[1], err
