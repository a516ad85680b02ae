"""KwicScreen: every occurrence of a keyword in context across the filtered view.

One line per occurrence: left context (right-aligned), the match, right context, laid out by
`core.kwic.concordance_line` as `newsdesk kwic` prints it (the text's own spacing around the
match); the title of the article under the cursor is shown below. No occurrence is said in the
list. `enter` closes the screen with that
article's id, so the app can open it in the reader. Context is article text, so every line
is `Content` built from plain strings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from core.sanitize import for_display

if TYPE_CHECKING:
    import polars as pl

CONTEXT_CELLS = 40
"""Cells of context either side of the match."""


def _one_line(value: object) -> str:
    return " ".join(for_display(value).split())


class KwicScreen(ModalScreen[str | None]):
    """Concordance lines for one term; returns the chosen article id (None: closed).

    | Key | Action |
    | :- | :- |
    | `j`, `k` / arrows, `g`, `G` | Move between lines. |
    | `enter` | Open the article of the line in the reader. |
    | `escape`, `c` | Close. |
    """

    BINDINGS: list[BindingType] = [
        Binding("escape,c", "close", "Close", id="kwic.close"),
        Binding("j", "move('down')", "Down", show=False, id="kwic.down"),
        Binding("k", "move('up')", "Up", show=False, id="kwic.up"),
        Binding("g", "move('first')", "First", show=False, id="kwic.first"),
        Binding("G", "move('last')", "Last", show=False, id="kwic.last"),
    ]

    COMPONENT_CLASSES = {"kwic--match"}
    """
    | Class | Description |
    | :- | :- |
    | `kwic--match` | The matched term in each line. |
    """

    def __init__(self, term: str, lines: pl.DataFrame) -> None:
        super().__init__()
        self.term = for_display(term)
        """The term looked up."""
        self.lines = lines
        """Concordance rows: id, left, match, right, title."""

    def compose(self) -> ComposeResult:
        with Vertical(id="kwic-body") as body:
            # Content, not str: a str border title is parsed as markup (the term is data).
            body.border_title = Content(f"KWIC: {_one_line(self.term)} ({self.lines.height} lines)")
            body.border_subtitle = "enter opens · escape or c closes"
            yield OptionList(id="kwic-lines")
            yield Static(Content(""), id="kwic-title")

    def on_mount(self) -> None:
        from core.kwic import concordance_line  # with Polars: not before the first screen is painted

        options = self.query_one("#kwic-lines", OptionList)
        # The body is 95% of the screen, less its border, the list's padding and scrollbar.
        available = int(self.size.width * 0.95) - 6
        match_style = self.get_visual_style("kwic--match", partial=True)
        prompts: list[Option] = []
        for left, match, right in self.lines.select("left", "match", "right").iter_rows():
            context = max(4, min(CONTEXT_CELLS, (available - cell_len(for_display(match, one_line=True))) // 2))
            # The same line as `newsdesk kwic` prints: the text's own spacing around the match.
            left, match, right = concordance_line(left, match, right, context, cell_len)
            prompts.append(Option(Content.assemble(left, Content.styled(match, match_style), right)))
        if not prompts:
            prompts.append(Option(Content(f"No occurrences of “{_one_line(self.term)}” in the view."), disabled=True))
        options.add_options(prompts)
        if self.lines.height:
            options.highlighted = 0
        options.focus()

    def article_id_at(self, index: int | None) -> str | None:
        """Article id of concordance line `index`."""
        if index is None or not 0 <= index < self.lines.height:
            return None
        return str(self.lines.get_column("id")[index])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        title = self.lines.get_column("title")[index] if 0 <= index < self.lines.height else ""
        self.query_one("#kwic-title", Static).update(Content(_one_line(title)))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.article_id_at(event.option_index))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_move(self, where: str) -> None:
        options = self.query_one("#kwic-lines", OptionList)
        {
            "down": options.action_cursor_down,
            "up": options.action_cursor_up,
            "first": options.action_first,
            "last": options.action_last,
        }[where]()
