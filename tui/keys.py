"""The dashboard's own keys (the App's BINDINGS): the keymap's ids, the footer's order.

Each pane, screen and prompt declares the keys of its own; these are the ones that apply
everywhere on the main screen. The help screen, the palette and `newsdesk config --bindings`
are generated from these lists, and the user's `[keys]` config remaps them by id.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    # priority: the app handles `/` before forwarding further keys, so text typed right
    # after it reaches the filter even when the keys arrive in one burst; `check_action`
    # leaves it to text fields and to other screens (`tui.text_entry`).
    Binding("slash", "focus_filter", "Filter", key_display="/", priority=True, id="app.filter"),
    Binding("tab", "focus_next", "Next pane", show=False, id="app.next_pane"),
    Binding("shift+tab", "focus_previous", "Previous pane", show=False, id="app.previous_pane"),
    Binding("n", "next_article", "Next", id="app.next"),
    Binding("p", "previous_article", "Prev", id="app.previous"),
    Binding("s", "cycle_sort", "Sort", id="app.sort"),
    Binding("S", "reverse_sort", "Reverse sort", show=False, tooltip="Reverse the current sort (date ↓ becomes date ↑)", id="app.reverse_sort"),
    Binding("c", "kwic", "KWIC", id="app.kwic"),
    Binding("y", "copy", "Copy", id="app.copy"),
    Binding("e", "export", "Export", id="app.export"),
    # after y/e, so an 80-column footer keeps showing those (? and q are pinned right: KeyFooter)
    Binding("t", "trends", "Trends", id="app.trends"),
    Binding("o", "overview", "Overview", id="app.overview"),
    Binding("plus", "jump_new", "Next new", key_display="+", show=False, tooltip="Go to the next article that arrived since the dashboard opened", id="app.jump_new"),
    # not in the footer (it is full at 120 columns): in help and the palette
    Binding("b", "bookmark", "Bookmark", show=False, tooltip="Bookmark the article under the cursor, or remove its bookmark", id="app.bookmark"),
    Binding("u", "toggle_read", "Read/unread", show=False, tooltip="Mark the article under the cursor unread, or read", id="app.toggle_read"),
    Binding("F", "saved_filters", "Saved filters", show=False, tooltip="Apply or delete a saved filter", id="app.saved_filters"),
    Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
    Binding("q", "quit", "Quit", id="app.quit"),
]
