"""What the fault tests share: a generated corpus on disk, the real `newsdesk` command run in its
own process group (so a SIGKILL reaches pool workers too), stderr on a pseudo-terminal (to see the
progress bar a user sees), capability dropping (root ignores file modes), and mounts.

Nothing here is a mock: every helper starts real processes, sends real signals or mounts real
filesystems, and says plainly when the machine does not allow it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from core.cache import KeywordCache
from core.keyword_rules import Keyword
from core.keywords import ExtractorParams
from tests.core.conftest import REPO, generated_articles

_SCRIPT = Path(sys.executable).parent / "newsdesk"
NEWSDESK: list[str] = [str(_SCRIPT)] if _SCRIPT.exists() else [sys.executable, "-m", "tui.cli"]
"""The installed `newsdesk` entry point (what `uv run newsdesk` runs), without uv's start-up."""

SUMMARY = re.compile(r"^indexed (\d+) articles \((\d+) extracted, (\d+) cached\) in [\d.]+s, \d+ docs/s$", re.M)
PROGRESS = re.compile(r"\] (\d+)/(\d+) ")
WARNING_PREFIX = "newsdesk: warning: "

# linux/capability.h and linux/prctl.h
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE = 1
_CAP_DAC_READ_SEARCH = 2


def write_jsonl_corpus(directory: Path, count: int, sentences: int = 4, seed: int = 7) -> Path:
    """`count` distinct generated articles as one JSONL file in `directory`; returns `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    articles = generated_articles(count, sentences_per_article=sentences, seed=seed)
    with (directory / "articles.jsonl").open("w", encoding="utf-8") as out:
        for title, body in articles.select("title", "body").iter_rows():
            out.write(json.dumps({"title": title, "body": body}) + "\n")
    return directory


def cache_contents(cache_root: Path) -> tuple[dict[str, list[Keyword]], list[str]]:
    """Every keyword list in the cache under `cache_root` (default engine), and the warnings reading it gave."""
    warnings: list[str] = []
    return KeywordCache(ExtractorParams(), cache_root, warn=warnings.append).load(), warnings


def child_env(cache_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment with the cache at `cache_dir` (state and config stay isolated)."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NEWSDESK_CACHE_DIR"] = str(cache_dir)
    env.update(extra)
    return env


def _capset_drop_dac() -> None:
    """preexec_fn: drop the capabilities that let root ignore file modes (for the exec'd program)."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def file_modes_apply() -> bool:
    """True when this process is subject to file modes, or can drop the capabilities that bypass them."""
    if os.geteuid() != 0:
        return True
    with tempfile.TemporaryDirectory() as directory:
        locked = Path(directory) / "locked"
        locked.write_text("x")
        locked.chmod(0)
        probe = subprocess.run(
            [sys.executable, "-c", "import sys; open(sys.argv[1])", str(locked)],
            preexec_fn=_capset_drop_dac,
            capture_output=True,
            text=True,
            timeout=20,
        )
    return "PermissionError" in probe.stderr


def without_root_file_access() -> Callable[[], None] | None:
    """A preexec_fn that makes file modes apply to a root child (None when not root)."""
    return _capset_drop_dac if os.geteuid() == 0 else None


class Run:
    """One `newsdesk` process in its own session and process group; stderr optionally on a pty."""

    def __init__(
        self,
        args: Sequence[str],
        env: dict[str, str],
        *,
        tty_stderr: bool = False,
        preexec_fn: Callable[[], None] | None = None,
    ) -> None:
        self._chunks: list[bytes] = []
        self._master: int | None = None
        self._reader: threading.Thread | None = None
        slave: int | None = None
        if tty_stderr:
            self._master, slave = os.openpty()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [*NEWSDESK, *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=slave if slave is not None else subprocess.PIPE,
            start_new_session=True,
            preexec_fn=preexec_fn,
        )
        self.pgid = self.process.pid  # start_new_session: the child leads its own group
        if slave is not None:
            os.close(slave)
            self._reader = threading.Thread(target=self._drain_pty, daemon=True)
            self._reader.start()

    def _drain_pty(self) -> None:
        assert self._master is not None
        while True:
            try:
                chunk = os.read(self._master, 65536)
            except OSError as error:  # EIO: every writer of the pty has exited
                if error.errno != errno.EIO:
                    raise
                return
            if not chunk:
                return
            self._chunks.append(chunk)

    def running(self) -> bool:
        return self.process.poll() is None

    def kill_group(self) -> None:
        """SIGKILL every process of the group (the command, its forkserver and pool workers)."""
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the whole group has already exited

    def stop_group(self) -> None:
        """SIGSTOP every process of the group, so the cache holds still while it is read."""
        try:
            os.killpg(self.pgid, signal.SIGSTOP)
        except ProcessLookupError:
            pass  # the whole group has already exited

    def group_alive(self) -> bool:
        try:
            os.killpg(self.pgid, 0)
        except ProcessLookupError:
            return False
        return True

    def wait_group_gone(self, timeout: float = 10.0) -> bool:
        """Reap the leader, then wait until no process of the group is left."""
        self.process.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while self.group_alive():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def finish(self, timeout: float = 120.0) -> tuple[int, str, str]:
        """Wait for the command; returns (exit code, stdout, stderr)."""
        try:
            out, err = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()
            raise
        return self.process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace") if err else self.tty_text()

    def tty_text(self) -> str:
        """What was written to the pty so far (or all of it, once the process has exited)."""
        if self._reader is not None and not self.running():
            self._reader.join(timeout=5)
        return b"".join(self._chunks).decode("utf-8", "replace")

    def close(self) -> None:
        """Kill what is left of the group and release the pty."""
        self.kill_group()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass  # reported by the caller's assertion on group_alive
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self._master is not None:
            os.close(self._master)
            self._master = None


class Runs:
    """Starts `newsdesk` processes and kills every group it started when the test ends."""

    def __init__(self) -> None:
        self.started: list[Run] = []

    def start(self, args: Sequence[str], env: dict[str, str], **options: object) -> Run:
        run = Run(args, env, **options)  # type: ignore[arg-type]
        self.started.append(run)
        return run

    def close(self) -> None:
        for run in self.started:
            run.close()


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(WARNING_PREFIX)]


