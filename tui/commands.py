"""The command palette provider (ctrl+p): every app action, plus filter-by-section/source.

The commands themselves come from the app (`NewsdeskApp.palette_commands`), so the palette
and the key bindings call the same actions. Command names and help text can hold article
data (section and source names), so both are shown as `Content` made from `for_display`
text: the prompt is highlighted by offset (Textual's `Matcher.highlight` would parse it as
markup), and the help is handed over as `Content`, which the palette shows as it is (a `str`
help would be parsed as markup: `[/]` in a section name crashed the app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from core.sanitize import for_display


@dataclass(frozen=True, slots=True)
class PaletteCommand:
    """One entry of the command palette."""

    title: str
    help: str
    run: Callable[[], object]


class HasPaletteCommands(Protocol):
    def palette_commands(self) -> list[PaletteCommand]: ...


def plain(text: str) -> Content:
    """`text` as one line of plain Content, never markup."""
    return Content(for_display(text, one_line=True))


def highlighted(matcher: Matcher, text: str) -> Content:
    """`text` (already `for_display` text) as plain Content with the characters the fuzzy
    match used styled."""
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
            title = for_display(command.title, one_line=True)
            # `help` is typed str, but a str is parsed as markup; Content is shown as it is.
            yield DiscoveryHit(Content(title), command.run, text=title, help=plain(command.help))  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            title = for_display(command.title, one_line=True)
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), command.run, text=title, help=plain(command.help))  # type: ignore[arg-type]
