"""Taking things out of the dashboard: copy to the clipboard (`y`, and the article's URL from
the command palette) and export of the view (`e`).

A large corpus keeps its bodies on disk: copying an article whose body is not cached reads it
from the snapshot in a worker first. An export writes the view as it is when `e` is pressed,
in the prompt's worker (`tui.screens.export`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.sanitize import for_display
from tui.screens.export import ExportScreen
from tui.widgets.reader import MISSING_BODY

if TYPE_CHECKING:
    from tui.app import NewsdeskApp


def copy(app: NewsdeskApp) -> None:
    """Copy the keyword under the keyword cursor (the panel focused), else the article under
    the list's cursor: its title, source and body."""
    panel = app.keyword_panel
    if app.focused is panel and (keyword := panel.current_keyword):
        app.copy_to_clipboard(keyword)
        app.notify(f"Copied keyword {keyword!r}", markup=False)
        return
    row = app.article_list.cursor
    if app.first_screen.still_opening():
        return
    if app.article_list.article_id_at(row) is None:
        app.notify("Nothing to copy.", severity="warning")
        return
    article, view = app.article_list.frame.row(row, named=True), app.view
    body = view.cached_body(article)
    if body is not None or "body" in article:
        _copy_article(app, article, body or "")
        return

    def read() -> None:
        text = view.body(article)
        app.call_from_thread(_copy_article, app, article, MISSING_BODY if text is None else text)

    app.run_worker(read, thread=True, exclusive=True, exit_on_error=False, group="copy", description="copying the article")


def copy_url(app: NewsdeskApp) -> None:
    """Copy the URL of the article in the reader, or say it has none."""
    url = for_display(app.reader.url, one_line=True)
    if not url:
        app.notify("This article has no URL.", severity="warning")
        return
    app.copy_to_clipboard(url)
    app.notify(f"Copied URL {url}", markup=False)


def _copy_article(app: NewsdeskApp, article: dict[str, Any], body: str) -> None:
    source = f"{article['source']}\n" if article.get("source") else ""
    app.copy_to_clipboard(f"{article['title']}\n{source}\n{body}")
    app.notify(f"Copied article {article['title']!r}", markup=False)


def export(app: NewsdeskApp, directory: Path | None) -> None:
    """Ask where to write the view as it is now (`directory`, default the current one), and write it."""
    if isinstance(app.screen, ExportScreen) or app.first_screen.still_opening():
        return
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    frame, keywords, view = app.article_list.frame, app.view.keywords, app.view  # the view as it is now

    def write(target: Path, replace: bool) -> int:  # runs in the prompt's worker thread
        from core.export import export_view
        from core.view import DISPLAY_ONLY

        return export_view(view.with_bodies(frame), keywords, target, drop=DISPLAY_ONLY, replace=replace)

    def exported(result: tuple[Path, int] | None) -> None:
        if result is not None:
            target, rows = result
            app.notify(f"Exported {rows:,} row{'' if rows == 1 else 's'} to {for_display(target)}", title="Export", markup=False)

    target = (directory or Path.cwd()) / f"newsdesk-export-{stamp}.csv"
    app.push_screen(ExportScreen(target, frame.height, write), callback=exported)
