"""A state file nested past the JSON parser's depth is moved aside like any corrupt one;
it raised RecursionError out of `load`, which `parse --where kind:bookmarked` printed as a
traceback and the dashboard's load worker died of."""

from __future__ import annotations

from pathlib import Path

from core.state import CorpusState, StateStore


def test_a_deeply_nested_state_file_is_moved_aside(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = StateStore([corpus], print)
    store.save(CorpusState(read={"a"}))
    content = b"[" * 100_000 + b"]" * 100_000
    store.path.write_bytes(content)
    warnings: list[str] = []
    assert StateStore([corpus], warnings.append).load() == CorpusState()
    assert len(warnings) == 1 and "nested too deeply" in warnings[0] and "moved aside" in warnings[0], warnings
    assert [p.read_bytes() for p in store.path.parent.iterdir() if ".corrupt-" in p.name] == [content]
