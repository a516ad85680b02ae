"""Every on-disk location newsdesk uses (cache, state, config, bundled seeds), in one place.

Environment overrides: NEWSDESK_CACHE_DIR, NEWSDESK_STATE_DIR, NEWSDESK_CONFIG_DIR.
Tests point these at tmp_path instead of monkeypatching globals.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

APP_NAME = "newsdesk"


def _from_env(variable: str, default: str) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser() if value else Path(default)


def cache_dir() -> Path:
    """Where keyword caches and corpus snapshots live (not created here)."""
    return _from_env("NEWSDESK_CACHE_DIR", platformdirs.user_cache_dir(APP_NAME))


def state_dir() -> Path:
    """Where per-corpus user state lives (read marks, bookmarks, last filter)."""
    return _from_env("NEWSDESK_STATE_DIR", platformdirs.user_state_dir(APP_NAME))


def config_dir() -> Path:
    """Where the user's config.toml lives."""
    return _from_env("NEWSDESK_CONFIG_DIR", platformdirs.user_config_dir(APP_NAME))


def bundled_seeds() -> Path:
    """The sample corpus opened when no path is given: the project's `seeds/` folder."""
    return Path(__file__).resolve().parent.parent / "seeds"


def corpus_key(roots: Sequence[Path]) -> str:
    """A short stable name for the corpus made of `roots` (order and spelling don't matter)."""
    digest = hashlib.blake2b(digest_size=10)
    for root in sorted(str(p.resolve()) for p in roots):
        digest.update(root.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` as printable UTF-8 text: undecodable bytes and control characters as `\\xNN`,
    other invisible characters (a right-to-left override that shows `rtl\\u202etxt.exe` as
    `rtlexe.txt`, zero-width spaces) as `\\uNNNN`.

    A file name is bytes. It may hold bytes that are not UTF-8 (Python keeps them as lone
    surrogates, which Polars and the terminal reject: `parse` crashed on such a name) or an
    escape sequence (which would drive the terminal wherever the path is shown). Escaped,
    the name stays recognisable and is safe to store and show.
    """
    text = os.fspath(path)
    if text.isprintable():  # the usual case: no control characters, no undecodable bytes
        return text
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return "".join(map(_visible, text))


def _visible(char: str) -> str:
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
