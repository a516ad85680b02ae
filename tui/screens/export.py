"""ExportScreen: the `e` prompt that names the export file; its extension picks the format.

The input starts with a suggested name (`newsdesk-export-YYYYmmdd-HHMMSS.csv` in the export
directory). `enter` writes the view in a thread worker (`core.export.export_view`); the
screen closes with (path, rows) when the file is written, and stays open with the reason
shown under the input when the extension names no format or the file cannot be written.
A relative name is taken relative to the export directory. A directory whose name the
input could not show as it is (escape sequences, undecodable bytes) is named above the input,
spelled out by `for_display`, and the input starts with the file name alone.
A relative name is taken relative to the export directory.

Paths complete as they are typed (`tui.path_completion`): the rest of the first matching name
in the folder is shown dimmed, and `right` at the end of the input or `tab` accepts it.

A file that exists is replaced only when the user asks twice: the first `enter` says
"notes.md exists: press enter again to replace it, escape to cancel"; a second `enter` on
the same name replaces it (keeping its permissions), any edit of the name asks again. A
symbolic link, a missing folder or something that is not a regular file is refused with
the reason (`core.export_formats.target_problem`): nothing is created but the file itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from core.export_formats import EXPORT_FORMATS, ExportError, TargetExists, export_format, target_problem
from core.sanitize import for_display
from tui.path_completion import PathInput

Export = Callable[[Path, bool], int]
"""Writes the view to the path (replacing an existing file only when the flag is True) and
returns the row count; raises ExportError (TargetExists when the file exists) or OSError."""


class ExportScreen(ModalScreen[tuple[Path, int] | None]):
    """Asks for the export file name; returns (path, rows) once written (None: cancelled).

    | Key | Action |
    | :- | :- |
    | `enter` | Write the file (again on the same name: replace the existing file). |
    | `tab`, `right` at the end | Accept the path completion shown (`PathInput`). |
    | `escape` | Cancel. |
    """

    BINDINGS: list[BindingType] = [
        Binding("escape", "cancel", "Cancel", id="export.cancel"),
    ]

    def __init__(self, suggested: Path, rows: int, export: Export) -> None:
        super().__init__()
        self.suggested = suggested
        """The file name offered."""
        self.directory = suggested.parent
        """Where relative names are resolved."""
        self.rows = rows
        """Rows in the view (for the prompt)."""
        self._export = export
        self._writing = False
        # The input shows its text as it is: a name that is not plain text stays out of it.
        shown = for_display(self.directory)
        self._relative = shown != str(self.directory)
        self._offered = suggested.name if self._relative else str(suggested)
        self._where = f" in {shown}" if self._relative else ""
        self._confirmed: Path | None = None
        """The existing file the user was asked about: `enter` on it again replaces it."""

    def compose(self) -> ComposeResult:
        formats = " ".join(EXPORT_FORMATS)
        with Vertical(id="export-body") as body:
            body.border_title = f"Export {self.rows:,} rows"
            body.border_subtitle = "enter writes · escape cancels"
            yield Static(Content(f"File name{self._where} (the extension picks the format: {formats})"), id="export-help")
            yield PathInput(self._offered, self.directory, id="export-path")
            yield Static(Content(""), id="export-error")

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.focus()
        # select the stem, so typing a new name keeps the directory and the extension
        stem = self.suggested.stem
        start = 0 if self._relative else len(str(self.directory)) + 1
        field.selection = (start, start + len(stem))  # type: ignore[assignment]

    @property
    def error_text(self) -> str:
        """The error shown under the input, '' when none."""
        return str(self.query_one("#export-error", Static).content)

    def show_error(self, message: str) -> None:
        """Show `message` under the input (plain text)."""
        self._writing = False
        error = self.query_one("#export-error", Static)
        error.update(Content(for_display(message, one_line=True)))
        error.set_class(bool(message), "-shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._writing:
            return
        text = event.value.strip()
        if not text:
            self.show_error("Type a file name.")
            return
        target = Path(text).expanduser()
        if not target.is_absolute():
            target = self.directory / target
        try:
            export_format(target)
        except ExportError as error:
            self.show_error(str(error))
            return
        try:
            str(target).encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 in a name: Polars cannot write there
            self.show_error(f"Cannot write {for_display(target)}: the name is not UTF-8 text; choose another.")
            return
        problem = target_problem(target)
        if problem is not None:
            self.show_error(problem)
            return
        replace = self._confirmed == target
        if not replace and target.exists():
            self._ask_to_replace(target)
            return
        self.show_error("")
        self._writing = True
        self._write(target, replace)

    def _ask_to_replace(self, target: Path) -> None:
        self.show_error(f"{target.name} exists: press enter again to replace it, escape to cancel")
        self._confirmed = target

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._confirmed is not None:  # another name: ask again before replacing anything
            self._confirmed = None
            self.show_error("")

    @work(thread=True, exclusive=True, exit_on_error=False, group="export", description="export")
    def _write(self, target: Path, replace: bool) -> None:
        import polars as pl

        try:
            rows = self._export(target, replace)
        except TargetExists:  # it appeared after the name was checked
            self.app.call_from_thread(self._ask_to_replace, target)
        except ExportError as error:
            self.app.call_from_thread(self.show_error, str(error))
        except (OSError, pl.exceptions.PolarsError) as error:
            reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
            self.app.call_from_thread(self.show_error, f"Cannot write {for_display(target)}: {reason}")
        else:
            self.app.call_from_thread(self.dismiss, (target, rows))

    def action_cancel(self) -> None:
        self.dismiss(None)
