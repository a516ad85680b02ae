"""The corpus snapshot: a re-open reuses unchanged files' rows and re-parses only what changed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import polars as pl
import pytest

from core.corpus import Deduplicator
from core.errors import Skipped
from core.ingest import load_corpus
from core.paths import cache_dir
from core.progress import LoadProgress
from core.snapshot import snapshot_path

ROOT = Path(__file__).resolve().parents[2]
BODY = "Officials met on Monday to discuss the harbour expansion and its costs for the city."


def _write(path: Path, title: str, body: str = BODY) -> None:
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")


def _titles(root: Path, warnings: list[str] | None = None) -> list[str]:
    sink = warnings if warnings is not None else []
    return load_corpus([root], warn=sink.append).articles["title"].to_list()


@pytest.fixture()
def corpus_dir(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    _write(root / "a.txt", "Alpha")
    _write(root / "b.txt", "Bravo")
    return root


def test_unchanged_file_rows_come_from_the_snapshot(corpus_dir: Path) -> None:
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]
    assert snapshot_path([corpus_dir]).exists()
    _edit_keeping_size_and_mtime(corpus_dir / "a.txt", "Alphx")
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]


def _edit_keeping_size_and_mtime(path: Path, title: str) -> None:
    """New text of the same size with the old mtime: a file a re-open must take as unchanged."""
    before = path.stat()
    _write(path, title)
    assert path.stat().st_size == before.st_size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_only_changed_files_are_parsed_again_when_others_changed(corpus_dir: Path) -> None:
    """With one file changed, the unchanged files' rows still come from the snapshot (their
    new text, same size and mtime, is not read), repeats and first sightings alike."""
    _write(corpus_dir / "b2.txt", "Bravo")  # a repeat of b.txt's article
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]
    _edit_keeping_size_and_mtime(corpus_dir / "a.txt", "Alphx")
    _edit_keeping_size_and_mtime(corpus_dir / "b2.txt", "Bravx")
    _write(corpus_dir / "c.txt", "Charlie")
    corpus = load_corpus([corpus_dir])
    assert corpus.articles["title"].to_list() == ["Alpha", "Bravo", "Charlie"]
    assert corpus.articles["copies"].to_list() == [1, 2, 1]
    assert load_corpus([corpus_dir]).articles.equals(corpus.articles)


def test_a_load_can_hand_over_its_corpus_before_the_snapshot_is_written(
    corpus_dir: Path, held_snapshot_saves: tuple[threading.Event, threading.Event]
) -> None:
    """`save_in_background`: the corpus comes back while its snapshot is still to be written,
    and a load of the same corpus meanwhile waits for the write and reads the snapshot."""
    writing, release = held_snapshot_saves
    corpus = load_corpus([corpus_dir], save_in_background=True)
    assert corpus.articles["title"].to_list() == ["Alpha", "Bravo"]
    assert writing.wait(10)
    assert not snapshot_path([corpus_dir]).exists()
    _edit_keeping_size_and_mtime(corpus_dir / "a.txt", "Alphx")
    threading.Timer(0.3, release.set).start()
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]  # the stored rows: it waited for them


def test_a_snapshot_saved_in_the_background_is_written_before_the_program_exits(corpus_dir: Path) -> None:
    """The interpreter waits for the save even when the program ends right after the load."""
    program = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from core.ingest import load_corpus\n"
        "from core.snapshot import SnapshotStore\n"
        "save = SnapshotStore.save\n"
        "def slow(self, *args):\n"
        "    time.sleep(0.5)\n"
        "    return save(self, *args)\n"
        "SnapshotStore.save = slow\n"
        "load_corpus([Path(sys.argv[1])], save_in_background=True)\n"
    )
    subprocess.run([sys.executable, "-c", program, str(corpus_dir)], check=True, cwd=ROOT, timeout=120)
    assert snapshot_path([corpus_dir]).exists()
    _edit_keeping_size_and_mtime(corpus_dir / "a.txt", "Alphx")
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]


def _frames_deduplicated(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The row count of every frame the loads hand the de-duplicator from now on."""
    heights: list[int] = []
    add = Deduplicator.add

    def counting(self: Deduplicator, frame: pl.DataFrame) -> None:
        heights.append(frame.height)
        add(self, frame)

    monkeypatch.setattr(Deduplicator, "add", counting)
    return heights


