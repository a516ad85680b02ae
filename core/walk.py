"""The walk of the paths given to a load: which files to read, in a stable order.

Directories are walked recursively in sorted order, hidden entries and the cache directory
are passed over, a linked folder is walked once (no loops), and a link that leads out of the
given paths is not followed unless asked (`follow_links`). Whatever cannot be looked at is
reported once as a `Skipped(path, reason)`, and the walk goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from core.errors import Skipped, SkipHandler
from core.paths import cache_dir, display_path
from core.snapshot import FileSignature

SignedFile = tuple[str, str, FileSignature]
"""A file to read: its display name, its path as the walk found it, and its size and mtime."""


def iter_files(paths: Iterable[Path], report: SkipHandler, *, follow_links: bool = False) -> Iterator[Path]:
    """Files under `paths` in a stable order; named files are always included, links that
    lead out of `paths` only with `follow_links`."""
    for path, _ in file_entries(paths, report, follow_links):
        yield Path(path)


def file_entries(
    paths: Iterable[Path], report: SkipHandler, follow_links: bool = False
) -> Iterator[tuple[str, os.DirEntry[str] | None]]:
    """`iter_files` as path strings, each with its directory entry when a walk found it."""
    paths = list(paths)
    excluded = _resolved(cache_dir())
    given = _roots(paths)
    roots = None if follow_links else given
    for path in paths:
        try:  # is_dir/exists raise (EACCES) for a path in a folder we may not search
            is_dir = path.is_dir()
            exists = is_dir or path.exists()
        except OSError as error:
            report(Skipped(display_path(path), _reason(error)))
            continue
        if is_dir:
            for entry in _walk(path, excluded, report, roots=roots, given=given):
                yield entry.path, entry
        elif exists:
            yield os.fspath(path), None
        else:
            report(Skipped(display_path(path), "no such file or directory"))


LINK_OUTSIDE = "link to a {kind} outside the given paths (use --follow-links)"
LINK_ABOVE = "link to {where} (not followed, even with --follow-links)"
_SYSTEM_FOLDERS = ("/proc", "/sys", "/dev")
"""The kernel's own files: endless, some block when read, and none is an article."""


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return None


def _roots(paths: Iterable[Path]) -> tuple[str, ...]:
    """The given paths, links resolved: what a link found in a walk may lead into."""
    return tuple(str(real) for real in map(_resolved, paths) if real is not None)


def _inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _link_outside(entry: os.DirEntry[str], roots: tuple[str, ...]) -> str | None:
    """Why a walked link is not followed (it leads out of the given paths), or None.

    A dangling link is let through: reading it fails with the plain reason, and it
    reveals nothing."""
    real = _resolved(Path(entry.path))
    if real is None or not real.exists() or _inside(str(real), roots):
        return None
    return LINK_OUTSIDE.format(kind="folder" if entry.is_dir() else "file")


def _link_above(entry: os.DirEntry[str], given: tuple[str, ...]) -> str | None:
    """Why a followed link is not followed all the same, or None: it leads to a folder above
    the given paths (`/`, `..`: the whole disk, the corpus read again from above) or into
    the kernel's files."""
    real = _resolved(Path(entry.path))
    if real is None or not real.is_dir():
        return None
    if _inside(str(real), _SYSTEM_FOLDERS):
        return LINK_ABOVE.format(where="the system's own files")
    if any(root != str(real) and _inside(root, (str(real),)) for root in given):
        return LINK_ABOVE.format(where="a folder above the given paths")
    return None


def _walk(
    directory: Path,
    excluded: Path | None,
    report: SkipHandler,
    visited: set[Path] | None = None,
    *,
    roots: tuple[str, ...] | None = None,
    given: tuple[str, ...] = (),
) -> Iterator[os.DirEntry[str]]:
    """Depth-first in name order, files and folders interleaved (like `find | sort`).

    Symlinked folders are followed once each: a folder already walked (a link loop, or two
    links to one place) is not walked again. With `roots`, a link (to a file or a folder)
    that resolves outside them is reported and not followed. An entry that cannot even be
    looked at (a link into a folder we may not search) is reported and passed over.

    The folders being walked are a stack, not a recursion: a tree nested deeper than
    Python's recursion limit is walked to its bottom like any other.
    """
    visited = set() if visited is None else visited
    real = _resolved(directory)
    listing = _listing(directory, real, excluded, report, visited)
    stack = [(listing, real)] if listing is not None else []
    while stack:
        entries, real = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            outside = _link_outside(entry, roots) if roots is not None and entry.is_symlink() else None
            if outside is None and roots is None and entry.is_symlink():
                outside = _link_above(entry, given)
            is_dir = outside is None and entry.is_dir()
        except OSError as error:
            report(Skipped(display_path(entry.path), _reason(error)))
            continue
        if outside is not None:
            report(Skipped(display_path(entry.path), outside))
        elif is_dir:
            # A folder that is no link is where its parent is: resolving each folder of a
            # deep tree from the root costs time growing with the square of the depth.
            inner = _resolved(Path(entry.path)) if real is None or entry.is_symlink() else real / entry.name
            if (listing := _listing(Path(entry.path), inner, excluded, report, visited)) is not None:
                stack.append((listing, inner))
        else:
            yield entry


def _listing(
    directory: Path, real: Path | None, excluded: Path | None, report: SkipHandler, visited: set[Path]
) -> Iterator[os.DirEntry[str]] | None:
    """The entries of `directory` (whose links resolve to `real`) in name order, or None when
    it is not to be walked (walked already, the cache, or unreadable: then reported)."""
    if real is None or real in visited or real == excluded:
        return None
    visited.add(real)
    try:
        with os.scandir(directory) as scan:
            return iter(sorted(scan, key=lambda entry: entry.name))
    except OSError as error:
        report(Skipped(str(directory), _reason(error)))
        return None


def signed_files(paths: Sequence[Path], report: SkipHandler, follow_links: bool = False) -> list[SignedFile]:
    """Every file to read with its size and mtime, in walk order.

    Paths stay strings and a walked file's status comes from its directory entry: making a
    `Path` of each file and statting it again would be a large share of the walk's cost."""
    signed = []
    for path, entry in file_entries(paths, report, follow_links):
        try:
            status = entry.stat() if entry is not None else os.stat(path)
            signed.append((display_path(path), path, FileSignature(status.st_size, status.st_mtime_ns)))
        except OSError as error:
            report(Skipped(display_path(path), error.strerror or type(error).__name__))
    return signed
