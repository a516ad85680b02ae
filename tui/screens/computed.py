"""ComputedScreen: a screen whose numbers are computed off the UI thread before it opens.

The app runs `compute()` in a thread worker when the key is pressed and pushes the screen
once `show(result)` has given it the numbers, so its first paint has them: one layout and
one paint instead of a "Computing…" screen painted, then painted again (on a large corpus
each paint of a full screen is real work for the UI thread, and a worker counting meanwhile
waits for the GIL). When the numbers take longer than the app's grace period, it
pushes the screen anyway: it says "Computing…" until `show` arrives.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.screen import Screen

ResultT = TypeVar("ResultT")
ReturnT = TypeVar("ReturnT")


class ComputedScreen(Screen[ReturnT], Generic[ReturnT, ResultT]):
    """A screen drawn from the result of `compute()` (subclasses implement both)."""

    def __init__(self) -> None:
        super().__init__()
        self.result: ResultT | None = None
        """The numbers, once computed."""
        self.stats_shown = False
        """The numbers are drawn (on screen from the next paint)."""

    def compute(self) -> ResultT:
        """The screen's numbers (runs in a thread worker: read-only over immutable frames)."""
        raise NotImplementedError

    def draw(self, result: ResultT) -> None:
        """Put `result` in the mounted screen's widgets (UI thread; no computing)."""
        raise NotImplementedError

    def show(self, result: ResultT) -> None:
        """Take the computed numbers: drawn now if mounted, else when mounted (before the
        first paint)."""
        self.result = result
        if self.is_mounted:
            self._draw_result()

    def on_mount(self) -> None:
        if self.result is not None:
            self._draw_result()

    def _draw_result(self) -> None:
        if self.result is not None and self.is_attached:
            self.draw(self.result)
            self.stats_shown = True
