"""The user's `[keys]` table checked against the bindings the app declares: what is in effect.

Every entry names a binding id and comma-separated keys. A key is dropped, with one warning
line, when:

- the id names no binding (the whole entry is ignored);
- the key is not one Textual can bind (`ctrl-p`, `ctrlp`, `hyper+`: a modifier is `ctrl`,
  `shift`, `alt`, `meta`, `super` or `hyper`, joined by `+` to a printable character or a
  key name such as `up`, `f5`, `enter` or `question_mark`);
- the key is one of RESERVED (the command palette's `ctrl+p`, quit's `ctrl+q`, copy's
  `ctrl+c`): Textual handles those before any binding of the app, so the user's binding would
  silently never fire; the built-in keeps its key (a binding whose action is the same, as
  `app.quit` to `ctrl+q`, is no conflict);
- the key is already in effect for another binding where both apply (`clashes`): the bindings
  of one pane or screen, and the app's own against those of the main screen's panes and of
  the screens that are not modal, which come first there. A key left to a binding by default
  stays with it; between two entries of the file, the first wins. Free a default key by
  remapping its binding too.

An entry whose keys are all dropped leaves its binding with its built-in keys.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import KEY_NAME_REPLACEMENTS, Keys, _character_to_key, key_to_character
from textual.screen import ModalScreen

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
KEY_NAMES = frozenset(
    name
    for name in {key.value.rpartition("+")[2] for key in Keys} | set(KEY_NAME_REPLACEMENTS.values())
    if len(name) > 1 and name.replace("_", "").isalnum()
)
"""Named keys Textual reports (`up`, `f5`, `enter`, `slash` ...); characters are named too."""

RESERVED: Mapping[str, tuple[str, str]] = {
    "ctrl+p": ("command_palette", "Command palette"),
    "ctrl+q": ("quit", "Quit"),
    "ctrl+c": ("copy_text", "Copy the selected text"),
}
"""Keys Textual binds before the app's own bindings: key -> (action, what it does)."""


@dataclass(frozen=True, slots=True)
class Declared:
    """A binding with an id, and the class whose BINDINGS hold it (its scope)."""

    binding: Binding
    owner: type[DOMNode]

    @property
    def keys(self) -> list[str]:
        return normalised(self.binding.key)


@dataclass(slots=True)
class Keymap:
    """What a `[keys]` table comes to: the overrides in effect and one line per problem."""

    keys: dict[str, str] = field(default_factory=dict)
    """Binding id -> the keys in effect for it, for the entries that changed anything."""
    problems: list[str] = field(default_factory=list)


def normalised(keys: str) -> list[str]:
    """`keys` (comma-separated) as Textual names them (`?` is `question_mark`), each once."""
    names: list[str] = []
    for key in keys.split(","):
        key = key.strip()
        name = _character_to_key(key) if len(key) == 1 else key
        if name and name not in names:
            names.append(name)
    return names


