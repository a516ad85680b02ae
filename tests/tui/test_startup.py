"""The start-up sequence (`tui.startup`, Pilot, real files): the snapshot's read started
before the interface is imported is the one the load uses, an app started without one
starts exactly one, and the modules the script runs before the interface import no Textual."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import prefetch
from core.first_screen import first_screen_path
from tests.tui.corpus import TOTAL, ready, wait_for, write_corpus
from tui.app import create_app
from tui.cli import head_start

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parents[2]


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[prefetch.SnapshotPrefetch]:
    """Every snapshot read started from now on."""
    started: list[prefetch.SnapshotPrefetch] = []
    init = prefetch.SnapshotPrefetch.__init__

    def noting(self: prefetch.SnapshotPrefetch, *args: object, **kwargs: object) -> None:
        init(self, *args, **kwargs)  # type: ignore[arg-type]
        started.append(self)

    monkeypatch.setattr(prefetch.SnapshotPrefetch, "__init__", noting)
    return started


async def _write_snapshot(root: Path) -> None:
    """A first session on `root`: it parses the folder and writes the snapshot (and a first screen)."""
    app = create_app([root], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
    app.end_session()


@pytest.mark.asyncio
async def test_the_load_uses_the_snapshot_read_started_before_the_interface(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_corpus(tmp_path)
    await _write_snapshot(root)
    first_screen_path([root]).unlink()  # no first screen: the launch starts the snapshot's read
    started = _counting_reads(monkeypatch)
    first_screen, prefetched = head_start([root])
    assert first_screen is None and prefetched is not None and started == [prefetched]
    app = create_app([root], index=False, prefetched=prefetched)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.article_list.row_count == TOTAL
    assert started == [prefetched]  # the load took it over and started none of its own


@pytest.mark.asyncio
async def test_an_app_started_without_a_head_start_reads_the_snapshot_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_corpus(tmp_path)
    await _write_snapshot(root)
    started = _counting_reads(monkeypatch)
    app = create_app([root], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: app.started_up, what="start-up over")
    assert len(started) == 1


def test_what_runs_before_the_interface_imports_no_textual() -> None:
    # In a fresh interpreter: this one has imported Textual long ago.
    script = "import sys, tui.launch, tui.startup, core.gc_policy\nprint(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'polars'}))\n"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_a_cold_open_reaches_its_first_rows_without_the_parsers_fingerprint(tmp_path: Path) -> None:
    # The first start after an install computes the fingerprint from the parser's sources
    # (a third of a second): a corpus with no snapshot of any parser needs none of it
    # before its rows, only to save its snapshot after them.
    root = write_corpus(tmp_path / "corpus")
    cache = tmp_path / "cache"
    script = (
        "import sys\nfrom pathlib import Path\nfrom tui.cli import head_start\n"
        "from core.snapshot import SnapshotStore\n"
        f"roots = [Path({str(root)!r})]\n"
        "print(head_start(roots) == (None, None), SnapshotStore(roots, print).load() is None)\n"
    )
    env = dict(os.environ, NEWSDESK_CACHE_DIR=str(cache), NEWSDESK_STATE_DIR=str(tmp_path / "state"))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["True", "True"], done.stderr
    assert not (cache / "parser-sources.json").exists()
