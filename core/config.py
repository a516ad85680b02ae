"""The user's config file: `config.toml` in `core.paths.config_dir()` (or a `--config FILE`).

    engine = "yake-rust"        # keyword engine for the app, `keywords` and `index`
    theme = "textual-dark"      # any Textual theme name
    top = 10                    # keywords kept per article
    max_sessions = 4            # browser sessions `newsdesk serve` runs at once
    max_decompressed_mib = 1024 # what compressed files (.gz, Parquet) of one corpus may inflate to

    [keys]                      # keymap overrides: binding id = keys (comma-separated)
    quit = "ctrl+q"             # an id without a dot means "app.<id>"
    "list.down" = "j,down,ctrl+n"

Loading never fails: a missing file means defaults; a file that cannot be read or is not
TOML, an unknown key or a value of the wrong type each give one warning line naming the
file and the problem, and the default is used for what was wrong (the rest of the file
still applies). Only `load_config(explicit_path)` for a file that does not exist is an
error, because the user named it. Binding ids and theme names are checked by the app
(they live in the Textual layer, which the core never imports).
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from core.keyword_engines import DEFAULT_ENGINE, ENGINES
from core.keywords import TOP_DEFAULT
from core.paths import config_dir

CONFIG_NAME: Final = "config.toml"
DEFAULT_THEME: Final = "textual-dark"
TOP_MAX: Final = 100
"""The largest `top` accepted (keywords kept per article)."""
MAX_SESSIONS_DEFAULT: Final = 4
MAX_SESSIONS_LIMIT: Final = 64
"""The largest `max_sessions` accepted: each browser session is a whole app process."""
MAX_DECOMPRESSED_MIB_DEFAULT: Final = 1024
"""What the compressed files of one corpus may inflate to, all together (MiB)."""
MAX_DECOMPRESSED_MIB_MAX: Final = 1024 * 1024
MAX_DECOMPRESSED_ENV: Final = "NEWSDESK_MAX_DECOMPRESSED_MIB"

_KEY_STRING = re.compile(r"^[^\s,]+(,[^\s,]+)*$")


class ConfigError(Exception):
    """A config file the user named explicitly does not exist or is not a file."""


@dataclass(frozen=True, slots=True)
class Config:
    """The effective configuration: defaults overlaid with what the file says."""

    engine: str = DEFAULT_ENGINE
    """Keyword engine (one of core.keyword_engines.ENGINES)."""
    theme: str = field(default_factory=lambda: default_theme())
    """Textual theme name; the app checks it exists."""
    top: int = TOP_DEFAULT
    """Keywords kept per article (extraction and `keywords --per-article`)."""
    max_sessions: int = MAX_SESSIONS_DEFAULT
    """Browser sessions (app processes) `newsdesk serve` runs at once."""
    max_decompressed_mib: int = field(default_factory=lambda: default_max_decompressed_mib())
    """What the compressed files of one corpus may inflate to, all together (MiB)."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Keymap overrides: binding id (e.g. "app.quit") -> keys (e.g. "ctrl+q")."""
    path: Path | None = None
    """The file these values were read from (None: no file, all defaults)."""
    warnings: tuple[str, ...] = ()
    """One line per problem found while loading."""

    def to_toml(self) -> str:
        """The effective values as TOML (what `newsdesk config` prints); reads back equal."""
        lines = [
            f"engine = {_toml_string(self.engine)}",
            f"theme = {_toml_string(self.theme)}",
            f"top = {self.top}",
            f"max_sessions = {self.max_sessions}",
            f"max_decompressed_mib = {self.max_decompressed_mib}",
            "",
            "[keys]",
        ]
        lines += [f"{_toml_string(ident)} = {_toml_string(keys)}" for ident, keys in sorted(self.keys.items())]
        return "\n".join(lines) + "\n"


def default_theme() -> str:
    """The theme when the file names none: TEXTUAL_THEME (Textual's own variable) or textual-dark."""
    return os.environ.get("TEXTUAL_THEME", "").strip() or DEFAULT_THEME


def default_max_decompressed_mib() -> int:
    """The cap when the file sets none: NEWSDESK_MAX_DECOMPRESSED_MIB (a whole number of MiB)
    or MAX_DECOMPRESSED_MIB_DEFAULT; a value that is not a valid number is ignored."""
    raw = os.environ.get(MAX_DECOMPRESSED_ENV, "").strip()
    if raw.isdigit() and 1 <= int(raw) <= MAX_DECOMPRESSED_MIB_MAX:
        return int(raw)
    return MAX_DECOMPRESSED_MIB_DEFAULT


