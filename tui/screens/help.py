"""HelpScreen: every key binding of the app and its panes, with what it does.

The list is generated from the `BINDINGS` of the app and of each pane class, so it cannot
drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from core.sanitize import for_display


def binding_rows(bindings: Iterable[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) for each binding, compound keys (`j,down`) shown together."""
    rows: list[tuple[str, str]] = []
    for binding in bindings:
        if not isinstance(binding, Binding):
            binding = Binding(*binding)
        keys = ", ".join(_key_display(key) for key in binding.key.split(","))
        rows.append((binding.key_display or keys, binding.description or binding.action))
    return rows


def _key_display(key: str) -> str:
    key = key.strip()
    names = {"question_mark": "?", "slash": "/", "shift+tab": "shift+tab", "pageup": "pgup", "pagedown": "pgdn"}
    return names.get(key, key)


class HelpScreen(ModalScreen[None]):
    """A scrollable list of every binding, grouped by where it applies.

    | Key | Action |
    | :- | :- |
    | `escape`, `?` | Close help. |
    | `j`, `k` / arrows, `g`, `G` | Scroll. |
    """

    BINDINGS: list[BindingType] = [
        Binding("escape,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("k,up", "scroll('up')", "Scroll up", show=False, id="help.up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="help.top"),
        Binding("G,end", "scroll('end')", "End", show=False, id="help.end"),
    ]

    def __init__(self, groups: Sequence[tuple[str, Iterable[BindingType]]]) -> None:
        super().__init__()
        self._groups = [(title, binding_rows(bindings)) for title, bindings in groups]

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(group, keys, description) of every binding listed."""
        return [(title, keys, text) for title, rows in self._groups for keys, text in rows]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "escape or ? to close"
            yield Static(self._content(), id="help-text")

    def _content(self) -> Content:
        width = max((len(keys) for _, rows in self._groups for keys, _ in rows), default=8) + 2
        parts: list[Content | str | tuple[str, str]] = []
        for index, (title, rows) in enumerate(self._groups):
            if index:
                parts.append("\n")
            parts += [(title, "bold underline"), "\n"]
            for keys, text in rows:
                # Keys and descriptions can come from the user's keymap: plain text.
                parts += [(for_display(f"  {keys:<{width}}", one_line=True), "bold"), Content(for_display(text, one_line=True)), "\n"]
        return Content.assemble(*parts).rstrip()

    def action_scroll(self, where: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        {
            "down": body.scroll_down,
            "up": body.scroll_up,
            "home": body.scroll_home,
            "end": body.scroll_end,
        }[where]()


def binding_groups(app_bindings: Sequence[BindingType]) -> list[tuple[str, list[BindingType]]]:
    """Every binding, grouped by where it applies (what the help screen lists), given the app's own."""
    from tui.screens.export import ExportScreen
    from tui.screens.kwic import KwicScreen
    from tui.screens.overview import OverviewScreen
    from tui.path_completion import PathInput
    from tui.screens.saved_filters import SavedFiltersScreen, SaveFilterScreen
    from tui.screens.trends import TrendsScreen
    from tui.widgets.article_list import ArticleList
    from tui.widgets.filter_bar import FilterBar
    from tui.widgets.keyword_panel import KeywordPanel
    from tui.widgets.reader import Reader
    from tui.widgets.reader_find import ReaderFind

    return [
        ("Everywhere", list(app_bindings) + [Binding("ctrl+p", "command_palette", "Command palette")]),
        ("Article list", list(ArticleList.BINDINGS)),
        ("Reader", list(Reader.BINDINGS)),
        ("Keyword panel", list(KeywordPanel.BINDINGS)),
        ("Find in the article", list(ReaderFind.BINDINGS)),
        ("Filter bar", [Binding("enter", "submit", "Apply and go to the list"), *FilterBar.BINDINGS]),
        ("KWIC screen", [Binding("enter", "open", "Open the article"), *KwicScreen.BINDINGS]),
        ("Export prompt", [Binding("enter", "submit", "Write the file (its extension picks the format)"), *ExportScreen.BINDINGS, *PathInput.BINDINGS]),
        ("Saved filters (F)", [Binding("enter", "select", "Apply the filter"), *SavedFiltersScreen.BINDINGS]),
        ("Save filter prompt (ctrl+s)", [Binding("enter", "submit", "Save (again on a name in use: replace it)"), *SaveFilterScreen.BINDINGS]),
        ("Trends screen", [Binding("enter", "select", "Filter by the co-occurring keyword or the period"), Binding("tab", "focus_next", "Co-occurring keywords / periods"), *TrendsScreen.BINDINGS]),
        ("Overview screen", list(OverviewScreen.BINDINGS)),
    ]
