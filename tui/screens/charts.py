"""Terminal charts for the insight screens: labelled horizontal bars as `Content`, and `Pane`,
a Static whose text is laid out for its width.

Labels are corpus data (sections, sources, keywords), so every line is `Content` built from
plain strings (never markup), cleaned of control characters and cut to a cell width.
Bars use the eighth blocks (▏▎▍▌▋▊▉█), so a bar of 20 cells shows 160 steps.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.widgets import Static

from core.sanitize import clean_text

_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"

NO_VALUE = "(none)"
"""The label of a null bucket (no section, no source)."""


class Pane(Static):
    """A Static whose text its screen lays out for the pane's width (bars, cut labels): a
    change of width tells the screen (`Pane.Resized`, bubbling), which redraws it. So a screen
    can draw as soon as its numbers arrive, with the widths of the moment, instead of waiting
    for the layout to settle."""

    class Resized(Message):
        """The pane's size changed."""

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized())


def one_line(value: object, none: str = NO_VALUE) -> str:
    """`value` as one clean line of text; `none` for None."""
    if value is None:
        return none
    return " ".join(clean_text(str(value)).split())


def fit(text: str, cells: int) -> Content:
    """Plain `text` cut to `cells` cells (with an ellipsis) or padded to exactly that width."""
    return Content(text).truncate(max(cells, 0), ellipsis=True, pad=True)


def bar(value: float, maximum: float, cells: int) -> str:
    """A bar `cells` wide at `maximum`, in eighths of a cell; a non-zero value shows at least ▏."""
    if maximum <= 0 or value <= 0 or cells <= 0:
        return " " * max(cells, 0)
    eighths = max(1, round(value / maximum * cells * 8))
    full, part = divmod(min(eighths, cells * 8), 8)
    text = _FULL * full + (_EIGHTHS[part] if part else "")
    return text.ljust(cells)


def bar_rows(
    rows: Sequence[tuple[object, int, str]],
    *,
    label_cells: int,
    bar_cells: int,
    bar_style: Style | str = "",
    number_style: Style | str = "",
) -> Content:
    """One line per (label, count, suffix): label, bar scaled to the largest count, count and
    suffix (e.g. a share). Null labels show as NO_VALUE."""
    maximum = max((count for _, count, _ in rows), default=0)
    width = max((len(f"{count:,}") for _, count, _ in rows), default=1)
    lines: list[Content] = []
    for label, count, suffix in rows:
        lines.append(
            Content.assemble(
                fit(one_line(label), label_cells),
                " ",
                Content.styled(bar(count, maximum, bar_cells), bar_style),
                " ",
                Content.styled(f"{count:>{width},}", number_style),
                suffix,
            )
        )
    return Content("\n").join(lines)
