"""Atomic file replacement: write to a temp file beside the target, then rename over it.

A reader sees the old file or the new one, never half of one; a writer killed mid-way
leaves only a temp file (`.tmp-<pid>-<random>-<name>`), which readers ignore and
`remove_stale_temps` deletes later. A replaced file keeps its permission bits (a 0600
file stays 0600). With `replace=False` the rename does not clobber a file that appeared
meanwhile (a hard link, which fails when the name exists), and with `make_parents=False`
a missing folder is an error rather than created.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
import uuid
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".tmp-"
STALE_TEMP_SECONDS = 3600
"""A temp file untouched this long is stale whatever its name says: a live writer keeps
writing to it, and a pid in its name may have been reused by an unrelated process."""
_TEMP_NAME = re.compile(rf"{re.escape(TEMP_PREFIX)}(?:(\d+)-)?[0-9a-f]{{32}}-(.+)", re.DOTALL)

Warn = Callable[[str], None]
"""Where a store reports a problem it recovered from: one line for the user."""


def write_atomic(
    target: Path, write: Callable[[Path], None], *, replace: bool = True, make_parents: bool = True
) -> None:
    """Call `write(temp_path)` then move the result onto `target`; raises OSError on failure
    (FileExistsError when `replace` is False and `target` exists)."""
    if make_parents:
        target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f"{TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex}-{target.name}")
    try:
        write(temp)
        mode = _mode_of(target)
        if mode is not None:
            os.chmod(temp, mode)
        if replace:
            os.replace(temp, target)
        else:
            _move_no_clobber(temp, target)
    finally:
        # A directory that cannot be written may not let the temp file go either; the
        # original error is the one worth raising (and readers ignore `.tmp-*` files).
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)


def _mode_of(target: Path) -> int | None:
    """The permission bits of the regular file at `target` (None when there is none)."""
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(status.st_mode) if stat.S_ISREG(status.st_mode) else None


def _move_no_clobber(temp: Path, target: Path) -> None:
    try:
        os.link(temp, target)  # fails with FileExistsError when the name is taken
    except FileExistsError:
        raise
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        # A filesystem without hard links: check, then rename (a narrow window, not none).
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target)) from error
        os.replace(temp, target)


def is_stale_temp(path: Path, now: float | None = None) -> bool:
    """True for a temp file of `write_atomic` that no live writer will finish: its writer's
    pid is not running on this machine, or it was not modified for STALE_TEMP_SECONDS."""
    match = _TEMP_NAME.fullmatch(path.name)
    if match is None:
        return False
    try:
        modified = path.lstat().st_mtime
    except OSError:
        return False
    if (time.time() if now is None else now) - modified > STALE_TEMP_SECONDS:
        return True
    pid = match.group(1)
    return pid is not None and not _running(int(pid))


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or a number no pid can be): not ours to judge
    return True


def remove_stale_temps(directory: Path, name: str | None = None) -> int:
    """Delete the stale temp files (`is_stale_temp`) in `directory`, only those of the file
    `name` when given; returns how many. Errors (a vanished or unwritable dir) are ignored."""
    removed = 0
    pattern = f"{TEMP_PREFIX}*" if name is None else f"{TEMP_PREFIX}*-{_glob_escape(name)}"
    try:
        candidates = list(directory.glob(pattern))
    except OSError:
        return 0
    now = time.time()
    for temp in candidates:
        match = _TEMP_NAME.fullmatch(temp.name)
        if match is None or (name is not None and match.group(2) != name):
            continue
        if is_stale_temp(temp, now):
            try:
                temp.unlink()
            except OSError:
                continue  # another process removed it first, or the dir is read-only
            removed += 1
    return removed


def _glob_escape(text: str) -> str:
    """`text` with glob's special characters matched literally."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def set_aside(path: Path, what: str, reason: str, warn: Warn) -> None:
    """Rename the unusable file `path` (a `what`, as the warning names it) to
    `<name>.corrupt-<time>`, so a fresh one can start without losing it; one warning either way."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.rename(aside)
    except OSError as error:
        warn(f"{what} {path} unusable ({reason}) and could not be moved aside: {error.strerror}")
        return
    warn(f"{what} {path} unusable ({reason}); moved aside to {aside.name}, starting fresh")

