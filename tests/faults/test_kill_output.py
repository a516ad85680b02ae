"""`parse -o FILE` killed with SIGTERM while it writes: the old FILE is intact (the output is
written beside it and renamed), and the next run removes the temp file the killed one left.

The corpus is the bundled seed page under 600 titles (about 20 MB of JSONL out), so the
write lasts long enough to be caught: the directory is polled until the writer's temp file
appears, the process group is stopped there, sent SIGTERM and let go."""

from __future__ import annotations

import json
import os
import signal
import stat
import time
from pathlib import Path

from tests.core.conftest import SEED
from tests.faults.harness import Runs, child_env

OLD = '{"title": "yesterday\'s export, still needed"}\n'


def seed_corpus(directory: Path, copies: int = 600) -> Path:
    directory.mkdir()
    body = SEED.read_text(encoding="utf-8")
    with (directory / "articles.jsonl").open("w", encoding="utf-8") as out:
        for number in range(copies):
            out.write(json.dumps({"title": f"Copy {number} of the seed page", "body": body}) + "\n")
    return directory


def temps_of(directory: Path, name: str) -> list[Path]:
    return [p for p in directory.iterdir() if p.name.startswith(".tmp-") and p.name.endswith(f"-{name}")]


def finished(out_dir: Path, target: Path) -> bool:
    """The whole output is in place (stopped too late to test anything)."""
    return not temps_of(out_dir, target.name) and target.read_text(encoding="utf-8").count("\n") == 600


def test_sigterm_mid_write_keeps_the_old_output(tmp_path: Path, runs: Runs) -> None:
    corpus = seed_corpus(tmp_path / "corpus")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "articles.jsonl"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    env = child_env(tmp_path / "cache")

    for _ in range(5):  # again when a busy machine let the write finish between two looks
        run = runs.start(["parse", str(corpus), "-o", str(target)], env)
        deadline = time.monotonic() + 120
        caught = False
        while run.running() and time.monotonic() < deadline:
            temps = temps_of(out_dir, target.name)
            changed = target.stat().st_size != len(OLD)
            if (temps and temps[0].stat().st_size > 0) or changed:  # the write has begun
                run.stop_group()
                caught = not finished(out_dir, target)
                break
            time.sleep(0.0005)
        if caught:
            break
        run.close()
        target.write_text(OLD, encoding="utf-8")
    assert caught, "the write was never seen (the run ended first or timed out)"
    os.kill(run.pgid, signal.SIGTERM)
    os.killpg(run.pgid, signal.SIGCONT)
    run.process.wait(timeout=30)
    assert run.process.returncode == -signal.SIGTERM

    assert target.read_text(encoding="utf-8") == OLD
    left = temps_of(out_dir, target.name)
    assert len(left) == 1 and left[0].stat().st_size > 0  # killed mid-write, not before or after

    again = runs.start(["parse", str(corpus), "-o", str(target)], env)
    code, _, err = again.finish()
    assert code == 0, err
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 600 and json.loads(lines[0])["title"] == "Copy 0 of the seed page"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert temps_of(out_dir, target.name) == []
