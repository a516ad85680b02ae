"""Parquet files read in a child process, so a reader that crashes costs only that file.

Native Parquet code can panic (pyo3's PanicException derives from BaseException, not
Exception) or, misled by a damaged file, ask for exabytes and abort the whole process: in
the dashboard that would leave the terminal in the alternate screen. Here the reading runs
in one long-lived child (`python -m core.isolated`) per process that needs it; a file it
dies on becomes an UnreadableFile naming how it died, and the next file starts a new child.

The child's memory is capped (`memory_limit`, RLIMIT_DATA): a file whose footer understates
what it inflates to, which the parent's budget check cannot see, makes the child fail an
allocation and die over that file instead of taking the machine's memory.

The child runs in its own session (a Ctrl-C at the terminal is the parent's to handle, not
a reason to skip the file it is on), its stderr goes to a temporary file (a panic message
never reaches the terminal), and it ends when its stdin closes, which happens when the
parent exits however it exits, or when the parent is gone (a watch that does not wait for
the file being read, nor for a process that inherited the other end of the pipe).

Wire format, both ways: an 8-byte little-endian length, then that many bytes. A request is
the display path, then the file's bytes; a reply is a pickled ("ok", articles) or
("error", reason).
"""

from __future__ import annotations

import atexit
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any, BinaryIO

from core.corpus import RawArticle
from core.errors import UnreadableFile

READ_TIMEOUT_SECONDS = 600.0
"""How long a child may take over one file before it is stopped and the file skipped."""
MEMORY_ENV = "NEWSDESK_PARQUET_MEMORY_MIB"
"""Overrides the child's memory limit (MiB), for boxes where the default is too much or too little."""
DEFAULT_MEMORY_BYTES = 3 * 2**30
"""The child's default memory limit: a file at the per-file cap (256 MiB) and what it inflates
to as Python strings, with room; never more than half the machine's memory."""
OUT_OF_MEMORY_MARKERS = ("memory allocation of", "MemoryError", "Cannot allocate memory", "PyObject pointer is null")
"""How a failed allocation shows: Rust's abort message, Python's exception, the OS error, and
pyo3's report of an object it could not create."""
_LENGTH = struct.Struct("<Q")
_ROOT = str(Path(__file__).resolve().parent.parent)


def memory_limit() -> int:
    """The bytes of memory the reading child may use (MEMORY_ENV, else the default)."""
    override = os.environ.get(MEMORY_ENV, "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override) * 2**20
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return DEFAULT_MEMORY_BYTES
    return min(DEFAULT_MEMORY_BYTES, physical // 2)


def _write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)))
    stream.write(payload)


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    """`size` bytes from `stream`, or None at its end (the other side is gone)."""
    chunks: list[bytes] = []
    left = size
    while left:
        chunk = stream.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: IO[bytes]) -> bytes | None:
    header = _read_exactly(stream, _LENGTH.size)
    if header is None:
        return None
    return _read_exactly(stream, _LENGTH.unpack(header)[0])


class _Child:
    """One reader process and its pipes."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile()
        self.limit = memory_limit()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_ROOT, env.get("PYTHONPATH")]))
        env["RUST_BACKTRACE"] = "0"  # the reason is one line; a backtrace says nothing to a reader
        self.process = subprocess.Popen(
            [sys.executable, "-m", "core.isolated", str(os.getpid()), str(self.limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env=env,
            start_new_session=True,
        )

    def ask(self, shown: str, data: bytes) -> tuple[str, Any] | None:
        """The child's reply for one file, or None when it died (or took too long) over it."""
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        try:
            _write_frame(stdin, shown.encode("utf-8", "surrogateescape"))  # type: ignore[arg-type]
            _write_frame(stdin, data)  # type: ignore[arg-type]
            stdin.flush()
        except (BrokenPipeError, OSError):
            return None
        ready, _, _ = select.select([stdout], [], [], READ_TIMEOUT_SECONDS)
        if not ready:
            self.process.kill()
            return None
        reply = _read_frame(stdout)
        if reply is None:
            return None
        result: tuple[str, Any] = pickle.loads(reply)
        return result

    def death(self) -> str:
        """How the child ended (it is waited for), with the last line it wrote, if any."""
        try:
            code = self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        if code < 0:
            try:
                how = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"killed by signal {-code}"
        else:
            how = f"exit status {code}"
        self.errors.seek(0)
        text = self.errors.read()[-4096:].decode("utf-8", "replace")
        lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("note:")]
        if any(marker in text for marker in OUT_OF_MEMORY_MARKERS):
            return f"{how}: over its memory limit of {self.limit // 2**20} MiB, which {MEMORY_ENV} sets"
        return f"{how}: {lines[-1][:200]}" if lines else how

    def close(self) -> None:
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.errors.close()


_child: _Child | None = None
_lock = threading.Lock()


def read_parquet_isolated(data: bytes, shown: str) -> list[RawArticle]:
    """Parquet `data` read by the child process; UnreadableFile when it cannot be, or when
    the reader crashed on it (the next call starts a fresh child)."""
    global _child
    with _lock:
        if _child is None:
            _child = _Child()
        child = _child
        reply = child.ask(shown, data)
        if reply is None:
            _child = None
            how = child.death()
            child.close()
            raise UnreadableFile(f"the Parquet reader crashed on this file ({how})")
    kind, value = reply
    if kind == "error":
        raise UnreadableFile(str(value))
    articles: list[RawArticle] = value
    return articles


@atexit.register
def close_reader() -> None:
    """Stop the child process, if one was started (it also stops by itself when we exit)."""
    global _child
    with _lock:
        if _child is not None:
            _child.close()
            _child = None


def _answer(shown: str, data: bytes) -> tuple[str, Any]:
    from core import tables

    try:
        return ("ok", tables.read_parquet(data, shown))
    except UnreadableFile as error:
        return ("error", str(error))
    except BaseException as error:  # noqa: BLE001 (a Rust panic is a BaseException)
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            raise
        text = str(error).strip().splitlines()
        if isinstance(error, MemoryError) or any(marker in str(error) for marker in OUT_OF_MEMORY_MARKERS):
            return ("error", f"over the reader's memory limit of {_limit_mib()} MiB ({MEMORY_ENV} sets it)")
        return ("error", f"not a readable Parquet file ({text[0][:200] if text else type(error).__name__})")


def _serve(requests: IO[bytes], replies: BinaryIO) -> None:
    """Answer requests until stdin ends."""
    while True:
        name = _read_frame(requests)
        if name is None:
            return
        data = _read_frame(requests)
        if data is None:
            return
        reply = _answer(name.decode("utf-8", "surrogateescape"), data)
        del data
        _write_frame(replies, pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        replies.flush()


PARENT_CHECK_SECONDS = 0.5


def _end_with(parent: int) -> None:
    """End this process soon after `parent` ends: it was adopted by another process then."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _limit_mib() -> int:
    soft, _ = resource.getrlimit(resource.RLIMIT_DATA)
    return soft // 2**20 if soft != resource.RLIM_INFINITY else memory_limit() // 2**20


def _limit_memory(limit: int) -> None:
    """Cap this process's data segment and anonymous mappings (where Polars allocates)."""
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    except (ValueError, OSError):
        pass  # a hard limit already lower than ours stays in force, which is what we want


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        _end_with(int(sys.argv[1]))
    if len(sys.argv) > 2 and sys.argv[2].isdigit():
        _limit_memory(int(sys.argv[2]))
    _serve(sys.stdin.buffer, sys.stdout.buffer)
