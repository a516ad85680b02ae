"""The command palette provider (ctrl+p): every app action, plus filter-by-section/source.

The commands themselves call the app's actions (`palette_commands`), so the palette and the
key bindings do the same things. Command names and help text can hold article
data (section and source names), so both are shown as `Content` made from `for_display`
text: the prompt is highlighted by offset (Textual's `Matcher.highlight` would parse it as
markup), and the help is handed over as `Content`, which the palette shows as it is (a `str`
help would be parsed as markup: `[/]` in a section name crashed the app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from core.sanitize import for_display
from core.sorts import SORTS
from tui import sharing

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


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


def palette_commands(app: NewsdeskApp) -> list[PaletteCommand]:
    """Every action of `app` as a palette command, plus filter by each section, source and language."""
    panel, add = app.keyword_panel, app.filtering.add_term
    commands = [
        PaletteCommand("Filter…", "Focus the filter bar (/)", app.action_focus_filter),
        PaletteCommand("Clear filter", "Show every article", lambda: app.apply_filter("")),
        PaletteCommand("Next article", "n", app.action_next_article),
        PaletteCommand("Previous article", "p", app.action_previous_article),
        PaletteCommand("Keyword in context", "Concordance of the keyword under the cursor (c)", app.action_kwic),
        PaletteCommand("Copy", "Copy the article or keyword to the clipboard (y)", app.action_copy),
        PaletteCommand("Copy article URL", "Copy the URL of the article in the reader", lambda: sharing.copy_url(app)),
        PaletteCommand("Open article URL", "Open the URL of the article in the reader in the browser (O)", app.reader.action_open_link),
        PaletteCommand("Find in article", "Find text in the article in the reader (ctrl+f)", app.reader.action_find),
        PaletteCommand("Export view", "Write the current view to CSV, JSONL, Parquet or Markdown (e)", app.action_export),
        PaletteCommand("Toggle keyword panel", "View keywords / article keywords (a)", panel.action_toggle_mode),
        PaletteCommand("Distinctive keywords", "Keywords that set the view apart from the rest (d)", panel.action_toggle_distinctive),
        PaletteCommand("Keyword trends", "Sections, timeline and co-occurring keywords of the keyword under the cursor (t)", app.action_trends),
        PaletteCommand("Corpus overview", "Sections, sources, languages, repeats, top keywords (o)", app.action_overview),
        PaletteCommand("Help", "Every key binding (?)", app.action_help),
        PaletteCommand("Filter: teasers only", "kind:teaser", lambda: add("kind:teaser")),
        PaletteCommand("Filter: articles only", "kind:article", lambda: add("kind:article")),
        PaletteCommand("Filter: bookmarked", "is:bookmarked", lambda: add("is:bookmarked")),
        PaletteCommand("Filter: unread", "is:unread", lambda: add("is:unread")),
        PaletteCommand("Filter: read", "is:read", lambda: add("is:read")),
        PaletteCommand("Bookmark", "Bookmark the article under the cursor, or remove its bookmark (b)", app.action_bookmark),
        PaletteCommand("Mark read or unread", "Mark the article under the cursor unread, or read (u)", app.action_toggle_read),
        PaletteCommand("Reverse sort", "Reverse the current sort (S)", app.action_reverse_sort),
        PaletteCommand("Next sort", "Cycle the sort: relevance, title, section, length, date (s)", app.action_cycle_sort),
        PaletteCommand("Next new article", "Go to the next article that arrived since the dashboard opened (+)", app.action_jump_new),
        PaletteCommand("Filter: new", "is:new", lambda: add("is:new")),
    ]
    commands += app.saved_filters.palette_commands()
    commands += [
        PaletteCommand(f"Sort by {sort}", "s cycles the sort", lambda sort=sort: app.set_sort(sort))  # type: ignore[misc]
        for sort in SORTS
    ]
    articles = app.view.articles
    for column, label in (("section", "section"), ("source", "source")):
        if column not in articles.columns:
            continue
        values = articles.get_column(column).drop_nulls().unique().sort().head(500).to_list()
        for value in values:
            name = " ".join(str(value).replace('"', "").split())
            commands.append(
                PaletteCommand(
                    f"Filter by {label}: {name}",
                    f'{label}:"{name}"',
                    lambda term=f'{label}:"{name}"': add(term),  # type: ignore[misc]
                )
            )
    for language in articles.get_column("language").drop_nulls().unique().sort().head(50).to_list() if "language" in articles.columns else []:
        commands.append(
            PaletteCommand(f"Filter by language: {language}", f"lang:{language}", lambda term=f"lang:{language}": add(term))  # type: ignore[misc]
        )
    return commands
