"""`newsdesk serve` in a real browser: headless Chromium (Debian's) driven by Playwright.

The server runs as its own process group on a free port (tests/e2e/serving.py); the test
opens the token URL it printed, waits for the app to paint, types `/pipeline` Enter and checks
the filtered result is on the page. Without the token the page is a 403, and a page from
another origin (a second local server) cannot open a session even though the browser holds
the token cookie for 127.0.0.1.

How the screen is read: textual-serve renders into xterm.js with its WebGL/canvas renderer,
so the text is not in the DOM. An init script (run before the page's own code) notices the
page's terminal object being stored (`this.terminal = new Terminal(...)` on textual-serve's
session object, recognised by its `websocket_url`) and keeps a reference; the test then
reads the screen through xterm.js's public buffer API (`buffer.active.getLine(y)
.translateToString()`), which is what the renderer draws from. Keys go in through the
browser's keyboard into xterm's focused textarea, as a user's would.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.serving import REPO, Served, app_processes, start_serve
from tests.tui.corpus import ROWS, TOTAL, write_corpus

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (the CI script installs Debian's chromium)")

CAPTURE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (typeof this.websocket_url === "string") { window.__newsdeskTerminal = value; }
  },
});
"""

READ_SCREEN = """
() => {
  const term = window.__newsdeskTerminal;
  if (!term) { return null; }
  const buffer = term.buffer.active;
  const lines = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
}
"""


@pytest.fixture
def served(tmp_path: Path, isolated_dirs: Path) -> Iterator[Served]:
    """`newsdesk serve CORPUS --port N` running; yields it (its printed URL carries the token)."""
    with start_serve(tmp_path, [str(write_corpus(tmp_path))]) as server:
        yield server


@pytest.fixture
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


@contextmanager
def other_site(directory: Path, html: str) -> Iterator[str]:
    """`html` served as index.html from another local origin (another port); yields its URL."""
    directory.mkdir()
    (directory / "index.html").write_text(html, encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(directory))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
        finally:
            server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002  (the base class's name)
        pass


def test_serve_defaults_to_loopback_and_rejects_a_bad_port() -> None:
    from core.commands.arguments import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.paths) == ("127.0.0.1", 8000, [])
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "serve", "--port", "0"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (2, "newsdesk: --port must be from 1 to 65535\n")


def wait_screen(page: Page, predicate: Callable[[str], bool], what: str, shot: Path, timeout: float = 40.0) -> str:
    """Poll the page's terminal until `predicate(screen)`; on timeout a screenshot goes to `shot`."""
    deadline = time.monotonic() + timeout
    while True:
        screen = page.evaluate(READ_SCREEN) or ""
        if predicate(screen):
            return screen
        if time.monotonic() > deadline:
            page.screenshot(path=str(shot))
            raise AssertionError(f"timed out waiting for {what}; screenshot {shot}; screen:\n{screen}")
        time.sleep(0.1)


def test_browser_shows_the_app_and_filters_by_keyboard(served: Served, browser: Browser, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script(CAPTURE_TERMINAL)
    page.goto(served.url, wait_until="domcontentloaded")
    shot = tmp_path / "browser.png"

    # The page's terminal draws what the socket brings as it comes, so the status bar can
    # show the count a moment before the list's rows are drawn: wait for both.
    wait_screen(
        page,
        lambda s: f"{TOTAL} of {TOTAL}" in s and all(row["title"] in s for row in ROWS),
        "first paint with every title",
        shot,
    )
    assert page.locator(".xterm").count() == 1  # it really is xterm.js in the page

    page.locator(".xterm-helper-textarea").focus()
    page.keyboard.press("/")
    page.keyboard.type("pipeline")
    page.keyboard.press("Enter")
    screen = wait_screen(
        page, lambda s: f"1 of {TOTAL}" in s and "Energy markets brace for winter" not in s, "the filtered list", shot
    )
    assert "Russia and Turkey talk pipelines" in screen
    assert "filter: pipeline" in screen or "pipeline" in screen.splitlines()[0]


def test_browser_without_the_token_gets_a_403(served: Served, browser: Browser) -> None:
    page = browser.new_page()
    response = page.goto(f"{served.base}/", wait_until="domcontentloaded")
    assert response is not None and response.status == 403
    assert page.inner_text("body").strip() == "newsdesk: a valid token is required: open the URL the server printed at start"
    assert page.locator(".xterm").count() == 0


ATTACK = """<!doctype html><title>a page the user visits</title><script>
window.attempts = {};
function attempt(name, url) {
  const socket = new WebSocket(url);
  socket.onopen = () => { window.attempts[name] = "open"; };
  socket.onerror = () => { window.attempts[name] = window.attempts[name] || "refused"; };
}
attempt("cookie", "ws://127.0.0.1:PORT/ws?width=80&height=24");
attempt("localhost", "ws://localhost:PORT/ws?width=80&height=24");
</script>"""


def test_a_page_on_another_site_cannot_open_a_session(served: Served, browser: Browser, tmp_path: Path) -> None:
    """The user has the real page open (so the browser holds the token cookie, which is sent
    to 127.0.0.1 from any port: same site); a page from another origin then tries the socket."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(CAPTURE_TERMINAL)
    page.goto(served.url, wait_until="domcontentloaded")
    wait_screen(page, lambda s: ROWS[0]["title"] in s, "first paint", tmp_path / "browser.png")
    assert any(cookie["value"] == served.token for cookie in context.cookies())

    with other_site(tmp_path / "site", ATTACK.replace("PORT", str(served.port))) as attacker:
        hostile = context.new_page()
        hostile.goto(attacker, wait_until="domcontentloaded")
        hostile.wait_for_function("Object.keys(window.attempts).length === 2", timeout=20_000)
        assert hostile.evaluate("window.attempts") == {"cookie": "refused", "localhost": "refused"}
    refusals = [line for line in served.stderr.read_text().splitlines() if "refused GET /ws" in line]
    assert len(refusals) == 2 and all("(Origin)" in line for line in refusals), refusals
    assert len(app_processes(served.process.pid)) == 1  # the user's own session only
