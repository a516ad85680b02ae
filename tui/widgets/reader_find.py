"""ReaderFind: the reader's find field, shown under the reader while a find is active.

`ctrl+f` in the reader shows it and focuses its input. Typing finds as you type (the reader
highlights every match and scrolls to the first); `enter` goes back to the reader with the
highlights kept, where `n` / `N` step through the matches; `escape` (here or in the reader)
clears the find and hides the field. The count (`3 of 12`, `no matches`) is shown beside the
input as plain `Content`: the needle is user text, never markup.
"""

from __future__ import annotations

from typing import Protocol

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static

class FindTarget(Protocol):
    """What the field finds in (the reader)."""

    def find(self, needle: str) -> None: ...

    def clear_find(self) -> None: ...

    def leave_find_field(self) -> None: ...


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

    # priority: handled before the next key is forwarded, so keys typed right after them in
    # one burst (`enter n`) reach the reader, not the input.
    BINDINGS: list[BindingType] = [
        Binding("enter", "done", "Back to the reader (highlights kept)", priority=True, id="find.done"),
        Binding("escape", "clear", "Clear the find", priority=True, id="find.clear"),
    ]

    _target: FindTarget | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find in the article", id="reader-find-input", compact=True)
        yield Static(Content(""), id="reader-find-count")

    @property
    def input(self) -> Input:
        """The text input."""
        return self.query_one("#reader-find-input", Input)

    def open(self, target: FindTarget) -> None:
        """Show the field, finding in `target`, and focus its input before the next key is
        handled (keys typed right after `ctrl+f` in one burst belong to the needle)."""
        self._target = target
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
        if self._target is not None:
            self._target.find(event.value)

    def action_done(self) -> None:
        if self._target is not None:
            self._target.leave_find_field()

    def action_clear(self) -> None:
        if self._target is not None:
            self._target.clear_find()
