"""`newsdesk index --watch` as a real process: a page written into the folder reaches the
snapshot, one line a batch, and SIGINT or SIGTERM ends it with exit 0 and a snapshot the next
open reuses whole."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core.ingest import load_corpus
from core.reuse import unchanged
from core.snapshot import SnapshotStore
from core.walk import signed_files
from tests.core.conftest import REPO
from tests.live.pages import write_page

TIMEOUT = 90.0


class Watcher:
    """The command, its stderr read line by line on a thread."""

    def __init__(self, folder: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core.commands", "index", "--watch", str(folder)],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, start: str) -> str:
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line starting {start!r}; seen: {self.seen}") from None
            self.seen.append(line)
            if line.startswith(start):
                return line


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_index_watch_keeps_the_snapshot_current(tmp_path: Path, stop: signal.Signals) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "old.jsonl", "Ports reopen after the storm", "Grain deal extended")
    watcher = Watcher(folder)
    try:
        watcher.wait_for("newsdesk: watching for changes")
        write_page(folder / "new.jsonl", "Ports reopen after the storm", "Rail strike ends")
        assert watcher.wait_for("+1 file") == "+1 file, 1 article"  # the repeat is one record
        (folder / "old.jsonl").unlink()
        assert watcher.wait_for("+0 files") == "+0 files, 0 articles (-1 file, -1 article)"
        watcher.process.send_signal(stop)
        assert watcher.process.wait(TIMEOUT) == 0
    finally:
        if watcher.process.poll() is None:
            watcher.process.kill()
    stored = SnapshotStore([folder], print).load()
    assert stored is not None
    assert sorted(stored.articles.get_column("title")) == ["Ports reopen after the storm", "Rail strike ends"]
    assert unchanged(signed_files([folder], print), stored.files)  # the next open parses nothing
    assert load_corpus([folder]).articles.height == 2


def test_a_skipped_file_is_said_once_not_at_every_batch(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "old.jsonl", "Ports reopen after the storm", "Grain deal extended")
    (folder / "empty.txt").write_bytes(b"")
    watcher = Watcher(folder)
    try:
        watcher.wait_for("newsdesk: watching for changes")
        (folder / "blank.txt").write_bytes(b"")
        watcher.wait_for("+1 file")
        write_page(folder / "new.jsonl", "Rail strike ends", "Grain deal extended")
        watcher.wait_for("+1 file")
        watcher.process.send_signal(signal.SIGINT)
        assert watcher.process.wait(TIMEOUT) == 0
    finally:
        if watcher.process.poll() is None:
            watcher.process.kill()
    skips = [line for line in watcher.seen if line.startswith("skipped ")]
    assert skips == [f"skipped {folder / 'empty.txt'}: empty file", f"skipped {folder / 'blank.txt'}: empty file"]
