"""The two prompts of saved filters: naming the filter (`ctrl+s`) and picking one (`F`).

`SaveFilterScreen` asks for a name; a name already in use is replaced only when the user
asks twice, as the export prompt does for a file ("… exists: press enter again to replace
it"). `SavedFiltersScreen` lists the saved filters: `enter` returns the chosen name, `d`
(or `delete`) removes the highlighted one after a second press. Names and filter texts are
data (a hand-edited file, a pasted name): shown as `Content` made from `for_display` text.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from core.saved_filters import NAME_MAX, clean_name
from core.sanitize import for_display

SHOWN_FILTER_CHARS = 70
"""Characters of a filter's text shown next to its name."""

PROMPT_CSS = """
SaveFilterScreen, SavedFiltersScreen {
    align: center middle;
}
.saved-filters-body {
    width: 80%;
    max-width: 100;
    height: auto;
    max-height: 80%;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}
.saved-filters-help {
    color: $text-muted;
}
.saved-filters-message {
    display: none;
    color: $text-error;
}
.saved-filters-message.-shown {
    display: block;
}
#saved-filters-list {
    height: auto;
    max-height: 20;
}
"""


def one_line(text: str, limit: int | None = None) -> str:
    """`text` as one plain line, cut to `limit` characters (an ellipsis shows the cut)."""
    text = " ".join(for_display(text, one_line=True).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def describe(name: str, text: str) -> str:
    """How a saved filter is listed: `name — text` (plain text)."""
    return f"{one_line(name)} — {one_line(text, SHOWN_FILTER_CHARS)}"


class _Message(Static):
    """A line under the prompt: an error or a question (hidden when empty)."""

    def say(self, text: str) -> None:
        self.update(Content(one_line(text)))
        self.set_class(bool(text), "-shown")

    @property
    def text(self) -> str:
        return str(self.content)


class SaveFilterScreen(ModalScreen[str | None]):
    """Asks for the name to save a filter under; returns it (None: cancelled).

    | Key | Action |
    | :- | :- |
    | `enter` | Save (again on a name in use: replace that filter). |
    | `escape` | Cancel. |
    """

    DEFAULT_CSS = PROMPT_CSS
    BINDINGS: list[BindingType] = [Binding("escape", "cancel", "Cancel", id="save_filter.cancel")]

    def __init__(self, text: str, names: Collection[str]) -> None:
        super().__init__()
        self.text = text
        """The filter to save."""
        self._names = set(names)
        self._confirmed: str | None = None
        """The name in use the user was asked about: `enter` on it again replaces it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="saved-filters-body") as body:
            body.border_title = "Save filter"
            body.border_subtitle = "enter saves · escape cancels"
            yield Static(Content(f"Name for {one_line(self.text, SHOWN_FILTER_CHARS)}"), classes="saved-filters-help")
            yield Input(placeholder="name", id="save-filter-name", max_length=NAME_MAX)
            yield _Message(classes="saved-filters-message")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @property
    def message(self) -> str:
        """The error or question under the input, '' when none."""
        return self.query_one(_Message).text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = clean_name(event.value)
        if not name:
            self.query_one(_Message).say("Type a name.")
            return
        if name in self._names and self._confirmed != name:
            self.query_one(_Message).say(f"{name} exists: press enter again to replace it, escape to cancel")
            self._confirmed = name
            return
        self.dismiss(name)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._confirmed is not None:  # another name: ask again before replacing anything
            self._confirmed = None
            self.query_one(_Message).say("")

    def action_cancel(self) -> None:
        self.dismiss(None)


class SavedFiltersScreen(ModalScreen[str | None]):
    """The saved filters; returns the name chosen (None: closed).

    | Key | Action |
    | :- | :- |
    | `enter` | Apply the highlighted filter. |
    | `d`, `delete` | Delete the highlighted filter (press twice). |
    | `escape` | Close (or keep a filter you were asked about deleting). |
    """

    DEFAULT_CSS = PROMPT_CSS
    BINDINGS: list[BindingType] = [
        Binding("escape", "cancel", "Close", id="saved_filters.close"),
        Binding("d,delete", "delete", "Delete", id="saved_filters.delete"),
    ]

    def __init__(self, filters: dict[str, str], delete: Callable[[str], None]) -> None:
        super().__init__()
        self.names = sorted(filters, key=str.casefold)
        """The names listed, in order."""
        self._filters = dict(filters)
        self._delete = delete
        self._confirm: str | None = None
        """The name the user was asked about deleting: `d` on it again deletes it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="saved-filters-body") as body:
            body.border_title = "Saved filters"
            body.border_subtitle = "enter applies · d deletes · escape closes"
            yield OptionList(*self._options(), id="saved-filters-list")
            yield _Message(classes="saved-filters-message")

    def _options(self) -> list[Option]:
        return [Option(Content(describe(name, self._filters[name]))) for name in self.names]

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0 if self.names else None
        options.focus()

    @property
    def message(self) -> str:
        """The question under the list, '' when none."""
        return self.query_one(_Message).text

    def _highlighted(self) -> str | None:
        index = self.query_one(OptionList).highlighted
        return self.names[index] if index is not None and 0 <= index < len(self.names) else None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.names):
            self.dismiss(self.names[event.option_index])

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._confirm is not None and self._highlighted() != self._confirm:
            self._ask(None)

    def _ask(self, name: str | None) -> None:
        self._confirm = name
        self.query_one(_Message).say("" if name is None else f"Delete {name}? Press d again to delete it, escape to keep it.")

    def action_delete(self) -> None:
        name = self._highlighted()
        if name is None:
            return
        if self._confirm != name:
            self._ask(name)
            return
        self._ask(None)
        self._delete(name)
        index = self.names.index(name)
        del self.names[index]
        del self._filters[name]
        options = self.query_one(OptionList)
        options.remove_option_at_index(index)
        if not self.names:
            self.dismiss(None)
            return
        options.highlighted = min(index, len(self.names) - 1)

    def action_cancel(self) -> None:
        if self._confirm is not None:
            self._ask(None)
        else:
            self.dismiss(None)
