"""Where a typed character is text, not a command.

The filter key (`/`, or what the keymap maps `app.filter` to) is a priority binding of the
app: it is handled before the key is forwarded, so text typed right after it in the same
burst reaches the filter bar (`NewsdeskApp.focus_now`). A priority binding would take the
key from every text field too, so the app's `check_action` asks `filter_key_applies`: while
a text-entry widget has focus (the filter bar, the export prompt, the command palette's
input, any `Input` or `TextArea`) the key is declined and Textual hands it to that widget as
a character; on any screen other than the main one (help, overview, trends, keyword in
context, a prompt) it is declined too and does nothing there, as the filter bar it would
focus is not on screen; and a pane that binds the key itself (to find in it) keeps it.

Textual runs the other bindings of a key (a field's `backspace`, `ctrl+u`, `ctrl+w`, the
filter bar's `escape`) only once the key has bubbled up to the app, after the characters
typed after it in the same burst have reached the field: `ab`, backspace, `c` gave `ab`, and
`ctrl+u` then a name cleared the name. While a text field has focus, `run_in_order` runs
such a key's binding in the field's own queue, between the keys typed before and after it.

Both look at the bindings as Textual resolves them (`App._check_bindings`, the screen's
`_modal_binding_chain`, a node's `_bindings`): Textual has no public way to ask which binding
a key would run. tests/tui/test_text_entry.py types the bursts that would break if that changed.
"""

from __future__ import annotations

from textual import events
from textual.app import App
from textual.widgets import Input, TextArea


def typing_text(app: App[object]) -> bool:
    """A text-entry widget has focus: printable keys are text there."""
    return isinstance(app.focused, (Input, TextArea))


def on_main_screen(app: App[object]) -> bool:
    """The screen on top is the dashboard's own (its panes), not a screen pushed over it."""
    return len(app.screen_stack) == 1


def pane_binds_filter_key(app: App[object], ident: str = "app.filter") -> bool:
    """The focused widget binds a key of the app's binding `ident` itself (a pane that finds
    with `/`, say): there the pane's binding takes the key."""
    focused = app.focused
    if focused is None:
        return False
    keys = {key for key, bindings in app._bindings.key_to_bindings.items() if any(b.id == ident for b in bindings)}
    return any(key in focused._bindings.key_to_bindings for key in keys)


def filter_key_applies(app: App[object]) -> bool:
    """The filter key focuses the filter bar now (else it is left to the focused widget)."""
    return on_main_screen(app) and not typing_text(app) and not pane_binds_filter_key(app)


def run_in_order(app: App[object], event: events.Key) -> bool:
    """While a text field has focus, have the binding of `event` (a key fresh from the
    terminal) run in the field's queue, after the keys typed before it and before those typed
    after it; True when it is scheduled so (the key is then handled).

    Printable keys are the field's (Textual leaves them out of the bindings of its
    containers) and priority bindings run at once, as Textual runs them: both take the usual
    way. The binding is looked up again when its turn comes, as Textual would then."""
    focused = app.focused
    if event.is_forwarded or focused is None or not typing_text(app):
        return False
    chain = app.screen._modal_binding_chain
    bound = [binding for _, bindings in chain for binding in bindings.key_to_bindings.get(event.key, ())]
    if not bound or any(binding.priority for binding in bound):
        return False
    focused.call_later(app._check_bindings, event.key)
    return True
