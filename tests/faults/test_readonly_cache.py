"""A cache directory that turns read-only while `newsdesk index` runs, or is replaced by a file.

Root ignores file modes, so "read-only" is made real: a read-only bind mount of the cache on
itself when this machine allows mounting, else `chmod` with the child's CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH dropped (so the modes apply to it). Either way the run must finish with
one warning line and every keyword; once the cache is writable again, the next run reuses what
was written before. Between runs, the cache directory replaced by a regular file is the same:
one warning per store, no crash, every keyword.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from tests.faults.harness import (
    Runs,
    bind_read_only,
    cache_contents,
    child_env,
    file_modes_apply,
    mount_allowed,
    summary_of,
    warning_lines,
    without_root_file_access,
    write_jsonl_corpus,
)

COUNT = 400


@contextmanager
def _chmod_read_only(directory: Path) -> Iterator[None]:
    modes = {path: path.stat().st_mode for path in [directory, *directory.rglob("*")] if path.is_dir()}
    for path in modes:
        path.chmod(0o555)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def _how_to_make_read_only() -> tuple[str, Callable[[Path], AbstractContextManager[None]], Callable[[], None] | None]:
    if mount_allowed():
        return "read-only bind mount", bind_read_only, None
    if file_modes_apply():
        return "chmod 555 (child without CAP_DAC_OVERRIDE)", _chmod_read_only, without_root_file_access()
    pytest.skip("cannot make a directory read-only for the indexer here (no mount, cannot drop capabilities)")


def test_cache_turning_read_only_mid_run_is_one_warning(tmp_path: Path, runs: Runs) -> None:
    how, read_only, preexec = _how_to_make_read_only()
    corpus = write_jsonl_corpus(tmp_path / "corpus", COUNT, seed=31)
    cache = tmp_path / "cache"
    run = runs.start(["index", str(corpus)], child_env(cache), preexec_fn=preexec)
    deadline = time.monotonic() + 60
    while not list(cache.glob("keywords/*/seg-*.parquet")):
        assert run.running(), run.finish()
        assert time.monotonic() < deadline, "no keyword segment was written"
        time.sleep(0.02)
    with read_only(cache):
        assert run.running(), f"the run ended before the cache turned read-only ({how}): give it more work"
        code, out, err = run.finish()
        written, problems = cache_contents(cache)
    assert code == 0 and out == "", err
    warnings = warning_lines(err)
    assert len(warnings) == 1, f"{how}: {err}"
    assert warnings[0].startswith("newsdesk: warning: keyword cache disabled: cannot write ")
    assert ("Read-only file system" in warnings[0]) or ("Permission denied" in warnings[0]), warnings[0]
    assert summary_of(err) == (COUNT, COUNT, 0)
    assert problems == [] and 0 < len(written) < COUNT

    code, _, err = runs.start(["index", str(corpus)], child_env(cache), preexec_fn=preexec).finish()
    assert code == 0 and warning_lines(err) == [], err
    assert summary_of(err) == (COUNT, COUNT - len(written), len(written))
    final, _ = cache_contents(cache)
    assert len(final) == COUNT and all(final[ident] == kws for ident, kws in written.items())
    print(f"{how}: {len(written)} of {COUNT} cached before the cache turned read-only, all reused")


def test_cache_directory_replaced_by_a_file_between_runs(tmp_path: Path, runs: Runs) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", 40, seed=32)
    cache = tmp_path / "cache"
    code, _, err = runs.start(["index", str(corpus)], child_env(cache)).finish()
    assert code == 0 and summary_of(err) == (40, 40, 0)
    shutil.rmtree(cache)
    cache.write_text("the cache directory is now a file\n")

    code, _, err = runs.start(["index", str(corpus)], child_env(cache)).finish()
    assert code == 0, err
    warnings = warning_lines(err)
    assert len(warnings) == 2, err  # one per store: the corpus snapshot and the keyword cache
    assert "corpus snapshot not saved" in warnings[0] and "keyword cache disabled" in warnings[1]
    assert all(str(cache) in w and "Not a directory" in w and len(w.splitlines()) == 1 for w in warnings)
    assert summary_of(err) == (40, 40, 0)
    assert "Traceback" not in err
