"""Apply the user's config (`core.config.Config`) to a running app: theme and keymap.

The core validates types; what only the Textual layer knows is checked here: that the theme
exists and that each keymap entry names a real binding id. Every problem is one warning
notification naming the config file; nothing here raises.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode

from core.config import Config


def _declared_bindings() -> Iterator[Binding]:
    """Every `Binding` with an id in the BINDINGS of a loaded Textual class (app, widgets, screens)."""
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id is not None:
                yield binding


def binding_ids() -> set[str]:
    """Every binding id declared by a loaded class: what `[keys]` in the config may name."""
    return {binding.id for binding in _declared_bindings() if binding.id is not None}


def binding_rows(config: Config) -> list[tuple[str, str, str]]:
    """(binding id, keys in effect under `config`, description) for every binding with an id."""
    rows: dict[str, tuple[str, str, str]] = {}
    for binding in _declared_bindings():
        ident = binding.id
        if ident is not None and ident not in rows:
            rows[ident] = (ident, config.keys.get(ident, binding.key), binding.description or "")
    return sorted(rows.values())


def keymap_problems(config: Config) -> list[str]:
    """One line per keymap entry whose binding id no loaded class declares."""
    known = binding_ids()
    where = config.path if config.path is not None else "config"
    return [
        f"{where}: keys.{ident}: no binding has this id; ignored (`newsdesk config --bindings` lists them)"
        for ident in sorted(config.keys)
        if ident not in known
    ]


def apply_config(app: App[int], config: Config) -> None:
    """Set `app`'s theme and keymap from `config`; notify each problem once."""
    problems = list(config.warnings)
    if config.theme != app.theme:
        if config.theme in app.available_themes:
            app.theme = config.theme
        else:
            names = ", ".join(sorted(app.available_themes))
            problems.append(f"{config.path}: unknown theme {config.theme!r}; keeping {app.theme!r} (themes: {names})")
    problems += keymap_problems(config)
    known = binding_ids()
    keymap = {ident: keys for ident, keys in config.keys.items() if ident in known}
    if keymap:
        app.set_keymap(keymap)
    for problem in problems:
        app.notify(problem, title="Config", severity="warning", markup=False, timeout=10)
