"""Terminal charts for the insight screens: labelled horizontal bars as `Content`, and
`Fitted`, content laid out for the width it is drawn at.

Labels are corpus data (sections, sources, keywords), so every line is `Content` built from
plain strings (never markup), cleaned of control characters and cut to a cell width.
Bars use the eighth blocks (▏▎▍▌▋▊▉█), so a bar of 20 cells shows 160 steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

from core.sanitize import for_display

_EIGHTHS = " ▏▎▍▌▋▊▉"
_FULL = "█"

NO_VALUE = "(none)"
"""The label of a null bucket (no section, no source)."""


class Fitted(Visual):
    """Content that `layout(width)` makes for the width it is drawn at (bars, cut labels).

    A screen can hand it to a Static or an Option before anything is laid out: the layout runs
    when Textual measures or paints it, with the final width, so the first paint is right and
    a resize needs no redraw. The last width's content is kept."""

    def __init__(self, layout: Callable[[int], Content]) -> None:
        self._layout = layout
        self._laid_out: tuple[int, Content] | None = None

    def content(self, width: int) -> Content:
        """The content for `width` cells."""
        if self._laid_out is None or self._laid_out[0] != width:
            self._laid_out = (width, self._layout(width))
        return self._laid_out[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.content(width).get_height(rules, width)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.content(width).render_strips(width, height, style, options)


def one_line(value: object, none: str = NO_VALUE) -> str:
    """`value` as one clean line of text; `none` for None."""
    if value is None:
        return none
    return " ".join(for_display(value).split())


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
