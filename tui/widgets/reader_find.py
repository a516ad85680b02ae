"""ReaderFind: the reader's find field, shown under the reader while a find is active.

`ctrl+f` in the reader shows it and focuses its input. Typing finds as you type (the reader
highlights every match and scrolls to the first); `enter` goes back to the reader with the
highlights kept, where `n` / `N` step through the matches; `escape` (here or in the reader)
clears the find and hides the field. The count (`3 of 12`, `no matches`) is shown beside the
input as plain `Content`: the needle is user text, never markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from tui.widgets.reader import Reader


class ReaderFind(Horizontal):
    """The find-in-article field and its match count.

    | Key | Action |
    | :- | :- |
    | `enter` | Keep the highlights and go back to the reader. |
    | `escape` | Clear the find. |
    """

    DEFAULT_CSS = """
    ReaderFind {
        height: 1;
        display: none;
        padding: 0 1;
    }
    ReaderFind.-active {
        display: block;
    }
    ReaderFind > Input {
        width: 1fr;
    }
    ReaderFind > #reader-find-count {
        width: auto;
        min-width: 12;
        padding: 0 0 0 1;
        color: $text-muted;
    }
    """

    BINDINGS: list[BindingType] = [
        Binding("escape", "clear", "Clear the find", id="find.clear"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find in the article", id="reader-find-input", compact=True)
        yield Static(Content(""), id="reader-find-count")

    @property
    def input(self) -> Input:
        """The text input."""
        return self.query_one("#reader-find-input", Input)

    @property
    def reader(self) -> Reader:
        """The reader this field finds in (its sibling)."""
        from tui.widgets.reader import Reader

        assert self.parent is not None
        return self.parent.query_one(Reader)

    def open(self) -> None:
        """Show the field and focus its input, before the next key is handled (keys typed right
        after `ctrl+f` in one burst belong to the needle)."""
        self.add_class("-active")
        self.screen.set_focus(self.input)

    def close(self) -> None:
        """Hide the field and empty it."""
        self.remove_class("-active")
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self.show_count(Content(""))

    def show_count(self, count: Content) -> None:
        """Show `count` (`3 of 12`, `no matches`) beside the input."""
        self.query_one("#reader-find-count", Static).update(count)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.reader.find(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.screen.set_focus(self.reader)

    def action_clear(self) -> None:
        self.reader.clear_find()
