"""Keyword extraction on the hostile corpus: no panic from the Rust engine, no traceback, bounded time.

yake-rust's sentence splitter panicked (BacktrackLimitExceeded, a pyo3 PanicException, which
is a BaseException) on the one-megabyte line: `newsdesk index` died with a traceback, and in
the dashboard the panic message was printed over the screen and no keyword was ever shown.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.keyword_text import MAX_TEXT_CHARS
from core.keywords import Extractor, ExtractorParams
from tests.data.hostile import write_hostile_corpus
from tests.faults.harness import Runs, child_env, summary_of


def test_index_of_the_hostile_corpus_finishes_without_a_panic(tmp_path: Path, runs: Runs) -> None:
    expected = write_hostile_corpus(tmp_path / "hostile")
    code, out, err = runs.start(["index", str(tmp_path / "hostile")], child_env(tmp_path / "cache")).finish(timeout=180)
    assert code == 0, err
    assert "panicked" not in err and "Traceback" not in err and "PanicException" not in err, err
    total, extracted, cached = summary_of(err)
    assert total >= len(expected) and extracted == total and cached == 0


@pytest.mark.parametrize("engine", ["yake-rust", "yake"])
def test_a_megabyte_sentence_gets_keywords_quickly(capfd: pytest.CaptureFixture[str], engine: str) -> None:
    body = "word " * 200_000 + "pipeline talks in Ankara"
    started = time.perf_counter()
    keywords = Extractor(ExtractorParams(engine=engine)).extract("A one megabyte line", body, "en")
    elapsed = time.perf_counter() - started
    assert keywords and "panicked" not in capfd.readouterr().err
    assert elapsed < 30, f"{engine} took {elapsed:.1f}s on one article capped at {MAX_TEXT_CHARS} characters"
