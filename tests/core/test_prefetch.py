"""A snapshot read ahead (`SnapshotPrefetch`) gives `load_corpus` the same answer as its own
read, is used only for the corpus and body limit it was started for, and hands on the
warnings of a damaged snapshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ingest import load_corpus
from core.progress import LoadProgress
from core.prefetch import SnapshotPrefetch
from core.snapshot import snapshot_path

BODY = "Officials met on Monday to discuss the harbour expansion and its costs for the city."


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    for name, title in (("a.txt", "Alpha"), ("b.txt", "Bravo")):
        (root / name).write_text(f"{title}\n\n{BODY}\n", encoding="utf-8")
    return root


def test_a_prefetched_snapshot_is_the_answer_of_a_warm_open(corpus_dir: Path) -> None:
    cold = load_corpus([corpus_dir]).articles  # writes the snapshot
    for limit in (None, 0):  # with its bodies, and without them (over the limit)
        prefetched = SnapshotPrefetch([corpus_dir], limit)
        partials: list[LoadProgress] = []
        warm = load_corpus([corpus_dir], body_limit=limit, prefetched=prefetched, progress=partials.append).articles
        assert warm.equals(cold if limit is None else cold.drop("body"))
        assert partials[0].partial is not None  # shown before the folder walk, as without it
        assert partials[0].partial.articles is warm


def test_the_file_table_is_decoded_only_after_the_stored_rows_are_reported(corpus_dir: Path) -> None:
    # Decoding it is pure Python under the GIL (40-65 ms for 20,000 files), which the
    # prefetch thread would spend beside the interface's imports.
    load_corpus([corpus_dir])
    prefetched = SnapshotPrefetch([corpus_dir], None)
    stored = prefetched.result(lambda message: None)
    assert stored is not None
    decoded_when_reported: list[bool] = []

    def progress(report: LoadProgress) -> None:
        if report.files_done == 0 and report.partial is not None:
            decoded_when_reported.append("files" in vars(stored))

    load_corpus([corpus_dir], prefetched=prefetched, progress=progress)
    assert decoded_when_reported == [False]
    assert sorted(Path(name).name for name in stored.files) == ["a.txt", "b.txt"]  # decoded by the load


def test_a_prefetch_of_other_paths_or_another_limit_is_not_used(corpus_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "c.txt").write_text(f"Charlie\n\n{BODY}\n", encoding="utf-8")
    load_corpus([corpus_dir])
    load_corpus([other])
    assert load_corpus([corpus_dir], prefetched=SnapshotPrefetch([other], None)).articles["title"].to_list() == ["Alpha", "Bravo"]
    without_bodies = load_corpus([corpus_dir], prefetched=SnapshotPrefetch([corpus_dir], 0)).articles
    assert "body" in without_bodies.columns  # no limit asked for: the prefetch (limit 0) is not it


def test_a_damaged_snapshot_warns_through_the_loaders_warn(corpus_dir: Path) -> None:
    load_corpus([corpus_dir])
    snapshot_path([corpus_dir]).write_bytes(b"PAR1 this is not parquet")
    prefetched = SnapshotPrefetch([corpus_dir], None)
    warnings: list[str] = []
    titles = load_corpus([corpus_dir], warn=warnings.append, prefetched=prefetched).articles["title"].to_list()
    assert titles == ["Alpha", "Bravo"]  # parsed again
    assert len(warnings) == 1 and "ignored unreadable corpus snapshot" in warnings[0]


def test_no_snapshot_yet_means_a_parse(corpus_dir: Path) -> None:
    prefetched = SnapshotPrefetch([corpus_dir], None)
    assert load_corpus([corpus_dir], prefetched=prefetched).articles["title"].to_list() == ["Alpha", "Bravo"]
    assert snapshot_path([corpus_dir]).exists()
