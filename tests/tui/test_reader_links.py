"""The article's URL in the reader: shown in the header as a link, `O` to open it, the palette to
copy it. Real keys throughout; the browser is Python's real `webbrowser`, told by `BROWSER` to run
a tiny script that writes the URL it was given to a file."""

from __future__ import annotations

import stat
import webbrowser
from pathlib import Path

import pytest

from tests.tui.corpus import ready, wait_for
from tests.tui.reader_corpus import JAVASCRIPT_URL, reader_rows, write_corpus
from tests.tui.test_reader_find import open_article, type_text
from tui.app import NewsdeskApp, create_app

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
ROWS = reader_rows()
RU, EN, ODD, BARE, BIDI = ROWS[0], ROWS[3], ROWS[5], ROWS[6], ROWS[7]


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`BROWSER` set to a script that writes its argument to the returned path; not over SSH."""
    opened = tmp_path / "opened.txt"
    script = tmp_path / "fake-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("BROWSER", str(script))
    for variable in ("SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(variable, raising=False)
    # `webbrowser` reads BROWSER once per process, when first asked: let it read it again.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    return opened


def make_app(tmp_path: Path) -> NewsdeskApp:
    return create_app([write_corpus(tmp_path, ROWS)], index=False, export_dir=tmp_path)


def messages(app: NewsdeskApp) -> list[str]:
    return [notification.message for notification in app._notifications]


def link_spans(app: NewsdeskApp) -> list[tuple[str, str | None]]:
    """(text, link) of every span of the reader's text whose style carries a link."""
    text = app.reader.render_article()
    return [(text.plain[s.start : s.end], s.style.link) for s in text.spans if not isinstance(s.style, str) and s.style.link]


async def test_the_header_shows_the_url_as_a_link(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, RU["title"])
        lines = app.reader.lines
        assert lines[2].strip() == RU["url"], lines[:4]  # title, meta line, then the URL
        assert link_spans(app) == [(RU["url"], RU["url"])]
        await open_article(pilot, app, ODD["title"])
        assert JAVASCRIPT_URL in app.reader.plain_text, "shown, as text"
        assert link_spans(app) == [], "a javascript: URL is never made a link"
        await open_article(pilot, app, BARE["title"])
        assert link_spans(app) == [] and "http" not in app.reader.lines[2]


async def test_O_opens_the_url_in_the_browser_from_a_worker(tmp_path: Path, browser: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, EN["title"])
        await pilot.press("O")
        await wait_for(pilot, browser.exists, what="the browser script")
        await wait_for(pilot, lambda: browser.read_text(encoding="utf-8") == EN["url"], what="the URL handed over")
        await wait_for(pilot, lambda: any(m.startswith("Opened https://en.wikinews.org/") for m in messages(app)), what="notice")


async def test_O_refuses_a_javascript_url_and_says_when_there_is_none(tmp_path: Path, browser: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, ODD["title"])
        await pilot.press("O")
        await pilot.pause()
        assert messages(app) == ["Not opened: only http and https links are opened (a javascript: URL)."]
        await open_article(pilot, app, BARE["title"])
        await pilot.press("O")
        await pilot.pause()
        assert messages(app)[-1] == "This article has no URL."
        await open_article(pilot, app, BIDI["title"])
        assert link_spans(app) == [], "a URL with a right-to-left override is never made a link"
        await pilot.press("O")
        await pilot.pause()
        assert messages(app)[-1] == "Not opened: the URL holds control, invisible or space characters."
        await app.workers.wait_for_complete()
        assert not browser.exists()


async def test_over_ssh_no_browser_is_started_and_the_link_is_offered(
    tmp_path: Path, browser: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSH_CONNECTION", "192.0.2.1 50000 192.0.2.2 22")
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, RU["title"])
        await pilot.press("O")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert not browser.exists(), "a local browser was started over SSH"
        told = messages(app)
        assert len(told) == 1 and "over SSH" in told[0] and "link your terminal can open" in told[0] and RU["url"] in told[0]
        assert link_spans(app) == [(RU["url"], RU["url"])]


async def test_without_a_display_or_browser_setting_no_console_browser_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for variable in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY", "SSH_CONNECTION", "SSH_TTY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, RU["title"])
        await pilot.press("O")
        await pilot.pause()
        assert len(messages(app)) == 1 and "no graphical display" in messages(app)[0]


async def test_the_palette_copies_the_article_url(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, RU["title"])
        await pilot.press("ctrl+p")
        await type_text(pilot, "copy article url")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.clipboard == RU["url"], what="the URL copied")
        assert f"Copied URL {RU['url']}" in messages(app)
