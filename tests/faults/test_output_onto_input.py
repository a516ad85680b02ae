"""`parse -o` never replaces a file it reads: `parse page.txt -o page.txt` turned the
article into its own JSON record, and `parse DIR -o DIR/page.txt` did the same to a page
of the corpus. The real process refuses with one line (exit 2) and the file is untouched;
a new file, or a hidden one the walk passes over, is still written."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.core.conftest import REPO
from tests.faults.harness import NEWSDESK, child_env

PAGE = "Lighthouse keepers return to the north cape\n\nThe keepers came back on Monday after the storm.\n"


def _parse(args: Sequence[str], cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*NEWSDESK, "parse", *args], cwd=REPO, env=child_env(cache), stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize("how", ["named", "in-folder", "audit", "through-link"])
def test_an_input_file_is_never_the_output(tmp_path: Path, how: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    page = corpus / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    target = page
    if how == "through-link":
        target = tmp_path / "out.jsonl"
        target.symlink_to(page)
    args = {
        "named": [str(page), "-o", str(page)],
        "in-folder": [str(corpus), "-o", str(page)],
        "audit": ["--audit", str(corpus), "-o", str(page)],
        "through-link": [str(corpus), "-o", str(target)],
    }[how]
    done = _parse(args, tmp_path / "cache")
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"newsdesk: will not write {target}: it is one of the files read (give another -o)\n"
    assert page.read_text(encoding="utf-8") == PAGE


def test_new_and_hidden_outputs_beside_the_corpus_are_written(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.txt").write_text(PAGE, encoding="utf-8")
    (corpus / ".previous.jsonl").write_text("old\n", encoding="utf-8")
    for target in (corpus / "records.jsonl", corpus / ".previous.jsonl", tmp_path / "records.jsonl"):
        done = _parse([str(corpus / "page.txt"), "-o", str(target)], tmp_path / "cache")
        assert done.returncode == 0, done.stderr
        assert '"title":"Lighthouse keepers return to the north cape"' in target.read_text(encoding="utf-8")
