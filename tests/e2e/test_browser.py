"""`newsdesk serve` in a real browser: headless Chromium (Debian's) driven by Playwright.

The server runs as its own process group on a free port; the test opens the page, waits for
the app to paint, types `/pipeline` Enter and checks the filtered result is on the page.

How the screen is read: textual-serve renders into xterm.js with its WebGL/canvas renderer,
so the text is not in the DOM. An init script (run before the page's own code) notices the
page's terminal object being stored (`this.terminal = new Terminal(...)` on textual-serve's
session object, recognised by its `websocket_url`) and keeps a reference; the test then
reads the screen through xterm.js's public buffer API (`buffer.active.getLine(y)
.translateToString()`), which is what the renderer draws from. Keys go in through the
browser's keyboard into xterm's focused textarea, as a user's would.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.tui.corpus import ROWS, TOTAL, write_corpus

REPO = Path(__file__).resolve().parents[2]
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise AssertionError(f"newsdesk serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise AssertionError(f"newsdesk serve did not listen on {port} within {timeout:.0f} s") from None
            time.sleep(0.1)


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (server and the app sessions it started), then SIGKILL."""
    for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        # The leader is gone; make sure no session process outlived it.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


@pytest.fixture
def served(tmp_path: Path, isolated_dirs: Path) -> Iterator[str]:
    """`newsdesk serve CORPUS --port N` running; yields its URL."""
    corpus = write_corpus(tmp_path)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "serve", str(corpus), "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process, timeout=30)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_group(process)
        log.close()


def test_serve_defaults_to_loopback_and_rejects_a_bad_port() -> None:
    from tui.cli import _build_parser

    args = _build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.paths) == ("127.0.0.1", 8000, [])
    done = subprocess.run(
        [sys.executable, "-m", "tui.cli", "serve", "--port", "0"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (2, "newsdesk: --port must be from 1 to 65535\n")


def test_browser_shows_the_app_and_filters_by_keyboard(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.add_init_script(CAPTURE_TERMINAL)
            page.goto(served, wait_until="domcontentloaded")

            def wait_screen(predicate: object, what: str, timeout: float = 40.0) -> str:
                deadline = time.monotonic() + timeout
                screen = ""
                while True:
                    screen = page.evaluate(READ_SCREEN) or ""
                    if callable(predicate) and predicate(screen):
                        return screen
                    if time.monotonic() > deadline:
                        page.screenshot(path=str(tmp_path / "browser.png"))
                        raise AssertionError(f"timed out waiting for {what}; screenshot {tmp_path / 'browser.png'}; screen:\n{screen}")
                    time.sleep(0.1)

            screen = wait_screen(lambda s: f"{TOTAL} of {TOTAL}" in s, "first paint")
            assert all(row["title"] in screen for row in ROWS), screen
            assert page.locator(".xterm").count() == 1  # it really is xterm.js in the page

            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("/")
            page.keyboard.type("pipeline")
            page.keyboard.press("Enter")
            screen = wait_screen(
                lambda s: f"1 of {TOTAL}" in s and "Energy markets brace for winter" not in s, "the filtered list"
            )
            assert "Russia and Turkey talk pipelines" in screen
            assert "filter: pipeline" in screen or "pipeline" in screen.splitlines()[0]
        finally:
            browser.close()
