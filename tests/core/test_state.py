"""User state per corpus: round trip, atomic writes, corrupt files moved aside, unwritable dirs,
and saves from several dashboards (stores, processes) merged, removals included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.paths import state_dir
from core.state import CorpusState, StateStore


@pytest.fixture()
def corpus_root(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    return root


def test_state_round_trips_per_corpus(corpus_root: Path, tmp_path: Path) -> None:
    warnings: list[str] = []
    store = StateStore([corpus_root], warnings.append)
    state = CorpusState(read={"a1", "b2"}, bookmarks={"b2"}, last_filter='kw:"tax" -lang:ru', sort="title")
    assert store.save(state)
    assert StateStore([corpus_root], warnings.append).load() == state
    other = tmp_path / "other"
    other.mkdir()
    assert StateStore([other], warnings.append).load() == CorpusState()
    assert warnings == []


def test_same_corpus_named_differently_shares_state(corpus_root: Path) -> None:
    StateStore([corpus_root], print).save(CorpusState(bookmarks={"x"}))
    spelled = corpus_root.parent / "." / corpus_root.name
    assert StateStore([spelled], print).load().bookmarks == {"x"}


@pytest.mark.parametrize("content", [b"{not json", b'{"version": 1, "read": "oops"}', b'["a"]', b"\xff\xfe\x00garbage"])
def test_corrupt_state_is_moved_aside_with_one_warning(corpus_root: Path, content: bytes) -> None:
    store = StateStore([corpus_root], print)
    store.save(CorpusState(read={"a"}))
    store.path.write_bytes(content)
    warnings: list[str] = []
    assert StateStore([corpus_root], warnings.append).load() == CorpusState()
    assert len(warnings) == 1 and "moved aside" in warnings[0]
    aside = [p for p in store.path.parent.iterdir() if ".corrupt-" in p.name]
    assert [p.read_bytes() for p in aside] == [content]
    assert not store.path.exists()


def test_unwritable_state_dir_warns_once(corpus_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_STATE_DIR", str(blocker / "state"))
    warnings: list[str] = []
    store = StateStore([corpus_root], warnings.append)
    assert not store.save(CorpusState(read={"a"}))
    assert not store.save(CorpusState(read={"b"}))
    assert len(warnings) == 1 and warnings[0].startswith("reading state not saved")


def test_writes_leave_no_temp_files(corpus_root: Path) -> None:
    store = StateStore([corpus_root], print)
    for number in range(5):
        store.save(CorpusState(read={str(number)}))
    assert sorted(p.name for p in (state_dir() / "corpora").iterdir()) == [store.path.name, store.lock_path.name]


def test_two_dashboards_saving_keep_each_others_marks(corpus_root: Path) -> None:
    a, b = StateStore([corpus_root], print), StateStore([corpus_root], print)
    state_a, state_b = a.load(), b.load()
    state_a.bookmarks |= {"a1", "a2"}
    state_a.read.add("r-a")
    assert a.save(state_a)
    state_b.bookmarks.add("b1")
    state_b.last_filter = "kw:tax"
    assert b.save(state_b)  # B saves later, never having seen A's marks
    stored = StateStore([corpus_root], print).load()
    assert stored.bookmarks == {"a1", "a2", "b1"} and stored.read == {"r-a"}
    assert stored.last_filter == "kw:tax"  # the filter: last writer wins


def test_an_unbookmark_survives_the_other_dashboards_later_save(corpus_root: Path) -> None:
    StateStore([corpus_root], print).save(CorpusState(bookmarks={"x", "y"}, read={"x"}))
    a, b = StateStore([corpus_root], print), StateStore([corpus_root], print)
    state_a, state_b = a.load(), b.load()
    state_a.bookmarks.discard("x")
    state_a.read.discard("x")
    assert a.save(state_a)
    state_b.read.add("y")  # B still has x bookmarked in memory, and saves after A
    assert b.save(state_b)
    stored = StateStore([corpus_root], print).load()
    assert stored.bookmarks == {"y"} and stored.read == {"y"}
    state_b.bookmarks.discard("y")  # a change B made: applied
    assert b.save(state_b)
    assert StateStore([corpus_root], print).load().bookmarks == set()


SAVER = """
import sys
from pathlib import Path
from core.state import StateStore
store = StateStore([Path(sys.argv[1])], print)
state = store.load()
for number in range(int(sys.argv[3])):
    state.bookmarks.add(f"{sys.argv[2]}-{number}")
    assert store.save(state)
"""


def test_processes_saving_at_once_lose_no_mark(corpus_root: Path) -> None:
    repo = Path(__file__).resolve().parents[2]
    savers = [
        subprocess.Popen([sys.executable, "-c", SAVER, str(corpus_root), name, "150"], cwd=repo)
        for name in ("left", "right", "third")
    ]
    assert [saver.wait(timeout=120) for saver in savers] == [0, 0, 0]
    stored = StateStore([corpus_root], print).load().bookmarks
    expected = {f"{name}-{number}" for name in ("left", "right", "third") for number in range(150)}
    assert stored == expected, f"{len(expected - stored)} marks lost"
