"""The article's URL opened in the local browser (`O`).

The browser is started in a thread worker (Python's `webbrowser` can block while it starts
one), never on the UI thread. A URL that is not http(s), or holds control characters, is
refused with one notification; over SSH or with no graphical display no local browser is
tried (`core.links.no_local_browser`): the reader's header already shows the URL as an OSC 8
hyperlink, which the user's own terminal can open, and the notification says so.
"""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING

from core.links import no_local_browser, url_problem
from core.sanitize import for_display

if TYPE_CHECKING:
    from textual.app import App


def _terminal_link_hint(url: str, why: str) -> str:
    return f"No local browser ({why}): the URL in the reader's header is a link your terminal can open (often ctrl+click or cmd+click): {for_display(url, one_line=True)}"


def open_link(app: App[int], url: str) -> None:
    """Open `url` in the local browser, in a worker; or say why not, in one notification."""
    if not url:
        app.notify("This article has no URL.", severity="warning", markup=False)
        return
    if problem := url_problem(url):
        app.notify(f"Not opened: {problem}.", severity="warning", markup=False)
        return
    if why := no_local_browser():
        app.notify(_terminal_link_hint(url, why), title="Link", timeout=10, markup=False)
        return

    def start() -> None:  # in the worker thread
        try:
            opened = webbrowser.get().open(url)
        except webbrowser.Error:
            opened = False
        if opened:
            app.call_from_thread(app.notify, f"Opened {for_display(url, one_line=True)}", title="Link", markup=False)
        else:
            app.call_from_thread(app.notify, _terminal_link_hint(url, "none found"), title="Link", timeout=10, markup=False)

    app.run_worker(start, thread=True, exclusive=True, exit_on_error=False, group="browser", description="opening the link")

