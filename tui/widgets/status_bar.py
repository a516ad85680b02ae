"""StatusBar: `<shown> of <total>` rows, the sort, the active filter, indexing progress, skipped files.

A plain `Widget` whose `render` builds the line: an update repaints one line and never
triggers a layout pass (a `Static.update` would re-layout the screen on every filter).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual.content import Content
from textual.widget import Widget

from core.sanitize import for_display
from core.sorts import sort_label


@dataclass(frozen=True, slots=True)
class Status:
    """Everything the status bar shows."""

    shown: int = 0
    total: int = 0
    sort: str = "relevance"
    filter: str = ""
    loading: bool = True
    index_done: int = 0
    index_total: int = 0
    docs_per_s: float | None = None
    indexing: bool = False
    parsing: bool = False
    parse_done: int = 0
    parse_total: int = 0
    parse_mb_per_s: float | None = None
    parse_seconds_left: float | None = None
    languages: bool = False
    """Every row is in, and the languages of some are still being detected."""
    note: str = ""
    skipped: int = 0
    """Files the load could not use (the overview lists them)."""
    new: int = 0
    """Articles that arrived since the session opened (`is:new`, `+`)."""


class StatusBar(Widget):
    """One line of state: rows shown, sort, filter, keyword indexing progress."""

    COMPONENT_CLASSES = {"status-bar--count", "status-bar--filter"}
    """
    | Class | Description |
    | :- | :- |
    | `status-bar--count` | The `<shown> of <total>` part. |
    | `status-bar--filter` | The active filter text. |
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.status = Status()
        """What is shown now."""

    def set(self, **changes: object) -> None:
        """Change some fields of the status and repaint."""
        status = replace(self.status, **changes)  # type: ignore[arg-type]
        if status != self.status:
            self.status = status
            self.refresh()

    def render(self) -> Content:
        return self.render_status()

    @property
    def text(self) -> str:
        """The status line as plain text."""
        return self.render_status().plain

    def render_status(self) -> Content:
        """The status line, built from plain strings (the filter is user text)."""
        status = self.status
        if status.loading and not status.total:
            count = "loading…"
        else:
            count = f"{status.shown:,} of {status.total:,}"
        parts: list[Content | str | tuple[str, object]] = [
            Content.styled(f" {count} ", self.get_visual_style("status-bar--count", partial=True)),
            f" sort: {sort_label(status.sort)}",
        ]
        if status.filter:
            parts += ["  filter: ", Content.styled(for_display(status.filter, one_line=True), self.get_visual_style("status-bar--filter", partial=True))]
        if status.parsing:
            rate = f" {status.parse_mb_per_s:,.1f} MB/s" if status.parse_mb_per_s else ""
            parts.append(
                f"  parsing {status.parse_done:,}/{status.parse_total:,} files{rate}{_time_left(status.parse_seconds_left)}"
            )
        if status.languages:
            parts.append("  detecting languages…")
        if status.indexing:
            rate = f" {status.docs_per_s:,.0f} docs/s" if status.docs_per_s else ""
            left = None
            if status.docs_per_s and status.index_total > status.index_done:
                left = (status.index_total - status.index_done) / status.docs_per_s
            parts.append(f"  keywords {status.index_done:,}/{status.index_total:,}{rate}{_time_left(left)}")
        elif status.index_total:
            parts.append(f"  keywords: {status.index_total:,} indexed")
        if status.new:
            parts.append(f"  +{status.new:,} new")
        if status.skipped:
            parts.append(f"  {skipped_summary(status.skipped)}")
        if status.note:
            parts.append(f"  {for_display(status.note, one_line=True)}")
        return Content.assemble(*parts)  # type: ignore[arg-type]


def skipped_summary(count: int) -> str:
    """"3 files skipped: o for details" (the overview lists them)."""
    return f"{count:,} file{'' if count == 1 else 's'} skipped: o for details"


def _time_left(seconds: float | None) -> str:
    """" ~42s left", " ~3m left", or "" when unknown."""
    if seconds is None or seconds < 1:
        return ""
    return f" ~{seconds:.0f}s left" if seconds < 90 else f" ~{seconds / 60:.0f}m left"
