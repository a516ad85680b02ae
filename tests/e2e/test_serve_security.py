"""`newsdesk serve` refuses what is not its own page, caps sessions and stops cleanly.

A real server process on a loopback port (tests/e2e/serving.py), talked to with aiohttp's
client, which lets a test set the Origin and Host headers a hostile page or a DNS-rebinding
attack would send. Every request goes to 127.0.0.1. A session is real: the websocket starts
a real app process, whose screen bytes must show an article title from the corpus.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.serving import Served, alive, app_processes, free_port, launch, start_serve
from tests.tui.corpus import ROWS, write_corpus

TITLE = ROWS[0]["title"].encode()
EVIL = "https://evil.example"


@dataclass
class Session:
    """An open websocket session and the client it belongs to."""

    client: aiohttp.ClientSession
    websocket: aiohttp.ClientWebSocketResponse

    async def close(self) -> None:
        await self.websocket.close()
        await self.client.close()


async def open_session(url: str, headers: dict[str, str] | None = None) -> Session:
    """A websocket session that has shown the dashboard (an article title is on its screen)."""
    client = aiohttp.ClientSession()
    try:
        websocket = await client.ws_connect(url, headers=headers or {})
        await websocket.send_json(["resize", {"width": 120, "height": 40}])
        screen = b""
        async with asyncio.timeout(60):
            while TITLE not in screen:
                message = await websocket.receive()
                assert message.type == aiohttp.WSMsgType.BINARY, f"the session ended: {message}"
                screen += message.data
    except BaseException:
        await client.close()
        raise
    return Session(client, websocket)


async def handshake_status(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """The status and body a websocket handshake is refused with (AssertionError if accepted)."""
    async with aiohttp.ClientSession() as client:
        try:
            async with client.ws_connect(url, headers=headers or {}):
                pass
        except aiohttp.WSServerHandshakeError as error:
            async with client.get(url.replace("ws://", "http://", 1), headers=headers or {}) as response:
                return error.status, await response.text()
    raise AssertionError(f"the websocket {url} was accepted")


async def get(url: str, headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None) -> tuple[int, str, aiohttp.ClientResponse]:
    async with aiohttp.ClientSession(cookies=cookies) as client:
        async with client.get(url, headers=headers or {}, allow_redirects=False) as response:
            return response.status, await response.text(), response


def assert_refusal(status: int, body: str, expected: int) -> None:
    assert status == expected, body
    assert body.startswith("newsdesk: ") and body.count("\n") == 1 and body.endswith("\n"), body


@pytest.fixture
def served(tmp_path: Path, isolated_dirs: Path):  # type: ignore[no-untyped-def]
    with start_serve(tmp_path, [str(write_corpus(tmp_path))]) as server:
        yield server


def test_the_page_needs_the_token_the_url_carries(served: Served) -> None:
    async def check() -> None:
        status, body, _ = await get(served.base + "/")
        assert_refusal(status, body, 403)
        status, body, _ = await get(served.base + "/?token=" + "x" * len(served.token))
        assert_refusal(status, body, 403)

        status, page, response = await get(served.url)
        assert status == 200
        # The page's websocket URL carries the token; a cookie carries it for what follows.
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws/{served.token}"' in page
        cookie = response.cookies[next(iter(response.cookies))]
        assert cookie.value == served.token and cookie["httponly"] and cookie["samesite"] == "Strict"
        status, _, _ = await get(served.base + "/", cookies={cookie.key: cookie.value})
        assert status == 200

        status, body, _ = await get(served.base + "/download/some-key")  # exported files too
        assert_refusal(status, body, 403)
        status, _, _ = await get(served.base + "/download/some-key?token=" + served.token)
        assert status == 404  # authorised, but there is no such download

    asyncio.run(check())
    assert served.url == f"http://127.0.0.1:{served.port}/?token={served.token}"
    assert len(served.token) >= 40


def test_websockets_from_other_sites_or_without_the_token_are_refused(served: Served) -> None:
    ws = f"ws://127.0.0.1:{served.port}"
    refused = [
        (f"{ws}/ws", {}),  # no token
        (f"{ws}/ws/{'A' * len(served.token)}", {}),  # a wrong token
        (f"{ws}/ws?token={served.token}", {"Origin": EVIL}),  # a page on another site
        (f"{ws}/ws/{served.token}", {"Origin": EVIL}),
        (f"{ws}/ws/{served.token}", {"Origin": f"http://127.0.0.1:{free_port()}"}),  # another local server
        (f"{ws}/ws/{served.token}", {"Origin": "null"}),  # a sandboxed frame or a file: page
        (f"{ws}/ws/{served.token}", {"Host": f"evil.example:{served.port}"}),  # DNS rebinding
    ]

    async def check() -> None:
        for url, headers in refused:
            status, body = await handshake_status(url, headers)
            assert_refusal(status, body, 403)
        assert app_processes(served.process.pid) == []  # no refused request started an app
        session = await open_session(f"{ws}/ws/{served.token}", {"Origin": f"http://127.0.0.1:{served.port}"})
        await session.close()

    asyncio.run(check())
    output = served.output()
    assert "Traceback" not in output and served.token not in served.stderr.read_text()
    # One line per refusal: the handshake, then the plain GET that read its body.
    assert served.stderr.read_text().count("refused GET /ws") == 2 * len(refused)


def test_a_host_header_that_does_not_name_the_server_is_refused(served: Served) -> None:
    async def check() -> None:
        for host in ("evil.example", f"evil.example:{served.port}", f"127.0.0.1.evil.example:{served.port}"):
            status, body, _ = await get(served.url, headers={"Host": host})
            assert_refusal(status, body, 403)
        for host in (f"localhost:{served.port}", f"127.0.0.1:{served.port}", f"[::1]:{served.port}"):
            status, page, _ = await get(served.url, headers={"Host": host})
            assert status == 200, host
            assert f"ws://{host}/ws/{served.token}" in page  # the page points back where it was reached

    asyncio.run(check())


def test_with_a_public_url_the_printed_url_and_the_page_use_it(tmp_path: Path, isolated_dirs: Path) -> None:
    with start_serve(tmp_path, [str(write_corpus(tmp_path)), "--public-url", "https://news.example.org/desk/"]) as served:
        assert served.url == f"https://news.example.org/desk/?token={served.token}"

        async def check() -> None:
            # A proxy that passes the public Host on; the request itself goes to 127.0.0.1.
            proxied = served.url.replace("https://news.example.org/desk", served.base)
            status, page, response = await get(proxied, headers={"Host": "news.example.org"})
            assert status == 200
            assert f'data-session-websocket-url="wss://news.example.org/desk/ws/{served.token}"' in page
            assert 'href="https://news.example.org/desk/static/css/xterm.css"' in page
            cookie = response.cookies[next(iter(response.cookies))]
            assert cookie["secure"] and cookie["path"] == "/desk"
            status, body = await handshake_status(
                f"ws://127.0.0.1:{served.port}/ws/{served.token}", {"Host": "news.example.org", "Origin": EVIL}
            )
            assert_refusal(status, body, 403)
            status, body = await handshake_status(
                f"ws://127.0.0.1:{served.port}/ws/{served.token}", {"Host": "evil.example", "Origin": "https://news.example.org"}
            )
            assert_refusal(status, body, 403)
            public = {"Host": "news.example.org", "Origin": "https://news.example.org"}
            await (await open_session(f"ws://127.0.0.1:{served.port}/ws/{served.token}", public)).close()

        asyncio.run(check())


@pytest.mark.parametrize("how", ["config", "flag"])
def test_the_session_after_the_cap_is_refused(how: str, tmp_path: Path, isolated_dirs: Path) -> None:
    config = isolated_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("max_sessions = 1\n" if how == "config" else "max_sessions = 3\n")
    arguments = [str(write_corpus(tmp_path))] + (["--max-sessions", "1"] if how == "flag" else [])
    with start_serve(tmp_path, arguments) as served:
        url = f"ws://127.0.0.1:{served.port}/ws/{served.token}"

        async def check() -> None:
            first = await open_session(url)
            status, body = await handshake_status(url)
            assert_refusal(status, body, 503)
            assert len(app_processes(served.process.pid)) == 1
            await first.close()
            async with asyncio.timeout(20):  # the closed session's place is free again
                while True:
                    try:
                        again = await open_session(url)
                        break
                    except aiohttp.WSServerHandshakeError as error:
                        assert error.status == 503
                        await asyncio.sleep(0.2)
            await again.close()

        asyncio.run(check())
        assert "Traceback" not in served.output()


def test_an_address_other_machines_reach_is_warned_about(tmp_path: Path) -> None:
    # The port is held on loopback, so the wildcard bind fails: nothing is ever exposed.
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process, stdout, stderr = launch(tmp_path, ["--host", "0.0.0.0", "--port", str(port)])
        assert process.wait(timeout=60) == 1
    lines = stderr.read_text().splitlines()
    assert lines[0].startswith("newsdesk serve: warning: --host 0.0.0.0 listens on every network interface")
    assert lines[1:] == [f"newsdesk: cannot listen on 0.0.0.0:{port}: Address already in use"], lines
    assert stdout.read_text() == ""


def test_loopback_gets_no_warning(served: Served) -> None:
    assert "warning" not in served.stderr.read_text()


@pytest.mark.parametrize("how", ["SIGTERM to the process group", "SIGINT to the server"])
def test_a_signal_ends_the_server_and_every_session_at_once(how: str, served: Served) -> None:
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}"

    async def check() -> list[int]:
        session = await open_session(url)
        apps = app_processes(served.process.pid)
        assert len(apps) == 1 and alive(apps[0])
        if how.startswith("SIGTERM"):
            os.killpg(served.process.pid, signal.SIGTERM)
        else:
            os.kill(served.process.pid, signal.SIGINT)
        started = time.monotonic()
        await asyncio.to_thread(served.process.wait, 10)
        assert time.monotonic() - started < 6
        await session.client.close()
        return apps

    try:
        apps = asyncio.run(check())
    except subprocess.TimeoutExpired:
        pytest.fail(f"the server was still running 10 s after {how}")
    assert served.process.returncode == 0
    deadline = time.monotonic() + 3
    while any(alive(pid) for pid in apps) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in apps), f"app process {apps} outlived the server"
    assert "Traceback" not in served.output()


def test_the_app_runs_as_python_m_tui_cli(served: Served) -> None:
    async def check() -> None:
        session = await open_session(f"ws://127.0.0.1:{served.port}/ws/{served.token}")
        (app,) = app_processes(served.process.pid)
        argv = Path(f"/proc/{app}/cmdline").read_bytes().split(b"\0")[:-1]
        assert [part.decode() for part in argv[:4]] == [sys.executable, "-m", "tui.cli", "--"]
        assert Path(argv[4].decode()).is_absolute()
        assert os.getpgid(app) == app  # its own process group: its workers end with it
        await session.close()

    asyncio.run(check())
