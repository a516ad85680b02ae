"""The folder watch (core.watch) on real folders: what a batch holds, and what it ignores."""

from __future__ import annotations

import queue
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.watch import FileChanges, watch_batches
from tests.live.pages import write_page

TIMEOUT = 30.0


class Watching:
    """`watch_batches` on a thread; its batches in a queue."""

    def __init__(self, folder: Path) -> None:
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.batches: queue.Queue[FileChanges] = queue.Queue()
        self.warnings: list[str] = []
        self._thread = threading.Thread(target=self._run, args=(folder,), daemon=True)
        self._thread.start()
        assert self.ready.wait(TIMEOUT), "the watch never started"

    def _run(self, folder: Path) -> None:
        for batch in watch_batches([folder], self.stop, self.warnings.append, ready=self.ready.set):
            self.batches.put(batch)

    def next(self) -> FileChanges:
        return self.batches.get(timeout=TIMEOUT)

    def close(self) -> None:
        self.stop.set()
        self._thread.join(TIMEOUT)


@pytest.fixture()
def watching(tmp_path: Path) -> Iterator[Watching]:
    (tmp_path / "pages").mkdir()
    watch = Watching(tmp_path / "pages")
    yield watch
    watch.close()


def test_temporary_and_hidden_files_are_not_batched(watching: Watching, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    for name in ("page.jsonl.part", "page.tmp", "page.jsonl~", ".hidden.jsonl", ".tmp-123-abc-page.jsonl"):
        write_page(folder / name, "Ignored")
    (folder / ".git").mkdir()
    write_page(folder / ".git" / "inside.jsonl", "Ignored too")
    write_page(folder / "real.jsonl", "Kept")  # after the others: the batch that holds it would hold them
    batch = watching.next()
    assert batch.changed == {str(folder / "real.jsonl")}
    assert not batch.deleted


def test_a_burst_of_a_thousand_files_is_one_batch(watching: Watching, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    for number in range(1000):
        write_page(folder / f"page-{number:04}.jsonl", f"Article {number}")
    batch = watching.next()
    assert len(batch.changed) == 1000
    with pytest.raises(queue.Empty):
        watching.batches.get(timeout=1.5)  # and no second one


def test_a_file_renamed_into_place_and_a_deleted_file(watching: Watching, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_page(folder / "page.jsonl.part", "Half written")
    (folder / "page.jsonl.part").rename(folder / "page.jsonl")
    assert str(folder / "page.jsonl") in watching.next().changed
    (folder / "page.jsonl").unlink()
    assert watching.next().deleted == {str(folder / "page.jsonl")}


def test_a_folder_deleted_and_created_again_is_watched_again(watching: Watching, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_page(folder / "first.jsonl", "First")
    assert watching.next().changed == {str(folder / "first.jsonl")}
    shutil.rmtree(folder)
    assert str(folder / "first.jsonl") in watching.next().deleted
    folder.mkdir()
    write_page(folder / "second.jsonl", "Second")
    deadline = time.monotonic() + TIMEOUT
    seen: set[str] = set()
    while str(folder / "second.jsonl") not in seen and time.monotonic() < deadline:
        seen |= watching.next().changed
    assert str(folder / "second.jsonl") in seen
