"""A cache on a disk that fills up: `parse` and `index` still finish, with one warning line per store.

Two ways to run out of space. A real tmpfs of a few hundred kilobytes (as root with
CAP_SYS_ADMIN, which a plain CI machine has; a container without it skips that test with the
reason), filled by another writer while `index` runs; and RLIMIT_FSIZE in the child, which
makes any write past the limit fail with EFBIG (SIGXFSZ ignored), and works anywhere. Then the
space comes back and the next run works and reuses what was written before the disk was full.
"""

from __future__ import annotations

import errno
import resource
import signal
import time
from pathlib import Path

import pytest

from tests.faults.harness import (
    Runs,
    cache_contents,
    child_env,
    mount_allowed,
    remount_tmpfs,
    summary_of,
    tmpfs,
    warning_lines,
    write_jsonl_corpus,
)

needs_mount = pytest.mark.skipif(
    not mount_allowed(), reason="cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN); the RLIMIT_FSIZE test covers disk-full"
)


def _fill(directory: Path) -> int:
    """Write into `directory` until its filesystem is full; returns the bytes written."""
    written = 0
    with open(directory / "filler.bin", "wb", buffering=0) as out:
        while True:
            try:
                written += out.write(b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC, error
                return written


@needs_mount
def test_parse_with_a_full_tmpfs_cache_warns_once_then_saves_when_there_is_room(tmp_path: Path, runs: Runs) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", 200, seed=21)
    with tmpfs(tmp_path / "cache", "16k") as cache:
        code, out, err = runs.start(["parse", str(corpus)], child_env(cache)).finish()
        assert code == 0 and len(out.splitlines()) == 200
        warnings = warning_lines(err)
        assert len(warnings) == 1 and err.strip() == warnings[0], err
        assert "corpus snapshot not saved" in warnings[0] and "No space left on device" in warnings[0]
        assert str(cache / "snapshots") in warnings[0]
        assert not list(cache.rglob(".tmp-*")), "a failed write left its temp file behind"

        remount_tmpfs(cache, "8m")
        code, again, err = runs.start(["parse", str(corpus)], child_env(cache)).finish()
        assert code == 0 and err == "" and again == out
        assert len(list(cache.glob("snapshots/*.parquet"))) == 2  # articles and sightings


@needs_mount
def test_index_while_the_tmpfs_fills_up_warns_once_and_keeps_what_it_wrote(tmp_path: Path, runs: Runs) -> None:
    count = 400  # two flushes at least: the first lands, the disk fills before the next
    corpus = write_jsonl_corpus(tmp_path / "corpus", count, seed=22)
    with tmpfs(tmp_path / "cache", "256k") as cache:
        run = runs.start(["index", str(corpus)], child_env(cache))
        deadline = time.monotonic() + 60
        while not list(cache.glob("keywords/*/seg-*.parquet")):
            assert run.running(), run.finish()
            assert time.monotonic() < deadline, "no keyword segment was written"
            time.sleep(0.02)
        _fill(cache)
        assert run.running(), "the run ended before the disk filled up: give it more work"
        code, out, err = run.finish()
        assert code == 0 and out == "", err
        warnings = warning_lines(err)
        assert len(warnings) == 1, err
        assert warnings[0].startswith("newsdesk: warning: keyword cache disabled: cannot write ")
        assert "No space left on device" in warnings[0] and str(cache / "keywords") in warnings[0]
        assert summary_of(err) == (count, count, 0)
        assert not list(cache.rglob(".tmp-*")), "a failed write left its temp file behind"
        written, problems = cache_contents(cache)
        assert problems == [] and 0 < len(written) < count

        (cache / "filler.bin").unlink()
        code, _, err = runs.start(["index", str(corpus)], child_env(cache)).finish()
        assert code == 0 and warning_lines(err) == [], err
        assert summary_of(err) == (count, count - len(written), len(written))
        final, _ = cache_contents(cache)
        assert len(final) == count and all(final[ident] == kws for ident, kws in written.items())


def _file_size_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_file_size_limit_makes_writes_fail_and_the_next_run_recovers(tmp_path: Path, runs: Runs) -> None:
    count = 120  # extracted in one process, written in one segment that is over the limit
    corpus = write_jsonl_corpus(tmp_path / "corpus", count, seed=23)
    cache = tmp_path / "cache"
    limited = _file_size_limit(12_000)  # smaller than the snapshot and than the keyword segment

    code, out, err = runs.start(["parse", str(corpus)], child_env(cache), preexec_fn=limited).finish()
    assert code == 0 and len(out.splitlines()) == count
    warnings = warning_lines(err)
    assert len(warnings) == 1 and err.strip() == warnings[0], err
    assert "corpus snapshot not saved" in warnings[0] and "File too large" in warnings[0]

    code, out, err = runs.start(["index", str(corpus)], child_env(cache), preexec_fn=limited).finish()
    assert code == 0 and out == ""
    warnings = warning_lines(err)
    assert summary_of(err) == (count, count, 0)
    assert [w.split(":")[2].strip()[:21] for w in warnings] == ["corpus snapshot not s", "keyword cache disable"], err
    assert all("File too large" in w for w in warnings)
    assert not list(cache.rglob(".tmp-*")), "a failed write left its temp file behind"
    written, problems = cache_contents(cache)
    assert problems == []

    code, _, err = runs.start(["index", str(corpus)], child_env(cache)).finish()
    assert code == 0 and warning_lines(err) == [], err
    assert summary_of(err) == (count, count - len(written), len(written))
    assert len(cache_contents(cache)[0]) == count
