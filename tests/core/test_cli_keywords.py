"""`newsdesk keywords | index | kwic`: output shapes, the summary line, warnings, errors."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.conftest import REPO, SEED
from core.commands import main

SUMMARY = re.compile(r"^indexed 11 articles \((\d+) extracted, (\d+) cached\) in \d+\.\ds, \d+ docs/s$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_keywords_corpus_level_jsonl(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "keywords", str(SEED), "--top", "5")
    assert code == 0 and err == ""
    rows = [json.loads(line) for line in out.splitlines()]
    assert [list(r) for r in rows] == [["keyword", "key", "docs", "score"]] * 5
    assert rows[0]["keyword"] == "Russia" and rows[0]["docs"] == 4
    assert [r["docs"] for r in rows] == sorted((r["docs"] for r in rows), reverse=True)


def test_keywords_per_article_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "keywords", str(SEED), "--per-article", "--format", "csv", "--top", "3")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and list(rows[0]) == ["id", "title", "rank", "keyword", "score"]
    assert len(rows) == 11 * 3
    assert rows[0]["title"] == "A Roadmap for Russia–U.S. Relations" and rows[0]["keyword"] == "United States"
    assert [r["rank"] for r in rows[:3]] == ["1", "2", "3"]


@pytest.mark.parametrize("engine", ["yake", "yake-rust"])
def test_keywords_table_with_either_engine(capsys: pytest.CaptureFixture[str], engine: str) -> None:
    code, out, _ = run(capsys, "keywords", str(SEED), "--format", "table", "--engine", engine, "--top", "3")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["keyword", "key", "docs", "score"]
    assert lines[1].split()[:3] == ["Russia", "russia", "4"]
    assert len(lines) == 4


def test_unknown_engine_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["keywords", str(SEED), "--engine", "nope"])
    assert exit_info.value.code == 2


def test_missing_path_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "keywords", str(tmp_path / "nope.txt"))
    assert code == 2 and out == "" and len(err.splitlines()) == 1


def test_index_prints_one_summary_line_then_uses_the_cache(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "index", str(SEED))
    first = SUMMARY.match(err.strip())
    assert code == 0 and out == "" and first and first.groups() == ("11", "0")
    code, _, err = run(capsys, "index", str(SEED))
    second = SUMMARY.match(err.strip())
    assert code == 0 and second and second.groups() == ("0", "11")


def test_unwritable_cache_is_one_warning_not_a_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(blocker / "cache"))
    code, out, err = run(capsys, "keywords", str(SEED), "--top", "2")
    assert code == 0 and len(out.splitlines()) == 2
    # The corpus snapshot (not ours) warns about the same directory on its own line.
    keyword_lines = [line for line in err.splitlines() if "keyword cache" in line]
    assert len(keyword_lines) == 1 and keyword_lines[0].startswith("newsdesk: warning: keyword cache disabled")


def test_kwic_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kwic", str(SEED), "united states", "--width", "20")
    lines = out.splitlines()
    assert code == 0 and len(lines) >= 5 and lines[0].endswith("  89bf1374b21ae955")
    for line in lines:
        assert line[20:].startswith("United States") and line[19] == " "
        assert re.search(r"  [0-9a-f]{16}$", line)


def test_kwic_without_matches_says_so_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "kwic", str(SEED), "zanzibarian") == (1, "", 'newsdesk: no occurrences of "zanzibarian"\n')


def test_index_subprocess_has_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "core.commands", "index", str(SEED)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={"NEWSDESK_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout == ""
    assert "\r" not in result.stderr and SUMMARY.match(result.stderr.strip())
