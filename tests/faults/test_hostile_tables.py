"""Hostile table content through the real command line: each bad file is one `skipped` line,
every other file is read, the command exits 0 with no traceback, and no reason carries an
escape from the file's own column names or keys."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
OSC52 = "\x1b]52;c;UFdORUQ=\x1b\\"
DIGITS = "7" * 5000
BODY = "Ministers met in Vienna on Tuesday to discuss the grain corridor and the price of fertiliser."


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    root = tmp_path_factory.mktemp("tables")
    # A .json array nested 100,000 deep: Python's parser recurses once a level.
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    # JSONL: one line nested past the parser's depth among good lines (the good ones are read).
    (root / "deep-line.jsonl").write_text(
        json.dumps({"title": "Before the deep line", "body": BODY}) + "\n"
        + '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        + json.dumps({"title": "After the deep line", "body": BODY}) + "\n",
        encoding="utf-8",
    )
    # A number longer than Python's int-from-text limit (4,300 digits): kept as its digits.
    (root / "big-number.jsonl").write_text(
        '{"title": "A number of 5,000 digits", "body": "' + BODY + '", "url": ' + DIGITS + "}\n", encoding="utf-8"
    )
    # Parquet: a title column of lists of strings is read (joined); of lists of integers, refused.
    pl.DataFrame({"title": [["Grain talks", "resume in Vienna"]], "body": [BODY]}).write_parquet(root / "list-title.parquet")
    pl.DataFrame({"title": [[1, 2]], "body": [BODY]}).write_parquet(root / "list-int-title.parquet")
    # Column names and keys are data: an OSC 52 clipboard write and a screen clear in them.
    (root / "osc-key.jsonl").write_text(json.dumps({OSC52: "x", "other\x1b[2J": "y"}) + "\n", encoding="utf-8")
    pl.DataFrame({"body" + OSC52: [BODY], "title": [{"a": 1}]}).write_parquet(root / "struct-title.parquet")
    (root / "good.jsonl").write_text(json.dumps({"title": "A good row", "body": BODY}) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "parse", str(root), "--format", "jsonl"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    return done, root


def _skips(done: subprocess.CompletedProcess[str], root: Path) -> dict[str, str]:
    skips = {}
    for line in done.stderr.splitlines():
        assert line.startswith("skipped "), line
        path, _, reason = line[len("skipped "):].partition(": ")
        skips[Path(path).name] = reason
    return skips


def test_the_command_succeeds_without_a_traceback(run) -> None:  # type: ignore[no-untyped-def]
    done, _ = run
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr


def test_each_bad_file_is_one_reason_and_no_reason_carries_an_escape(run) -> None:  # type: ignore[no-untyped-def]
    done, root = run
    assert UNSAFE.search(done.stderr) is None, repr(done.stderr)
    assert _skips(done, root) == {
        "deep.json": "invalid JSON (nested too deeply)",
        "list-int-title.parquet": "column title holds List(Int64), not text",
        "osc-key.jsonl": "no title or body column (columns: , other)",
        "struct-title.parquet": "column title holds Struct({'a': Int64}), not text",
    }


def test_every_other_row_is_read(run) -> None:  # type: ignore[no-untyped-def]
    done, _ = run
    rows = {Path(row["path"]).name + ": " + row["title"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert set(rows) == {
        "deep-line.jsonl: Before the deep line",
        "deep-line.jsonl: After the deep line",
        "big-number.jsonl: A number of 5,000 digits",
        "list-title.parquet: Grain talks resume in Vienna",
        "good.jsonl: A good row",
    }
    assert rows["big-number.jsonl: A number of 5,000 digits"]["url"] == DIGITS