def default_path() -> Path:
    """Where the config file is looked for: NEWSDESK_CONFIG_DIR or the platform config dir."""
    return config_dir() / CONFIG_NAME


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The file that is (or would be) read: `explicit` when given, else `default_path()`."""
    return Path(explicit).expanduser() if explicit is not None else default_path()


def load_config(explicit: str | os.PathLike[str] | None = None) -> Config:
    """Read the config file (`explicit`, else the default location) into a Config.

    Raises:
        ConfigError: only when `explicit` is given and is not an existing file.
    """
    path = config_path(explicit)
    try:  # is_file/exists raise (EACCES) for a file in a directory we may not search
        if explicit is not None and not path.is_file():
            raise ConfigError(f"config file not found: {path}")
        if not path.exists():
            return Config()
    except OSError as error:
        return Config(path=path, warnings=(f"{path}: cannot read the config file ({_reason(error)}); using defaults",))
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        return Config(path=path, warnings=(f"{path}: cannot read the config file ({_reason(error)}); using defaults",))
    except tomllib.TOMLDecodeError as error:
        return Config(path=path, warnings=(f"{path}: not valid TOML ({error}); using defaults",))
    except RecursionError:  # tomllib's parser recurses into nested arrays and tables
        return Config(path=path, warnings=(f"{path}: not valid TOML (nested too deeply); using defaults",))
    return parse_config(data, path)


def parse_config(data: Mapping[str, Any], path: Path) -> Config:
    """Validate parsed TOML `data` from `path`; wrong or unknown entries become warnings."""
    warnings: list[str] = []
    values: dict[str, Any] = {}

    def warn(problem: str) -> None:
        warnings.append(f"{path}: {problem}")

    for name, value in data.items():
        if name == "engine":
            if isinstance(value, str) and value in ENGINES:
                values["engine"] = value
            else:
                warn(f"engine must be one of {', '.join(ENGINES)}, not {_show(value)}; using {DEFAULT_ENGINE!r}")
        elif name == "theme":
            if isinstance(value, str) and value.strip():
                values["theme"] = value.strip()
            else:
                warn(f"theme must be a theme name (a string), not {_show(value)}; using {default_theme()!r}")
        elif name == "top":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= TOP_MAX:
                values["top"] = value
            else:
                warn(f"top must be a whole number from 1 to {TOP_MAX}, not {_show(value)}; using {TOP_DEFAULT}")
        elif name == "max_sessions":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_SESSIONS_LIMIT:
                values["max_sessions"] = value
            else:
                warn(
                    f"max_sessions must be a whole number from 1 to {MAX_SESSIONS_LIMIT}, not {_show(value)}; "
                    f"using {MAX_SESSIONS_DEFAULT}"
                )
        elif name == "max_decompressed_mib":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DECOMPRESSED_MIB_MAX:
                values["max_decompressed_mib"] = value
            else:
                warn(
                    f"max_decompressed_mib must be a whole number from 1 to {MAX_DECOMPRESSED_MIB_MAX}, not {_show(value)};"
                    f" using {default_max_decompressed_mib()}"
                )
        elif name == "keys":
            if isinstance(value, dict):
                values["keys"] = _parse_keys(value, warn)
            else:
                warn(f"keys must be a table ([keys]), not {_show(value)}; ignored")
        else:
            warn(f"unknown setting {name!r} ignored (known: engine, theme, top, max_sessions, max_decompressed_mib, keys)")
    return Config(**values, path=path, warnings=tuple(warnings))


def _parse_keys(table: Mapping[str, Any], warn: Any) -> dict[str, str]:
    """Flatten `[keys]` (dotted TOML keys nest) to binding id -> keys; bare names mean app.*."""
    keys: dict[str, str] = {}
    for ident, value in _flatten(table):
        if "." not in ident:
            ident = f"app.{ident}"
        if not isinstance(value, str) or not _KEY_STRING.match(value.strip()):
            warn(f"keys.{ident} must be a key string like \"ctrl+q\" or \"j,down\", not {_show(value)}; ignored")
            continue
        keys[ident] = value.strip()
    return keys


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for name, value in table.items():
        ident = f"{prefix}{name}"
        if isinstance(value, dict):
            items += _flatten(value, f"{ident}.")
        else:
            items.append((ident, value))
    return items


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error)


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes are valid TOML; DEL and the C1 controls (0x9B is
    a CSI to a terminal, and `newsdesk config` prints this) must be escaped too."""
    return _C1.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(value, ensure_ascii=False))


_C1 = re.compile("[\x7f-\x9f]")


__all__ = [
    "CONFIG_NAME", "Config", "ConfigError", "DEFAULT_THEME", "MAX_SESSIONS_DEFAULT", "MAX_SESSIONS_LIMIT",
    "config_path", "default_max_decompressed_mib", "default_path", "load_config", "parse_config",
]
