"""README's key table names every key of the dashboard and of its panes' own actions, so a
key added to the code and not to the manual fails here."""

from __future__ import annotations

import re
from pathlib import Path

from textual.binding import Binding

from tui.keys import APP_BINDINGS
from tui.widgets.filter_bar import FilterBar
from tui.widgets.reader import Reader

README = Path(__file__).resolve().parents[2] / "README.md"


def _keys_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Keys")
    return text[start : text.index("### Filter language", start)]


def test_every_dashboard_key_is_in_the_readme_key_table() -> None:
    documented = set(re.findall(r"`([^`]+)`", _keys_section()))
    bindings = [*APP_BINDINGS, *FilterBar.BINDINGS, *Reader.BINDINGS]
    missing = []
    for binding in bindings:
        assert isinstance(binding, Binding)
        if binding.action.startswith(("scroll_", "page_")) or binding.id in ("filter.clear_alt",):
            continue  # moving in a pane: one row covers them
        keys = [binding.key_display] if binding.key_display else binding.key.split(",")
        if not any(key in documented for key in keys):
            missing.append(f"{binding.id}: {binding.key}")
    assert missing == [], missing
