"""The command palette provider (ctrl+p): every app action, plus filter-by-section/source.

The commands themselves come from the app (`NewsdeskApp.palette_commands`), so the palette
and the key bindings call the same actions. Command names can hold article data (section
and source names), so hits are displayed as `Content` from plain strings and highlighted by
offset; Textual's `Matcher.highlight` would parse them as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """One entry of the command palette."""

    title: str
    help: str
    run: Callable[[], object]


class HasPaletteCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` as plain Content with the characters the fuzzy match used styled."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class NewsdeskCommands(Provider):
    """Commands of the newsdesk app, searchable by fuzzy match."""

    def _commands(self) -> list[PaletteCommand]:
        app = self.app
        if not hasattr(app, "palette_commands"):
            return []
        return app.palette_commands()  # type: ignore[no-any-return]

    async def discover(self) -> Hits:
        for command in self._commands():
            if command.title.startswith(("Filter by section:", "Filter by source:")):
                continue
            yield DiscoveryHit(Content(command.title), command.run, text=command.title, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, highlighted(matcher, command.title), command.run, text=command.title, help=command.help)
