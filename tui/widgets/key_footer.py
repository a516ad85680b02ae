"""KeyFooter: Textual's footer with help and quit pinned to its right end.

The footer lists the keys of the focused pane and the app in declaration order and cuts
what does not fit at the right. The keys of the `help` and `quit` actions (whatever keys the
keymap gives them) go, with the palette's `^p`, into a group docked at the right end, so
`? Help` and `q Quit` stay on screen at 80 columns however many keys the panes and the app
declare: a new key can only push other keys out of view, never these. A key that would not
fit whole is hidden rather than cut (`ke` for `e Export`).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PINNED_ACTIONS: tuple[str, ...] = ("help", "quit")
"""Actions whose keys the footer always shows, at its right end, in this order."""


class KeyFooter(Footer):
    """The footer, with the keys of PINNED_ACTIONS and the palette's docked right."""

    DEFAULT_CSS: ClassVar[str] = """
    KeyFooter > #pinned-keys {
        dock: right;
        width: auto;
        background: $footer-background;
        FooterKey.-command-palette {
            dock: none;
        }
    }
    """

    def compose(self) -> ComposeResult:
        pinned: dict[str, Widget] = {}
        palette: list[Widget] = []
        for widget in super().compose():
            if not isinstance(widget, FooterKey):
                yield widget
            elif widget.has_class("-command-palette"):
                palette.append(widget)
            elif (action := widget.action.removeprefix("app.")) in PINNED_ACTIONS and action not in pinned:
                pinned[action] = widget
            else:
                yield widget
        if pinned or palette:
            with HorizontalGroup(id="pinned-keys"):
                for action in PINNED_ACTIONS:
                    if action in pinned:
                        yield pinned[action]
                yield from palette

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Show the keys left of the pinned group that fit whole, in order; hide the rest."""
        if not self.is_attached:
            return
        pinned = self.query_children("#pinned-keys")
        pinned_width = pinned.first().outer_size.width if pinned else 0
        if pinned and not pinned_width:  # not laid out yet: measure after the next refresh
            self.call_after_refresh(self._fit)
            return
        room = self.size.width - pinned_width
        for key in self.query_children(FooterKey):
            width = key.render().cell_len + key.styles.margin.width
            key.display = width <= room
            room = room - width if key.display else 0
