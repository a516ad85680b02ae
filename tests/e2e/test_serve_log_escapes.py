"""What a client sends never reaches the terminal `newsdesk serve` runs in.

Any web page can make the browser request `http://127.0.0.1:PORT/<path>` (an image, a
script tag): no token is needed to be refused, and the refusal is logged with the request's
path, which aiohttp has already decoded. A real server process gets a percent-encoded
OSC 52 (clipboard write) and OSC 2 (window title) in the path; its stderr bytes must hold
no escape, BEL or C1 control, and still say the request was refused.
"""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

from tests.e2e.serving import start_serve
from tests.tui.corpus import write_corpus

CONTROLS = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def _send(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        return connection.recv(4096)


def test_a_request_path_with_escapes_is_logged_without_them(tmp_path: Path, isolated_dirs: Path) -> None:
    with start_serve(tmp_path, [str(write_corpus(tmp_path))]) as served:
        paths = [b"/%1b]52;c;UFdORUQ=%07", b"/%1b]2;PWNED%1b%5c", b"/%c2%9b31m%0d%0anewsdesk%20serve:%20open%20http://evil"]
        for path in paths:
            reply = _send(served.port, b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            assert reply.startswith(b"HTTP/1.1 403"), reply[:100]
        deadline = time.monotonic() + 10
        while served.stderr.read_bytes().count(b"refused GET") < len(paths) and time.monotonic() < deadline:
            time.sleep(0.1)
        logged = served.stderr.read_bytes()
    assert logged.count(b"refused GET") == len(paths), logged
    assert CONTROLS.search(logged.replace(b"\n", b"")) is None, logged
    assert b"PWNED" not in logged and b"UFdORUQ" not in logged, logged
    # A CR LF in the path cannot forge a line of the server's own.
    assert not any(line.startswith(b"newsdesk serve: open") for line in logged.splitlines()), logged
