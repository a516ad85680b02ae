"""The folder watch (core.watch) on real folders: what a batch holds, and what it ignores."""

from __future__ import annotations

import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.watch import WATCH_LIMIT_WARNING, FileChanges, watch_batches
from tests.core.conftest import REPO
from tests.live.pages import write_page

TIMEOUT = 30.0


class Watching:
    """`watch_batches` on a thread; its batches in a queue. A `held` watch waits at each
    yield until `resume`: what happens meanwhile happens while it has handed on a batch and
    not yet looked again."""

    def __init__(self, folder: Path, held: bool = False) -> None:
        self.stop = threading.Event()
        self.ready = threading.Event()
        self.batches: queue.Queue[FileChanges] = queue.Queue()
        self.warnings: list[str] = []
        self._held = threading.Event() if held else None
        self._thread = threading.Thread(target=self._run, args=(folder,), daemon=True)
        self._thread.start()
        assert self.ready.wait(TIMEOUT), "the watch never started"

    def _run(self, folder: Path) -> None:
        for batch in watch_batches([folder], self.stop, self.warnings.append, ready=self.ready.set):
            self.batches.put(batch)
            if self._held is not None:
                self._held.wait(TIMEOUT)
                self._held.clear()

    def next(self) -> FileChanges:
        return self.batches.get(timeout=TIMEOUT)

    def resume(self) -> None:
        assert self._held is not None, "only a held watch waits"
        self._held.set()

    def sees_changed(self, path: Path) -> bool:
        """Whether a batch within TIMEOUT names `path` changed (batches before it are passed)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if str(path) in self.next().changed:
                return True
        return False

    def close(self) -> None:
        self.stop.set()
        if self._held is not None:
            self._held.set()
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
    # The file, or the folder that stands for it when the watch saw the folder gone first.
    assert watching.next().deleted & {str(folder), str(folder / "first.jsonl")}
    # Made again at once, the folder often gets the old one's inode: only the deletion reported
    # for the folder itself says the OS watch on it is dead.
    folder.mkdir()
    write_page(folder / "second.jsonl", "Second")
    assert watching.sees_changed(folder / "second.jsonl")


@pytest.fixture()
def held(tmp_path: Path) -> Iterator[Watching]:
    (tmp_path / "pages").mkdir()
    watch = Watching(tmp_path / "pages", held=True)
    yield watch
    watch.close()


def test_a_folder_deleted_while_its_last_batch_is_in_hand_is_reported_gone(held: Watching, tmp_path: Path) -> None:
    """The folder goes before the watch resumes after handing on a batch: it sees the folder
    gone by its identity, before the OS's events for it are read, and must say so anyway."""
    folder = tmp_path / "pages"
    write_page(folder / "first.jsonl", "First")
    assert held.next().changed == {str(folder / "first.jsonl")}
    shutil.rmtree(folder)
    held.resume()
    gone = held.next()
    assert gone.deleted & {str(folder), str(folder / "first.jsonl")}, (gone, held.warnings)
    folder.mkdir()
    write_page(folder / "second.jsonl", "Second")
    held.resume()
    assert str(folder / "second.jsonl") in held.next().changed


def test_a_folder_replaced_while_its_last_batch_is_in_hand_drops_the_old_files(held: Watching, tmp_path: Path) -> None:
    """Another folder moved into the watched one's place before the watch resumes: its
    files are new, and the old folder's files are gone, not kept beside them."""
    folder = tmp_path / "pages"
    write_page(folder / "first.jsonl", "First")
    assert held.next().changed == {str(folder / "first.jsonl")}
    replacement = tmp_path / "replacement"
    replacement.mkdir()
    write_page(replacement / "second.jsonl", "Second")  # made while the old one exists: another inode
    shutil.rmtree(folder)
    replacement.rename(folder)
    held.resume()
    batch = held.next()
    assert str(folder / "second.jsonl") in batch.changed
    assert batch.deleted & {str(folder), str(folder / "first.jsonl")}, batch


def test_a_folder_made_again_at_once_is_read_whole(watching: Watching, tmp_path: Path) -> None:
    """Deleted and made again before the watch sees it go: the same inode, a dead OS watch."""
    folder = tmp_path / "pages"
    write_page(folder / "first.jsonl", "First")
    assert watching.next().changed == {str(folder / "first.jsonl")}
    shutil.rmtree(folder)
    folder.mkdir()
    write_page(folder / "second.jsonl", "Second")
    assert watching.sees_changed(folder / "second.jsonl")


UNSHARE = shutil.which("unshare")
LIMITED = r"""
import sys, threading
from pathlib import Path
from core.watch import watch_batches
from tests.live.pages import write_page

folder = Path(sys.argv[1])
stop = threading.Event()
warnings = []
for batch in watch_batches([folder], stop, warnings.append, ready=lambda: write_page(folder / "e" / "new.jsonl", "Seen")):
    if str(folder / "e" / "new.jsonl") in batch.changed:
        break
print(len(warnings), warnings[0] if warnings else "", flush=True)
"""


def _user_namespaces() -> bool:
    if UNSHARE is None:
        return False
    done = subprocess.run([UNSHARE, "-Ur", "true"], capture_output=True, timeout=30)
    return done.returncode == 0


@pytest.mark.skipif(not _user_namespaces(), reason="no user namespaces to lower the watch limit in")
def test_the_os_watch_limit_gives_one_warning_and_polling(tmp_path: Path) -> None:
    """inotify's limit is lowered to 3 watches in a user namespace of its own (the rest of
    the machine keeps its limit): the folder needs 6."""
    folder = tmp_path / "pages"
    for name in "abcde":
        (folder / name).mkdir(parents=True)
    script = f"echo 3 > /proc/sys/user/max_inotify_watches && exec {sys.executable} -c '{LIMITED}' {folder}"
    done = subprocess.run(
        [UNSHARE, "-Ur", "sh", "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120  # type: ignore[list-item]
    )
    assert done.returncode == 0, done.stderr
    count, warning = done.stdout.strip().split(" ", 1)
    assert count == "1"
    assert warning == WATCH_LIMIT_WARNING