def bindable(key: str) -> bool:
    """Textual can bind `key` (already `normalised`)."""
    *modifiers, base = key.split("+")
    if not base or any(modifier not in MODIFIERS for modifier in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in KEY_NAMES or key_to_character(base) is not None


def declared() -> dict[str, Declared]:
    """Every binding with an id declared by a loaded Textual class (app, panes, screens), by id."""
    found: dict[str, Declared] = {}
    for binding, owner in _walk():
        if binding.id is not None:
            found.setdefault(binding.id, Declared(binding, owner))
    return found


def _walk() -> Iterator[tuple[Binding, type[DOMNode]]]:
    pending: list[type[DOMNode]] = [DOMNode]
    seen: set[type[DOMNode]] = set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                yield binding, cls


def clashes(mine: type[DOMNode], theirs: type[DOMNode], theirs_configured: bool) -> bool:
    """A key of a binding declared by `mine` would clash with the same key of one declared by
    `theirs` (configured by the user too, or built in).

    The bindings of one class clash. The app's bindings apply on the main screen's panes and on
    the screens that are not modal, after theirs: an app key that a pane or such a screen
    holds never fires there, so it clashes; a pane or screen key over a built-in app key is
    the usual shadowing (the overview's `q` closes it) and does not, but over a key the user
    gave an app binding it does (two keys of the file: the first wins)."""
    if mine is theirs:
        return True
    app_mine, app_theirs = issubclass(mine, App), issubclass(theirs, App)
    if app_mine == app_theirs:
        return False
    pane = theirs if app_mine else mine
    if issubclass(pane, ModalScreen):
        return False
    return app_mine or theirs_configured


def resolve(keys: Mapping[str, str], where: str) -> Keymap:
    """Check `keys` (binding id -> keys, in file order) against the declared bindings;
    `where` names the config file in the warnings, which come in file order."""
    bindings = declared()
    order = {ident: index for index, ident in enumerate(keys)}
    problems: list[tuple[int, str]] = []

    def warn(ident: str, problem: str) -> None:
        problems.append((order[ident], f"{where}: keys.{ident}: {problem}"))

    wanted: dict[str, list[str]] = {}
    for ident, text in keys.items():
        if ident not in bindings:
            warn(ident, "no binding has this id; ignored (`newsdesk config --bindings` lists them)")
            continue
        action = bindings[ident].binding.action.removeprefix("app.")
        accepted = []
        for key in normalised(text):
            if not bindable(key):
                warn(ident, f"{key!r} is not a key that can be bound; ignored (keys look like \"ctrl+q\", \"j\", \"f5\", \"up\")")
            elif key in RESERVED and RESERVED[key][0] != action:
                warn(ident, f"{key} is reserved for the {RESERVED[key][1].lower()}; ignored")
            else:
                accepted.append(key)
        if accepted:
            wanted[ident] = accepted
    # An entry left with no key keeps its binding's own keys, which another entry may have
    # taken: resolve again without it until every entry kept holds a key.
    conflicts: list[tuple[str, str, str]] = []
    while True:
        effective, dropped = _without_conflicts(wanted, bindings)
        emptied = {ident for ident in wanted if not effective[ident]}
        if not emptied:
            conflicts += dropped
            break
        conflicts += [conflict for conflict in dropped if conflict[0] in emptied]
        for ident in emptied:
            del wanted[ident]
    for ident, key, holder in conflicts:
        warn(ident, f"{key} is already the key of {holder}{_scope(bindings[holder].owner)}; ignored (remap {holder} too to free it)")
    return Keymap(
        keys={ident: ",".join(effective[ident]) for ident in wanted},
        problems=[problem for _, problem in sorted(problems, key=lambda item: item[0])],
    )


def _scope(owner: type[DOMNode]) -> str:
    return "" if issubclass(owner, App) else f" ({owner.__name__})"


def _without_conflicts(
    wanted: Mapping[str, list[str]], bindings: Mapping[str, Declared]
) -> tuple[dict[str, list[str]], list[tuple[str, str, str]]]:
    """The keys each binding holds once `wanted` (file order) is applied: a key already held
    where both apply is dropped. Returns (id -> keys, [(id, dropped key, holder id)])."""
    held = {ident: ([] if ident in wanted else list(declared_.keys)) for ident, declared_ in bindings.items()}
    dropped: list[tuple[str, str, str]] = []
    for ident, keys in wanted.items():
        owner = bindings[ident].owner
        for key in keys:
            holder = next(
                (
                    other
                    for other, other_keys in sorted(held.items())
                    if other != ident
                    and key in other_keys
                    and not _in_a_mode(ident, owner, other, bindings[other].owner)
                    and clashes(owner, bindings[other].owner, other in wanted)
                ),
                None,
            )
            if holder is None:
                held[ident].append(key)
            else:
                dropped.append((ident, key, holder))
    return held, dropped


def _in_a_mode(ident: str, owner: type[DOMNode], other: str, other_owner: type[DOMNode]) -> bool:
    """One of the two bindings applies only in a mode of its pane (`WHILE_FINDING`, say) and
    the other is the app's: the app's key works whenever the mode is off, so they share it."""
    for mine, mine_owner, theirs_owner in ((ident, owner, other_owner), (other, other_owner, owner)):
        if mine in getattr(mine_owner, "WHILE_FINDING", ()) and issubclass(theirs_owner, App):
            return True
    return False


def rebound(groups: Sequence[tuple[str, Sequence[BindingType]]], keymap: Mapping[str, str]) -> list[tuple[str, list[BindingType]]]:
    """`groups` of bindings (what the help screen lists) with the keys `keymap` (binding id ->
    keys, the app's keymap) gives them, so the help says which keys really do what."""
    return [
        (
            title,
            [
                replace(binding, key=keymap[binding.id], key_display=None)
                if isinstance(binding, Binding) and binding.id in keymap
                else binding
                for binding in bindings
            ],
        )
        for title, bindings in groups
    ]
