"""`newsdesk parse` in a real subprocess (`python -m core.commands`, the headless commands alone): its stdout, stderr and exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]


def run_newsdesk(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.commands", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_parse_seeds_jsonl_gives_four_articles_and_seven_teasers() -> None:
    result = run_newsdesk("parse", "seeds", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["kind"] for row in rows] == ["article"] * 4 + ["teaser"] * 7
    assert set(rows[0]) == {
        "id", "kind", "section", "title", "body", "source", "author_bio", "caption",
        "subheadings", "age", "date", "url", "language", "words", "path", "copies",
    }
    assert result.stderr == ""


def test_parse_to_parquet_and_csv_files(tmp_path: Path) -> None:
    for fmt in ("parquet", "csv"):
        target = tmp_path / f"out.{fmt}"
        result = run_newsdesk("parse", "seeds", "--format", fmt, "-o", str(target))
        assert result.returncode == 0, result.stderr
        frame = pl.read_parquet(target) if fmt == "parquet" else pl.read_csv(target)
        assert frame.height == 11
        assert frame["title"][0] == "A Roadmap for Russia–U.S. Relations"


def test_skipped_files_are_one_line_each_and_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Fine title\n\nFine body text.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)) * 4)
    result = run_newsdesk("parse", str(tmp_path))
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"skipped {tmp_path / 'blob.bin'}: binary file (not text in any known encoding)",
        f"skipped {tmp_path / 'empty.txt'}: empty file",
    ]
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Fine title"]


def test_missing_path_is_one_line_and_exit_two(tmp_path: Path) -> None:
    result = run_newsdesk("parse", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr == f"newsdesk: no such file or directory: {tmp_path / 'nowhere'}\n"
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_one_line(tmp_path: Path) -> None:
    result = run_newsdesk("parse", "seeds", "-o", str(tmp_path / "no" / "such" / "dir" / "x.jsonl"))
    assert result.returncode == 2
    assert result.stderr.startswith("newsdesk: cannot write ")
    assert len(result.stderr.splitlines()) == 1


def test_version_and_help_work_without_a_corpus() -> None:
    version = run_newsdesk("--version")
    assert version.returncode == 0 and version.stdout.startswith("newsdesk ")
    helptext = run_newsdesk("--help")
    assert helptext.returncode == 0 and "parse" in helptext.stdout
