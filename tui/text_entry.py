"""Where a typed character is text, not a command.

The filter key (`/`, or what the keymap maps `app.filter` to) is a priority binding of the
app: it is handled before the key is forwarded, so text typed right after it in the same
burst reaches the filter bar (`NewsdeskApp.focus_now`). A priority binding would take the
key from every text field too, so the app's `check_action` asks `filter_key_applies`: while
a text-entry widget has focus (the filter bar, the export prompt, the command palette's
input, any `Input` or `TextArea`) the key is declined and Textual hands it to that widget as
a character; on any screen other than the main one (help, overview, trends, keyword in
context, a prompt) it is declined too and does nothing there, as the filter bar it would
focus is not on screen.
"""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, TextArea


def typing_text(app: App[object]) -> bool:
    """A text-entry widget has focus: printable keys are text there."""
    return isinstance(app.focused, (Input, TextArea))


def on_main_screen(app: App[object]) -> bool:
    """The screen on top is the dashboard's own (its panes), not a screen pushed over it."""
    return len(app.screen_stack) == 1


def filter_key_applies(app: App[object]) -> bool:
    """The filter key focuses the filter bar now (else it is left to the focused widget)."""
    return on_main_screen(app) and not typing_text(app)