def summary_of(stderr: str) -> tuple[int, int, int]:
    """(articles, extracted, cached) from `newsdesk index`'s summary line."""
    match = SUMMARY.search(stderr)
    assert match is not None, f"no summary line in:\n{stderr}"
    total, extracted, cached = (int(group) for group in match.groups())
    return total, extracted, cached


def frame_of(cache: dict[str, list[Keyword]]) -> pl.DataFrame:
    rows = [(ident, rank, k.keyword, k.key, k.score) for ident, kws in sorted(cache.items()) for rank, k in enumerate(kws, 1)]
    return pl.DataFrame(rows, schema=["id", "rank", "keyword", "key", "score"], orient="row")


def _run_quiet(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=30)


def mount_allowed() -> bool:
    """True when this process may mount (root with CAP_SYS_ADMIN, as on a plain CI machine)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    probe = Path(f"/tmp/newsdesk-mount-probe-{uuid.uuid4().hex[:8]}")
    probe.mkdir()
    try:
        if _run_quiet(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)]).returncode != 0:
            return False
        _run_quiet(["umount", str(probe)])
        return True
    finally:
        probe.rmdir()


@contextmanager
def tmpfs(directory: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `directory` for the duration; unmounted after."""
    directory.mkdir(parents=True, exist_ok=True)
    done = _run_quiet(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(directory)])
    assert done.returncode == 0, done.stderr
    try:
        yield directory
    finally:
        _run_quiet(["umount", "-l", str(directory)])


def remount_tmpfs(directory: Path, size: str) -> None:
    done = _run_quiet(["mount", "-o", f"remount,size={size}", str(directory)])
    assert done.returncode == 0, done.stderr


@contextmanager
def bind_read_only(directory: Path) -> Iterator[None]:
    """Turn `directory` read-only in place (a read-only bind mount of itself); undone after."""
    done = _run_quiet(["mount", "--bind", str(directory), str(directory)])
    assert done.returncode == 0, done.stderr
    try:
        done = _run_quiet(["mount", "-o", "remount,bind,ro", str(directory)])
        assert done.returncode == 0, done.stderr
        yield
    finally:
        _run_quiet(["umount", "-l", str(directory)])
