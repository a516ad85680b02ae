"""BaseStyleCache: a widget's `rich_style`, computed once until its styles change.

Textual computes `Widget.rich_style` afresh on every access by walking the widget's
ancestors, and a line-API widget wants it for every line it renders: uncached, that walk
is a sizeable share of a cursor move in the reader and the lists. Textual notifies a widget (`notify_style_update`) whenever
a class, pseudo-class, theme or stylesheet change restyles it or an ancestor, which is when
the cached style is dropped (as Textual does with its own component-style cache).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style

if TYPE_CHECKING:
    from textual.widget import Widget

    _Base = Widget
else:
    _Base = object


class BaseStyleCache(_Base):
    """Mixed into a widget before its Textual base class: `base_style` is `rich_style`, cached.

    A plain mixin, not a `Widget` subclass: made one and put ahead of `ScrollView` in the
    method order, it stopped the lists scrolling to their cursor."""

    _cached_base_style: Style | None = None

    @property
    def base_style(self) -> Style:
        """The widget's own style (`rich_style`), recomputed only after a style update."""
        style = self._cached_base_style
        if style is None:
            style = self._cached_base_style = self.rich_style
        return style

    def notify_style_update(self) -> None:
        self._cached_base_style = None
        super().notify_style_update()
