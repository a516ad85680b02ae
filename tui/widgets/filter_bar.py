"""FilterBar: where the filter language (docs/design.md, "The filter language") is typed.

Typing posts `FilterBar.Changed` after a short pause (debounced, so a fast typist does not
start a filter per keystroke); `enter` posts `FilterBar.Submitted` at once; `escape` clears.
The bar does not filter anything itself: the app runs the filter in a worker and calls
`show_error` when the text does not parse, which shows the message under the input with
the offending span marked, while the list keeps the last good result.

`up` and `down` walk the history of applied filters (`history`, most recent first, the
corpus's reading state), as a shell does: `up` from a half-typed filter keeps it, and `down`
past the newest entry brings it back. A recalled filter is applied as typing is. `ctrl+s`
saves the filter under a name (`tui.saved_filters`).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from core.sanitize import for_display
from tui.widgets.ordered_input import OrderedInput

DEBOUNCE_SECONDS = 0.15
"""Pause in typing after which the filter is applied."""


class _FilterInput(OrderedInput):
    """The filter's text: its keys and the bar's (history, clear, save) run in typing order.

    `enter` moves the focus to the bar's `leads_to` at once, not when the app has the bar's
    `Submitted`: keys typed right after `enter` in one burst are already on their way to this
    input by then, and are the next pane's (`j` moves the list), so they are handed back to
    the app to be dispatched again."""

    def runs_in_order(self, node: DOMNode) -> bool:
        return node is self or node is self.parent

    async def action_submit(self) -> None:
        await super().action_submit()
        bar = self.parent
        if isinstance(bar, FilterBar) and bar.leads_to is not None:
            self.screen.set_focus(bar.leads_to)

    async def _on_key(self, event: events.Key) -> None:
        if self.screen.focused is not self:  # (`has_focus` follows later, with the Blur event)
            event.stop()
            event.prevent_default()
            self.app.post_message(events.Key(event.key, event.character))
            return
        await super()._on_key(event)


class FilterBar(Vertical):
    """The filter input and its inline error line.

    | Key | Action |
    | :- | :- |
    | `enter` | Apply the filter and move to the list. |
    | `escape` | Clear the filter. |
    | `ctrl+u` | Clear the filter (an escape-free way). |
    | `up` / `down` | Older / newer filter from the history. |
    | `ctrl+s` | Save the filter under a name. |
    """

    BINDINGS: list[BindingType] = [
        Binding("escape", "clear", "Clear filter", id="filter.clear"),
        Binding("ctrl+u", "clear", "Clear filter", show=False, id="filter.clear_alt"),
        Binding("up", "history(1)", "Older filter from the history", show=False, id="filter.history_older"),
        Binding("down", "history(-1)", "Newer filter from the history", show=False, id="filter.history_newer"),
        Binding("ctrl+s", "app.save_filter", "Save filter", show=False, id="filter.save"),
    ]

    COMPONENT_CLASSES = {"filter-bar--span"}
    """
    | Class | Description |
    | :- | :- |
    | `filter-bar--span` | The part of the filter text an error points at. |
    """

    class Changed(Message):
        """The filter text changed and typing paused (or it was cleared)."""

        def __init__(self, filter_bar: FilterBar, value: str) -> None:
            super().__init__()
            self.filter_bar = filter_bar
            """The bar that sent the message."""
            self.value = value
            """The filter text."""

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    class Submitted(Changed):
        """`enter` was pressed in the filter input."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._debounce: Timer | None = None
        self._error = ""
        self.history: list[str] = []
        """Filters applied, most recent first (the corpus's reading state: `tui.reading_state`)."""
        self._walk = -1
        """Where `up`/`down` are in `history`; -1: at the text the user typed (`_draft`)."""
        self._draft = ""
        self.leads_to: Widget | None = None
        """Where `enter` moves the focus (the app sets it: the article list)."""

    def compose(self) -> ComposeResult:
        yield _FilterInput(
            placeholder="/ filter: word \"phrase\" kw:x section:x lang:ru is:unread date>2021-06 words>500 -not OR",
            id="filter-input",
            compact=True,
        )
        yield Static(Content(""), id="filter-error")

    @property
    def input(self) -> Input:
        """The text input."""
        return self.query_one("#filter-input", Input)

    @property
    def value(self) -> str:
        """The filter text."""
        return self.input.value

    def set_value(self, value: str, *, apply: bool = True) -> None:
        """Replace the filter text; with `apply`, post `Changed` right away (no debounce).
        The text can hold data (a section name from the palette, the stored last filter):
        the input shows it, so it is `for_display` text."""
        value = for_display(value, one_line=True)
        self._cancel_debounce()
        self._walk = -1
        with self.input.prevent(Input.Changed):
            self.input.value = value
            self.input.cursor_position = len(value)
        if apply:
            self.post_message(self.Changed(self, value))

    def show_error(self, message: str | None, span: tuple[int, int] | None = None) -> None:
        """Show `message` under the input (None hides it), marking `span` of the filter text."""
        error = self.query_one("#filter-error", Static)
        if message is None:
            if not self._error:
                return
            error.update(Content(""))
            self._error = ""
            self.remove_class("-error")
            return
        parts: list[Content | tuple[str, str] | str] = [("error: ", "bold"), Content(for_display(message, one_line=True))]
        value = self.value
        if span is not None and 0 <= span[0] < span[1] <= len(value):
            start, end = span
            marked = self.get_visual_style("filter-bar--span", partial=True)
            before, term, after = (for_display(part, one_line=True) for part in (value[:start], value[start:end], value[end:]))
            parts += ["  in  ", Content(before), Content.styled(term, marked), Content(after)]
        content = Content.assemble(*parts)
        self._error = content.plain
        error.update(content)
        self.add_class("-error")

    @property
    def error_text(self) -> str:
        """The error shown, '' when none."""
        return self._error

    def action_clear(self) -> None:
        self.set_value("")
        self.show_error(None)

    def action_history(self, step: int) -> None:
        """Show the filter `step` places older (1) or newer (-1) in the history, skipping
        entries that read as the text shown or typed; past the newest, the text the user typed."""
        shown = self.value
        if self._walk == -1:
            self._draft = shown
        place = self._walk + step
        seen = {shown.strip(), self._draft.strip()}
        while 0 <= place < len(self.history) and self.history[place].strip() in seen:
            place += step
        if place >= len(self.history) or place < -1:
            self.app.bell()
            return
        value = self._draft if place == -1 else self.history[place]
        self.set_value(value, apply=False)
        self._walk = place
        self._schedule(self.value)

    def _cancel_debounce(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._walk = -1  # typing makes a new draft
        self._schedule(event.value)

    def _schedule(self, value: str) -> None:
        """Post `Changed` for `value` once typing pauses."""
        self._cancel_debounce()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, lambda: self._fire(value))

    def _fire(self, value: str) -> None:
        self._debounce = None
        self.post_message(self.Changed(self, value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._cancel_debounce()
        self._walk = -1
        self.post_message(self.Submitted(self, event.value))
