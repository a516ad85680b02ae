"""Apply the user's config (`core.config.Config`) to a running app: theme and keymap.

The core validates types; what only the Textual layer knows is checked here: that the theme
exists, and what the `[keys]` table comes to once checked against the declared bindings
(`tui.keymap`: unknown ids, keys that cannot be bound, reserved keys and conflicts are
dropped). The problems are shown together in one warning notification, one line each,
naming the config file; nothing here raises. `newsdesk config` prints the same lines on
stderr and only the keys in effect.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App
from textual.binding import Binding, BindingType

from core.config import Config
from core.sanitize import for_display
from tui.keymap import RESERVED, declared, resolve


def _where(config: Config) -> str:
    return str(config.path) if config.path is not None else "config"


def effective_keys(config: Config) -> dict[str, str]:
    """Binding id -> keys, for the `[keys]` entries of `config` that are in effect."""
    return resolve(config.keys, _where(config)).keys


def keymap_problems(config: Config) -> list[str]:
    """One line per `[keys]` problem of `config`: unknown id, unbindable, reserved or taken key."""
    return resolve(config.keys, _where(config)).problems


def binding_rows(config: Config, groups: Sequence[tuple[str, Sequence[BindingType]]]) -> list[tuple[str, str, str]]:
    """(binding id, keys in effect under `config`, description) for every binding with an id,
    then the keys without one in `groups` (what the help screen lists), which cannot be
    remapped: the text fields' and lists' own (`enter`) and the keys Textual reserves
    (`ctrl+p`, `ctrl+q`, `ctrl+c`)."""
    keys = effective_keys(config)
    rows = sorted(
        (ident, keys.get(ident, found.binding.key), found.binding.description or "")
        for ident, found in declared().items()
    )
    built_in = [
        (binding.key, f"{title}: {binding.description}")
        for title, bindings in groups
        for binding in bindings
        if isinstance(binding, Binding) and binding.id is None
    ]
    built_in += [(key, f"Everywhere: {description}") for key, (_, description) in RESERVED.items() if key not in {key for key, _ in built_in}]
    return rows + [("(built in)", key, f"{description} (cannot be remapped)") for key, description in built_in]


def apply_config(app: App[int], config: Config) -> None:
    """Set `app`'s theme and keymap from `config`; every problem in one notification."""
    problems = list(config.warnings)
    if config.theme != app.theme:
        if config.theme in app.available_themes:
            app.theme = config.theme
        else:
            names = ", ".join(sorted(app.available_themes))
            problems.append(f"{config.path}: unknown theme {config.theme!r}; keeping {app.theme!r} (themes: {names})")
    keymap = resolve(config.keys, _where(config))
    problems += keymap.problems
    if keymap.keys:
        app.set_keymap(keymap.keys)
    if problems:
        lines = [for_display(problem, one_line=True) for problem in problems]
        app.notify("\n".join(lines), title="Config", severity="warning", markup=False, timeout=10 + 2 * len(problems))