def test_rows_reach_the_deduplicator_in_frames_of_many_files_not_one_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for number in range(40):
        _write(root / f"{number:02}.txt", f"Report {number}")
    heights = _frames_deduplicated(monkeypatch)
    assert len(load_corpus([root], workers=1).articles) == 40
    assert heights == [40]  # read here: one frame for them all
    heights.clear()
    _write(root / "20.txt", "Report 20 revised")
    corpus = load_corpus([root], workers=1)
    assert corpus.articles["title"].to_list()[19:22] == ["Report 19", "Report 20 revised", "Report 21"]
    assert heights == [20, 1, 19]  # stored rows before it, the file read again, stored rows after it


def test_saving_a_snapshot_removes_those_of_other_parser_versions_of_that_corpus(corpus_dir: Path, tmp_path: Path) -> None:
    current = snapshot_path([corpus_dir])
    other_corpus = tmp_path / "other"
    other_corpus.mkdir()
    _write(other_corpus / "x.txt", "Xray")
    load_corpus([other_corpus])
    kept = snapshot_path([other_corpus])
    current.parent.mkdir(parents=True, exist_ok=True)
    key = current.name.split("-", 1)[0]
    older = [current.with_name(f"{key}-0123456789abcdef.parquet"), current.with_name(f"{key}-0123456789abcdef.sightings.parquet")]
    for path in older:
        path.write_bytes(b"made by another version")
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]
    assert not any(path.exists() for path in older)
    assert current.exists() and current.with_name(current.name.replace(".parquet", ".sightings.parquet")).exists()
    assert kept.exists()  # another corpus's snapshot stays
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]


def test_changed_new_and_deleted_files_are_picked_up(corpus_dir: Path) -> None:
    assert _titles(corpus_dir) == ["Alpha", "Bravo"]
    _write(corpus_dir / "a.txt", "Alpha revised")
    _write(corpus_dir / "c.txt", "Charlie")
    (corpus_dir / "b.txt").unlink()
    assert _titles(corpus_dir) == ["Alpha revised", "Charlie"]
    assert _titles(corpus_dir) == ["Alpha revised", "Charlie"]


def test_a_snapshot_over_the_body_limit_is_read_without_its_bodies(corpus_dir: Path) -> None:
    cold = load_corpus([corpus_dir], body_limit=0).articles
    assert "body" in cold.columns  # parsed: the text is in hand
    body_bytes = cold["body"].str.len_bytes().sum()
    warm = load_corpus([corpus_dir], body_limit=body_bytes - 1).articles
    assert "body" not in warm.columns
    assert warm.equals(cold.drop("body"))
    assert load_corpus([corpus_dir], body_limit=body_bytes).articles.equals(cold)
    partials: list[LoadProgress] = []
    load_corpus([corpus_dir], body_limit=0, progress=partials.append)
    assert partials[0].partial is not None and "body" not in partials[0].partial.articles.columns


def test_copies_and_first_path_survive_the_snapshot(corpus_dir: Path) -> None:
    _write(corpus_dir / "c.txt", "Alpha")
    first = load_corpus([corpus_dir]).articles
    second = load_corpus([corpus_dir]).articles
    assert first.equals(second)
    assert first.filter(first["title"] == "Alpha")["copies"].to_list() == [2]
    assert first.filter(first["title"] == "Alpha")["path"].to_list() == [str(corpus_dir / "a.txt")]


def test_corrupt_snapshot_is_ignored_with_one_warning(corpus_dir: Path) -> None:
    _titles(corpus_dir)
    snapshot_path([corpus_dir]).write_bytes(b"PAR1 this is not parquet")
    warnings: list[str] = []
    assert _titles(corpus_dir, warnings) == ["Alpha", "Bravo"]
    assert len(warnings) == 1 and "ignored unreadable corpus snapshot" in warnings[0]
    assert _titles(corpus_dir, warnings) == ["Alpha", "Bravo"]
    assert len(warnings) == 1


def test_a_damaged_file_table_means_one_warning_and_a_full_parse(corpus_dir: Path) -> None:
    _titles(corpus_dir)
    path = snapshot_path([corpus_dir])
    metadata = pl.read_parquet_metadata(path)
    assert "newsdesk-snapshot-files" in metadata
    stored = pl.read_parquet(path)
    keep = {key: value for key, value in metadata.items() if key.startswith("newsdesk-")}
    stored.write_parquet(path, metadata={**keep, "newsdesk-snapshot-files": '{"a.txt": 7}'})
    warnings: list[str] = []
    reports: list[LoadProgress] = []
    corpus = load_corpus([corpus_dir], warn=warnings.append, progress=reports.append)
    assert reports[0].partial is not None and reports[0].files_total == 2  # the stored rows, shown first
    assert corpus.articles["title"].to_list() == ["Alpha", "Bravo"]  # then everything parsed again
    assert len(warnings) == 1 and "ignored unreadable corpus snapshot" in warnings[0]
    assert _titles(corpus_dir, warnings) == ["Alpha", "Bravo"]
    assert len(warnings) == 1  # the parse wrote a sound snapshot


