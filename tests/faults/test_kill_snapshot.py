"""A snapshot write stopped midway: its temp file stays while its writer lives (a concurrent
writer's file is never taken), and the first load after the writer is killed removes it.

A real process loads a corpus of the bundled seed page under 600 titles and writes its
snapshot; the cache directory is polled until a temp file appears, and the process is
stopped (SIGSTOP) there, then killed (SIGKILL)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from core.ingest import load_corpus
from core.snapshot import snapshot_path
from tests.core.conftest import REPO
from tests.faults.test_kill_output import seed_corpus

WRITER = "import sys\nfrom pathlib import Path\nfrom core.ingest import load_corpus\nload_corpus([Path(sys.argv[1])])\n"



def temps(directory: Path, name: str = "") -> list[Path]:
    """The temp files in `directory` (of the file `name` when given)."""
    return sorted(directory.glob(f".tmp-*{name}")) if directory.is_dir() else []


def stopped(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T"


def stop_mid_write(corpus: Path, articles_file: Path, attempts: int = 5) -> subprocess.Popen[bytes]:
    """A writer of `corpus`'s snapshot, stopped while its articles temp file is being written
    (tried again when a busy machine let the write finish between two looks)."""
    for _ in range(attempts):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(corpus)], cwd=REPO)
        deadline = time.monotonic() + 120
        while writer.poll() is None and time.monotonic() < deadline:
            found = temps(articles_file.parent, f"-{articles_file.name}")  # the long write: the articles
            try:
                writing = bool(found) and found[0].stat().st_size > 0
            except FileNotFoundError:  # renamed into place between the look and the stat: done
                writing = False
            if writing:
                writer.send_signal(signal.SIGSTOP)
                while not stopped(writer.pid):
                    time.sleep(0.001)
                if temps(articles_file.parent, f"-{articles_file.name}"):
                    return writer
                break  # stopped just after the rename: try again
            time.sleep(0.0005)
        writer.kill()
        writer.wait(timeout=30)
        for path in articles_file.parent.glob("*"):
            path.unlink()
    raise AssertionError(f"the snapshot write was never seen in {attempts} runs")


def test_a_killed_snapshot_write_is_cleaned_by_the_next_load_not_while_it_lives(tmp_path: Path) -> None:
    corpus = seed_corpus(tmp_path / "corpus")
    articles_file = snapshot_path([corpus])
    snapshots = articles_file.parent
    writer = stop_mid_write(corpus, articles_file)
    try:
        left = temps(snapshots)
        assert left and str(writer.pid) in left[0].name

        # Another process (this one) opens the same corpus while that writer is alive but stopped.
        assert load_corpus([corpus], use_snapshot=True).articles.height == 600
        assert set(left) <= set(temps(snapshots)), "a live writer's temp file was removed"
    finally:
        writer.kill()
        writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    assert load_corpus([corpus]).articles.height == 600
    assert temps(snapshots) == []
    assert articles_file.exists()
