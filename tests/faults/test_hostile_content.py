"""Content crafted to break a reader, through the real `newsdesk parse` process: nesting past
Python's JSON depth, a number too long to convert, lone surrogates (escaped in JSON, or
encoded in the bytes, as CESU-8 writers do), a CSV whose lines end in CR alone, and a FIFO
in the folder under `--audit`. Each file is parsed or is one `skipped PATH: reason` line;
the other files are parsed, the exit code is 0, and no traceback is printed."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

from core.errors import MAX_REASON_CHARS
from tests.core.conftest import REPO
from tests.faults.harness import NEWSDESK, child_env

GOOD_TITLE = "Lighthouse keepers return to the north cape"


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(f"{GOOD_TITLE}\n\nThe keepers came back on Monday after the storm.\n", encoding="utf-8")
    return corpus


def _run(args: Sequence[str], cache: Path, timeout: float = 120) -> tuple[int, str, str]:
    done = subprocess.run(
        [*NEWSDESK, "parse", *args],
        cwd=REPO,
        env=child_env(cache),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8", "replace")


def _titles(stdout: str) -> list[str]:
    return [json.loads(line)["title"] for line in stdout.splitlines() if line.strip()]


def _skips(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


def _assert_clean(code: int, stderr: str) -> None:
    assert code == 0, stderr[-2000:]
    assert "Traceback" not in stderr and "panicked" not in stderr, stderr[-2000:]


def test_nesting_and_huge_numbers_skip_their_file_only(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (corpus / "deep.jsonl").write_text('{"title": "Deep", "body": ' + "[" * 100_000 + "]" * 100_000 + "}\n", encoding="utf-8")
    (corpus / "number.jsonl").write_text('{"title": "Number", "body": ' + "9" * 100_000 + "}\n", encoding="utf-8")
    for args in ([str(corpus)], ["--audit", str(corpus)]):
        code, stdout, stderr = _run(args, tmp_path / "cache")
        _assert_clean(code, stderr)
        skips = _skips(stderr)
        # Deep nesting skips its file; a number too long for Python's int is read as its digits.
        assert skips[:2] == [
            f"skipped {corpus / 'deep.json'}: invalid JSON (nested too deeply)",
            f"skipped {corpus / 'deep.jsonl'}: invalid JSON (nested too deeply)",
        ], args
        assert len(skips) == 2, args
        if "--audit" not in args:
            assert sorted(_titles(stdout)) == sorted([GOOD_TITLE, "Number"])


def test_lone_surrogates_are_read_as_replacement_characters(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    # U+D800 encoded as UTF-8 would be (ED A0 80): what CESU-8 and broken encoders write.
    (corpus / "encoded.csv").write_bytes(b"title,body\nCouncil vote \xed\xa0\x80 delayed,The vote \xed\xb0\x80 waits.\n")
    (corpus / "escaped.jsonl").write_text(
        '{"title": "Harbour \\ud800 report", "body": "Ferries \\udfff resume.", "\\ud800": "x"}\n', encoding="utf-8"
    )
    (corpus / "escaped.json").write_text('[{"title": "Port \\udc00 news", "body": "Boats leave."}]', encoding="utf-8")
    code, stdout, stderr = _run([str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert _skips(stderr) == []
    assert sorted(_titles(stdout)) == sorted(
        ["Council vote \ufffd delayed", "Harbour \ufffd report", "Port \ufffd news", GOOD_TITLE]
    )


def test_a_csv_with_cr_line_ends_keeps_every_row(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    rows = [f"Ferry timetable {n} approved,The board agreed crossing {n}." for n in range(50)]
    (corpus / "mac.csv").write_bytes(("title,body\r" + "\r".join(rows) + "\r").encode())
    code, stdout, stderr = _run([str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert _skips(stderr) == []
    assert len(_titles(stdout)) == 51

    code, stdout, stderr = _run(["--audit", "--format", "jsonl", str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    audited = [json.loads(line) for line in stdout.splitlines()]
    mac = [row for row in audited if row["path"].endswith("mac.csv")]
    assert {row["reason"] for row in mac} == {"in a record"}, mac


def test_the_audit_passes_over_a_fifo_instead_of_waiting_on_it(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    os.mkfifo(corpus / "pipe.txt")
    code, stdout, stderr = _run(["--audit", "--format", "jsonl", str(corpus)], tmp_path / "cache", timeout=60)
    _assert_clean(code, stderr)
    assert _skips(stderr) == [f"skipped {corpus / 'pipe.txt'}: not a regular file (a pipe, device or socket)"]
    reasons = {(Path(row["path"]).name, row["reason"]) for row in map(json.loads, stdout.splitlines())}
    assert {("page.txt", "in a record"), ("pipe.txt", "file skipped: not a regular file (a pipe, device or socket)")} <= reasons


def test_a_reason_quoting_the_file_is_one_short_line(tmp_path: Path) -> None:
    """The CSV reader's error quotes the record it stopped at: here 10 MB of one field."""
    corpus = _corpus(tmp_path)
    (corpus / "open-quote.csv").write_text('title,body\n"Unterminated,' + "x" * 10_000_000 + "\n", encoding="utf-8")
    for args in ([str(corpus)], ["--audit", str(corpus)]):
        code, stdout, stderr = _run(args, tmp_path / "cache")
        _assert_clean(code, stderr)
        [skip] = _skips(stderr)
        prefix = f"skipped {corpus / 'open-quote.csv'}: "
        assert skip.startswith(prefix + "not a readable CSV file (could not parse"), args
        reason = skip.removeprefix(prefix)  # the path's length is the temporary folder's
        assert len(reason) <= MAX_REASON_CHARS and reason.endswith("…"), len(reason)
        assert len(stdout) < 10_000, args


def test_a_page_in_folders_nested_1500_deep_is_read(tmp_path: Path) -> None:
    """The walk recursed once per folder: past Python's recursion limit it stopped without
    a word, and the deep page was lost."""
    corpus = _corpus(tmp_path)
    deep = corpus
    for _ in range(1500):  # 3,000 characters of path: within PATH_MAX
        deep = deep / "a"
        deep.mkdir()
    (deep / "deep.txt").write_text("Ferry found at the bottom of the folders\n\nIt had sailed down.\n", encoding="utf-8")
    try:
        started = time.monotonic()
        code, stdout, stderr = _run([str(corpus)], tmp_path / "cache")
        elapsed = time.monotonic() - started
    finally:  # from the bottom up: pytest's own clean-up recurses, and would fail on it
        (deep / "deep.txt").unlink()
        while deep != corpus:
            deep.rmdir()
            deep = deep.parent
    _assert_clean(code, stderr)
    assert _skips(stderr) == []
    assert _titles(stdout) == ["Ferry found at the bottom of the folders", GOOD_TITLE]
    assert elapsed < 20, f"{elapsed:.0f} s"  # each folder was resolved from the root: 35 s here
