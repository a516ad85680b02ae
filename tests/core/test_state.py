"""User state per corpus: round trip, atomic writes, corrupt files moved aside, unwritable dirs."""

from __future__ import annotations

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
    assert [p.name for p in (state_dir() / "corpora").iterdir()] == [store.path.name]
