"""SIGKILL during `newsdesk index`, again and again at seeded random points.

The first kill lands at a random time in start-up (0.2-1.0 s: imports, parsing, the snapshot's
write, the cache's read). The others land at random points of extraction, drawn as fractions of
the work left (5-30 %) and watched on the progress bar, so they fall mid-run however fast the
machine extracts; the last one lands right after a flush, so a next run always has something
to recover.

The group is stopped (SIGSTOP) at each kill point while the cache is read, then killed: the
cache read just before the kill is the cache the kill meets. The whole process group dies each time (the command, its forkserver and pool workers). After
every kill the cache must read without a warning and still hold every keyword list it held just
before the kill; the next run must start from what was cached (its first progress frame on the
terminal counts it), and once a run is left alone to finish, its summary counts what it
recovered and the cache equals that of a clean uninterrupted run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

from tests.faults.harness import PROGRESS, Run, Runs, cache_contents, child_env, summary_of, warning_lines, write_jsonl_corpus

COUNT = 1200  # 2-8 s of extraction on two cores; the kills leave at least a third of it
KILLS = 5
SEED = 1234


def _wait(predicate: Callable[[], bool], what: str, run: Run, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert run.running(), f"the run ended while waiting for {what}: {run.tty_text()!r}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _done(run: Run) -> int:
    """Articles done, as the run's latest progress frame says (-1 before the first)."""
    frames = PROGRESS.findall(run.tty_text())
    return int(frames[-1][0]) if frames else -1


def _segments(cache: Path) -> int:
    return sum(1 for _ in cache.glob("keywords/*/seg-*.parquet"))


def test_repeated_sigkill_during_index_loses_nothing(tmp_path: Path, runs: Runs) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", COUNT)
    cache = tmp_path / "cache"
    rng = random.Random(SEED)
    kept: dict = {}  # the cache as the previous kill left it
    history: list[str] = []
    for kill in range(1, KILLS + 1):
        run = runs.start(["index", str(corpus)], child_env(cache), tty_stderr=True)
        if kill == 1:
            # Anywhere in start-up: imports, parsing, the corpus snapshot's write, the cache's read.
            delay = rng.uniform(0.2, 1.0)
            time.sleep(max(0.0, run.started + delay - time.monotonic()))
            point = f"+{delay:.2f}s"
        else:
            fraction = rng.uniform(0.05, 0.30)
            target = len(kept) + max(1, round((COUNT - len(kept)) * fraction))
            if kill == KILLS:
                segments = _segments(cache)
                _wait(lambda: _segments(cache) > segments, "a flush", run)
                point = f"a flush ({_done(run)}/{COUNT} done)"
            else:
                _wait(lambda: _done(run) >= target, f"{target} articles done", run)
                point = f"{_done(run)}/{COUNT} done"
        # Frozen at the kill point: reading the cache takes long enough for a running
        # extraction to write the rest of the corpus before the kill lands.
        run.stop_group()
        assert run.running(), f"kill {kill}: the run ended before it: {run.tty_text()!r}"
        before, warnings = cache_contents(cache)
        assert warnings == []
        run.kill_group()
        assert run.wait_group_gone(), f"kill {kill}: a process of the killed group survived SIGKILL"

        after, warnings = cache_contents(cache)
        assert warnings == [], f"kill {kill} left a cache file readers reject: {warnings}"
        assert before.keys() <= after.keys(), f"kill {kill} lost {len(before.keys() - after.keys())} cached articles"
        assert all(after[ident] == keywords for ident, keywords in before.items())
        assert all(after[ident] == keywords for ident, keywords in kept.items())
        frames = PROGRESS.findall(run.tty_text())
        if kill > 1:  # the first progress frame counts what the run found in the cache
            assert (int(frames[0][0]), int(frames[0][1])) == (len(kept), COUNT), frames[:1]
        history.append(f"kill {kill} at {point}: {len(before)} cached before, {len(after)} after")
        kept = after

    assert 0 < len(kept) < COUNT, history

    code, _, err = runs.start(["index", str(corpus)], child_env(cache)).finish()
    assert code == 0 and warning_lines(err) == [], err
    assert summary_of(err) == (COUNT, COUNT - len(kept), len(kept))
    final, warnings = cache_contents(cache)
    assert warnings == [] and len(final) == COUNT
    assert all(final[ident] == keywords for ident, keywords in kept.items())

    clean_cache = tmp_path / "clean"
    code, _, err = runs.start(["index", str(corpus)], child_env(clean_cache)).finish()
    assert code == 0 and summary_of(err) == (COUNT, COUNT, 0)
    clean, _ = cache_contents(clean_cache)
    assert final == clean
    print("; ".join(history) + f"; the final run recovered {len(kept)} of {COUNT}")
