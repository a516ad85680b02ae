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


def test_a_stopped_peer_holding_the_lock_costs_one_warning_not_a_hang(tmp_path: Path, monkeypatch) -> None:
    import signal
    import subprocess
    import sys
    import threading

    from core import state

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = StateStore([corpus], print)
    store.save(CorpusState(read={"a"}))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDWR)\nfcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)",
         str(store.lock_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        holder.send_signal(signal.SIGSTOP)  # a dashboard suspended with Ctrl-Z mid-save
        monkeypatch.setattr(state, "LOCK_WAIT_SECONDS", 0.5, raising=False)
        warnings: list[str] = []
        peer = StateStore([corpus], warnings.append)
        peer.load()
        results: list[bool] = []
        saver = threading.Thread(target=lambda: results.append(peer.save(CorpusState(read={"a", "b"}))), daemon=True)
        saver.start()
        saver.join(10)
        assert not saver.is_alive(), "the save waited on the stopped peer's lock"
        assert results == [False]
        assert len(warnings) == 1 and "held" in warnings[0] and "not saved" in warnings[0], warnings
        assert peer.save(CorpusState(read={"a", "c"})) is False and len(warnings) == 1  # one warning per store
    finally:
        holder.kill()
        holder.wait()
    assert StateStore([corpus], print).load() == CorpusState(read={"a"})


def test_a_lock_file_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = StateStore([corpus], print)
    store.save(CorpusState(read={"a"}))
    target = tmp_path / "elsewhere"
    store.lock_path.unlink()
    store.lock_path.symlink_to(target)
    warnings: list[str] = []
    peer = StateStore([corpus], warnings.append)
    assert peer.save(CorpusState(read={"b"})) is False
    assert not target.exists(), "the link was followed and a file made where it points"
    assert len(warnings) == 1 and "not saved" in warnings[0]
