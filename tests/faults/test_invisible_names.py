"""A file name's invisible characters are spelled out wherever the path is shown, not only
in skip lines: a right-to-left override made `report\u202etxt.exe` read `reportexe.txt` in
the `path` column of `parse` (JSONL, CSV) and of the audit table, and a zero-width space hid
in them unseen. The real process is run on such files."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

from core.paths import display_path
from tests.core.conftest import REPO
from tests.faults.harness import NEWSDESK, child_env

NAMES = {"report\u202etxt.exe": "report\\u202etxt.exe", "zero\u200bwidth.txt": "zero\\u200bwidth.txt"}


def _parse(args: Sequence[str], cache: Path) -> str:
    done = subprocess.run(
        [*NEWSDESK, "parse", *args], cwd=REPO, env=child_env(cache), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_invisible_characters_in_names_are_spelled_out_in_every_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number, name in enumerate(NAMES):
        (corpus / name).write_text(f"Harbour report {number}\n\nThe ferries ran on time.\n", encoding="utf-8")
    shown = sorted(f"{corpus}/{escaped}" for escaped in NAMES.values())
    records = [json.loads(line) for line in _parse([str(corpus)], tmp_path / "cache").splitlines()]
    assert sorted(record["path"] for record in records) == shown
    csv = _parse(["--format", "csv", str(corpus)], tmp_path / "cache")
    audit = _parse(["--audit", str(corpus)], tmp_path / "cache")
    for output in (csv, audit):
        assert "\u202e" not in output and "\u200b" not in output
        assert all(path in output for path in shown)
    assert display_path(corpus / "plain name.txt") == f"{corpus}/plain name.txt"
