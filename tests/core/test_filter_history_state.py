"""The filter history in a corpus's state file: pushed most recent first, capped, loaded from
files written before it existed, and merged between two dashboards that both applied filters."""

from __future__ import annotations

import json
from pathlib import Path

from core.state import HISTORY_MAX, CorpusState, StateStore


def test_push_puts_the_filter_first_once_and_caps_the_history() -> None:
    state = CorpusState()
    for text in ("natural", "pipeline", " natural ", "", "   "):
        state.push_history(text)
    assert state.history == ["natural", "pipeline"]
    assert state.push_history("natural") is False  # already first: nothing to save
    for number in range(HISTORY_MAX + 20):
        state.push_history(f"kw:{number}")
    assert len(state.history) == HISTORY_MAX
    assert state.history[0] == f"kw:{HISTORY_MAX + 19}"
    assert "natural" not in state.history  # the oldest went first


def test_a_state_file_from_before_the_history_loads_with_an_empty_one(tmp_path: Path) -> None:
    store = StateStore([tmp_path], lambda text: None)
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": 1, "read": ["a"], "bookmarks": ["b"], "last_filter": "gas", "sort": "title"}), encoding="utf-8")
    state = store.load()
    assert (state.read, state.bookmarks, state.last_filter, state.history) == ({"a"}, {"b"}, "gas", [])
    state.push_history("gas")
    assert store.save(state)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["history"] == ["gas"] and data["read"] == ["a"]


def test_a_history_of_the_wrong_type_sets_the_file_aside(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = StateStore([tmp_path], warnings.append)
    store.path.parent.mkdir(parents=True)
    store.path.write_text(json.dumps({"version": 1, "history": "natural"}), encoding="utf-8")
    assert store.load() == CorpusState()
    assert len(warnings) == 1 and "moved aside" in warnings[0]


def test_two_dashboards_keep_both_histories(tmp_path: Path) -> None:
    first = StateStore([tmp_path], lambda text: None)
    seed = first.load()
    for text in ("old", "older"):
        seed.push_history(text)
    first.save(seed)  # history: older, old

    a, b = StateStore([tmp_path], lambda text: None), StateStore([tmp_path], lambda text: None)
    mine_a, mine_b = a.load(), b.load()
    mine_a.push_history("natural")
    mine_a.push_history("old")  # moved to the front, not added twice
    mine_b.push_history("pipeline")
    assert a.save(mine_a) and b.save(mine_b)
    assert StateStore([tmp_path], lambda text: None).load().history == ["pipeline", "old", "natural", "older"]
    mine_a.push_history("gas")  # A again, after B's save: B's entry stays
    assert a.save(mine_a)
    assert StateStore([tmp_path], lambda text: None).load().history == ["gas", "pipeline", "old", "natural", "older"]