def test_unwritable_cache_means_one_warning_and_a_full_parse(corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be", encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(blocker / "cache"))
    warnings: list[str] = []
    assert _titles(corpus_dir, warnings) == ["Alpha", "Bravo"]
    assert len(warnings) == 1 and warnings[0].startswith("corpus snapshot not saved")


def test_no_snapshot_when_asked_not_to(corpus_dir: Path) -> None:
    load_corpus([corpus_dir], use_snapshot=False)
    assert not (cache_dir() / "snapshots").exists()


def test_progress_reports_every_file_and_an_early_partial_corpus(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for number in range(5):
        _write(root / f"{number}.txt", f"Title {number}")
    reports: list[LoadProgress] = []
    corpus = load_corpus([root], progress=reports.append)
    assert [r.files_done for r in reports] == [1, 2, 3, 4, 5]
    assert {r.files_total for r in reports} == {5}
    assert reports[-1].bytes_done == reports[-1].bytes_total == sum(f.stat().st_size for f in root.iterdir())
    assert reports[0].partial is not None and reports[0].partial.articles["title"].to_list() == ["Title 0"]
    assert corpus.articles["title"].to_list() == [f"Title {n}" for n in range(5)]
    # The last report's corpus is the answer itself: a screen that installed it is done.
    assert reports[-1].partial is not None and reports[-1].partial.articles is corpus.articles


def test_cancel_stops_early_and_leaves_no_partial_snapshot(tmp_path: Path) -> None:
    root = tmp_path / "many"
    root.mkdir()
    for number in range(5):
        _write(root / f"{number}.txt", f"Title {number}")
    cancel = threading.Event()

    def stop_after_two(report: LoadProgress) -> None:
        if report.files_done == 2:
            cancel.set()

    corpus = load_corpus([root], progress=stop_after_two, cancel=cancel)
    assert corpus.articles["title"].to_list() == ["Title 0", "Title 1"]
    assert not snapshot_path([root]).exists()
    assert load_corpus([root]).articles.height == 5


def test_warm_open_shows_stored_articles_before_walking_and_repeats_skips(corpus_dir: Path) -> None:
    (corpus_dir / "empty.txt").write_bytes(b"")
    cold_skips: list[Skipped] = []
    load_corpus([corpus_dir], on_skip=cold_skips.append)
    reports: list[LoadProgress] = []
    warm_skips: list[Skipped] = []
    corpus = load_corpus([corpus_dir], on_skip=warm_skips.append, progress=reports.append)
    assert reports[0].files_done == 0 and reports[0].partial is not None
    assert reports[0].partial.articles["title"].to_list() == ["Alpha", "Bravo"]
    assert reports[-1].files_done == reports[-1].files_total == 3
    assert warm_skips == cold_skips == [Skipped(str(corpus_dir / "empty.txt"), "empty file")]
    assert corpus.articles["title"].to_list() == ["Alpha", "Bravo"]


def test_damaged_sightings_mean_a_reparse_of_what_changed_not_a_wrong_answer(corpus_dir: Path) -> None:
    load_corpus([corpus_dir])
    sightings = snapshot_path([corpus_dir]).with_name(snapshot_path([corpus_dir]).name.replace(".parquet", ".sightings.parquet"))
    assert sightings.exists()
    sightings.write_bytes(b"garbage")
    _write(corpus_dir / "c.txt", "Charlie")
    assert _titles(corpus_dir) == ["Alpha", "Bravo", "Charlie"]
    assert _titles(corpus_dir) == ["Alpha", "Bravo", "Charlie"]


def test_refused_oversize_files_do_not_count_toward_the_bytes_to_read(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    _write(root / "a.txt", "Alpha")
    with open(root / "huge.txt", "wb") as handle:
        handle.truncate(1024**3)
    reports: list[LoadProgress] = []
    load_corpus([root], progress=reports.append, use_snapshot=False)
    assert reports[-1].bytes_total == (root / "a.txt").stat().st_size
