"""Files that crashed the reader, led out of the corpus or filled memory: each is one
`skipped PATH: reason` line from the real `newsdesk parse` process, which exits 0 with
every other file's articles and no traceback."""

from __future__ import annotations

import gzip
import json
import random
import resource
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.core.conftest import REPO
from tests.faults.harness import NEWSDESK, child_env, file_modes_apply, without_root_file_access
from tests.faults.parquet_damage import (
    valid_parquet,
    with_column_field,
    with_first_page_header,
    with_footer_length,
    write,
)

GOOD_TITLE = "Lighthouse keepers return to the north cape"
PARQUET_TITLE = "Harbour report number 3 on the night ferries"


def _good_page(folder: Path) -> None:
    (folder / "page.txt").write_text(f"{GOOD_TITLE}\n\nThe keepers came back on Monday after the storm.\n", encoding="utf-8")


def _parse(
    args: Sequence[str], cache: Path, *, preexec_fn: Callable[[], None] | None = None, **env: str
) -> tuple[int, list[dict[str, object]], str]:
    done = subprocess.run(
        [*NEWSDESK, "parse", *args],
        cwd=REPO,
        env=child_env(cache, **env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=300,
        preexec_fn=preexec_fn,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    rows = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines() if line.strip()]
    return done.returncode, rows, stderr


def _skips(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


def _assert_clean(code: int, stderr: str) -> None:
    assert code == 0, stderr[-2000:]
    assert "Traceback" not in stderr, stderr[-2000:]


# -- damaged Parquet --------------------------------------------------------------------------

DAMAGE = {
    # A data page says it holds 2^31-1 values: the native reader panics (PanicException).
    "page-values.parquet": lambda data: with_first_page_header(data, lambda header: header[5][1].__setitem__(1, (5, 2**31 - 1))),
    # Every column says it holds 2^61 values in 40 rows.
    "column-values.parquet": lambda data: with_column_field(data, 5, 2**61),
    # The footer length points before the start of the file.
    "footer-length.parquet": lambda data: with_footer_length(data, 2**31 - 1),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_a_damaged_parquet_file_is_one_skipped_line(tmp_path: Path, name: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    write(corpus / "good.parquet", valid_parquet())
    write(corpus / name, DAMAGE[name](valid_parquet(prefix="Damaged")))
    code, rows, stderr = _parse([str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert len(_skips(stderr)) == 1 and _skips(stderr)[0].startswith(f"skipped {corpus / name}: "), stderr
    titles = {row["title"] for row in rows}
    assert {GOOD_TITLE, PARQUET_TITLE} <= titles
    assert not any("Damaged" in str(title) for title in titles)


def test_a_parquet_file_that_aborts_its_reader_is_skipped_now_and_on_every_reopen(tmp_path: Path) -> None:
    """The dictionary page says it holds 2^31-1 strings: the reader asks for 32 GiB, which
    under an address-space limit is an abort (exit 134) of whatever process reads it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    write(corpus / "good.parquet", valid_parquet())
    damaged = with_first_page_header(
        valid_parquet(prefix="Damaged"), lambda header: header[7][1].__setitem__(1, (5, 2**31 - 1)), dictionary=True
    )
    write(corpus / "abort.parquet", damaged)

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))

    for attempt in ("first open", "reopen"):
        code, rows, stderr = _parse([str(corpus)], tmp_path / "cache", preexec_fn=limit_memory)
        _assert_clean(code, stderr)
        skips = _skips(stderr)
        assert len(skips) == 1, (attempt, stderr)
        assert skips[0].startswith(
            f"skipped {corpus / 'abort.parquet'}: the Parquet reader crashed on this file (killed by SIGABRT"
        ), (attempt, stderr)
        assert {GOOD_TITLE, PARQUET_TITLE} <= {row["title"] for row in rows}, attempt


# -- links ------------------------------------------------------------------------------------


def test_a_link_to_a_file_outside_the_corpus_is_not_read_without_follow_links(tmp_path: Path) -> None:
    secret = tmp_path / "private" / "credentials.txt"
    secret.parent.mkdir()
    secret.write_text("Private credentials for the mail server\n\npassword=hunter2-do-not-leak\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    (corpus / "leak.txt").symlink_to(secret)
    (corpus / "elsewhere").symlink_to(secret.parent, target_is_directory=True)

    code, rows, stderr = _parse([str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert _skips(stderr) == [
        f"skipped {corpus / 'elsewhere'}: link to a folder outside the given paths (use --follow-links)",
        f"skipped {corpus / 'leak.txt'}: link to a file outside the given paths (use --follow-links)",
    ]
    assert [row["title"] for row in rows] == [GOOD_TITLE]

    code, rows, stderr = _parse(["--follow-links", str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert _skips(stderr) == []
    assert {row["title"] for row in rows} == {GOOD_TITLE, "Private credentials for the mail server"}

    # A link named on the command line is the user's choice: always read.
    code, rows, stderr = _parse([str(corpus / "leak.txt")], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert [row["title"] for row in rows] == ["Private credentials for the mail server"]


@pytest.mark.skipif(not file_modes_apply(), reason="file modes do not apply to this user")
@pytest.mark.parametrize("follow", [False, True])
def test_a_link_into_a_folder_that_cannot_be_searched_is_one_skipped_line(tmp_path: Path, follow: bool) -> None:
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    (locked / "inner" / "page.txt").write_text("Hidden\n\nNot readable.\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    (corpus / "into-locked").symlink_to(locked / "inner", target_is_directory=True)
    locked.chmod(0)
    try:
        args = ["--follow-links", str(corpus)] if follow else [str(corpus)]
        code, rows, stderr = _parse(args, tmp_path / "cache", preexec_fn=without_root_file_access())
    finally:
        locked.chmod(0o755)
    _assert_clean(code, stderr)
    assert _skips(stderr) == [f"skipped {corpus / 'into-locked'}: Permission denied"]
    assert [row["title"] for row in rows] == [GOOD_TITLE]


def test_a_link_into_proc_is_one_skipped_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    (corpus / "proc").symlink_to("/proc", target_is_directory=True)
    code, rows, stderr = _parse([str(corpus)], tmp_path / "cache")
    _assert_clean(code, stderr)
    assert _skips(stderr) == [f"skipped {corpus / 'proc'}: link to a folder outside the given paths (use --follow-links)"]
    assert [row["title"] for row in rows] == [GOOD_TITLE]


# -- decompression ----------------------------------------------------------------------------


def test_decompression_bombs_are_refused_early_and_cheaply(tmp_path: Path) -> None:
    """Six small .gz files that each inflate to 48 MB of one repeated page: refused once
    they pass 32 MiB (100 times their size is less), in well under a GB of memory."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    block = ("Ferry timetable approved\n\nThe board agreed the winter crossings.\n\n" * 20_000).encode()
    for number in range(6):
        with gzip.open(corpus / f"bomb{number}.txt.gz", "wb", compresslevel=9) as out:
            for _ in range(48_000_000 // len(block)):
                out.write(block)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    code, rows, stderr = _parse([str(corpus)], tmp_path / "cache")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    _assert_clean(code, stderr)
    assert _skips(stderr) == [
        f"skipped {corpus / f'bomb{n}.txt.gz'}: decompresses to more than 100 times its size (a decompression bomb, not text)"
        for n in range(6)
    ]
    assert [row["title"] for row in rows] == [GOOD_TITLE]
    if peak_kib > before:  # the largest child so far was this one
        assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib} KiB"


def test_compressed_files_share_one_decompression_cap_per_corpus(tmp_path: Path) -> None:
    """Real-looking pages (random words: they compress about threefold), 600 KB each, under
    a 1 MiB cap for the corpus: the first fits, the others are skipped, the plain page is read."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _good_page(corpus)
    words = [line.strip() for line in (REPO / "README.md").read_text(encoding="utf-8").split() if line.isalpha()]
    generator = random.Random(5)
    for number in range(3):
        body = " ".join(generator.choice(words) for _ in range(100_000))
        with gzip.open(corpus / f"archive{number}.txt.gz", "wt", encoding="utf-8") as out:
            out.write(f"Archived page {number}\n\n{body[:600_000]}\n")
    code, rows, stderr = _parse([str(corpus)], tmp_path / "cache", NEWSDESK_MAX_DECOMPRESSED_MIB="1")
    _assert_clean(code, stderr)
    reason = "over the corpus decompression cap (1 MiB; setting max_decompressed_mib or NEWSDESK_MAX_DECOMPRESSED_MIB)"
    assert _skips(stderr) == [f"skipped {corpus / f'archive{n}.txt.gz'}: {reason}" for n in (1, 2)]
    assert {row["title"] for row in rows} == {GOOD_TITLE, "Archived page 0"}

    # The cap is a setting: raised, the same unchanged files are read on the next open.
    code, rows, stderr = _parse([str(corpus)], tmp_path / "cache", NEWSDESK_MAX_DECOMPRESSED_MIB="10")
    _assert_clean(code, stderr)
    assert _skips(stderr) == []
    assert {row["title"] for row in rows} == {GOOD_TITLE, "Archived page 0", "Archived page 1", "Archived page 2"}
