"""The serve guard's rules (Host, Origin, exposure warning), the max_sessions setting and
flag, and how an app's process group is ended; the server itself is tested end to end in
tests/e2e/test_serve_security.py."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

import pytest

from core.config import Config, load_config
from tui.cli import main
from tui.serve import Guard, end_process_group, exposure_warning

TOKEN = "t" * 43


@pytest.mark.parametrize(
    ("bind", "host", "allowed"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "LOCALHOST:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:9000", True),  # an SSH tunnel's local port
        ("127.0.0.1", "evil.example:8000", False),  # DNS rebinding: the attacker's name
        ("127.0.0.1", "localhost.evil.example", False),
        ("127.0.0.1", "192.168.1.5:8000", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", 'localhost:8000"><script>', False),
        ("127.0.0.1", "localhost:80x", False),
        ("::1", "[::1]:8000", True),
        ("192.168.1.5", "192.168.1.5:8000", True),
        ("192.168.1.5", "localhost:8000", False),
        ("0.0.0.0", "192.168.1.5:8000", True),  # any address of this machine
        ("0.0.0.0", "[fe80::1]:8000", True),
        ("0.0.0.0", "localhost:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
    ],
)
def test_host_must_name_the_server(bind: str, host: str, allowed: bool) -> None:
    assert Guard(TOKEN, bind).host_allowed(host) is allowed


def test_the_public_url_host_is_allowed() -> None:
    guard = Guard(TOKEN, "127.0.0.1", public_url="https://news.example.org/desk")
    assert guard.host_allowed("news.example.org")
    assert not guard.host_allowed("example.org")
    assert guard.origin_allowed("https://news.example.org", "127.0.0.1:8000")  # a proxy that rewrites Host
    assert not guard.origin_allowed("http://news.example.org", "127.0.0.1:8000")
    assert not guard.origin_allowed("https://news.example.org:8443", "127.0.0.1:8000")


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("http://localhost:9000", "localhost:9000", True),
        ("https://desk.example", "desk.example", True),
        ("https://evil.example", "127.0.0.1:8000", False),
        ("http://127.0.0.1:8001", "127.0.0.1:8000", False),  # another local server
        ("http://localhost:8000", "127.0.0.1:8000", False),
        ("null", "127.0.0.1:8000", False),
        ("file://", "127.0.0.1:8000", False),
        ("http://127.0.0.1:x", "127.0.0.1:8000", False),
    ],
)
def test_origin_must_be_the_page_the_server_gave(origin: str, host: str, allowed: bool) -> None:
    assert Guard(TOKEN, "127.0.0.1").origin_allowed(origin, host) is allowed


def test_cookie_names_differ_between_launches() -> None:
    assert Guard(TOKEN, "127.0.0.1").cookie_name != Guard("u" * 43, "127.0.0.1").cookie_name
    assert TOKEN not in Guard(TOKEN, "127.0.0.1").cookie_name


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_gets_no_warning(host: str) -> None:
    assert exposure_warning(host) is None


@pytest.mark.parametrize(("host", "where"), [("0.0.0.0", "every network interface"), ("::", "every network interface"), ("192.168.1.5", "192.168.1.5"), ("desk.lan", "desk.lan")])
def test_other_addresses_are_warned_about(host: str, where: str) -> None:
    warning = exposure_warning(host)
    assert warning is not None and f"--host {host} listens on {where}:" in warning and "\n" not in warning


def test_max_sessions_setting(isolated_dirs: Path) -> None:
    path = isolated_dirs / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("max_sessions = 2\n")
    config = load_config()
    assert (config.max_sessions, config.warnings) == (2, ())
    assert "max_sessions = 2\n" in config.to_toml()
    assert Config().max_sessions == 4
    for bad in ("0", "65", "true", '"3"', "2.5"):
        path.write_text(f"max_sessions = {bad}\n")
        config = load_config()
        assert config.max_sessions == 4
        assert config.warnings == (f"{path}: max_sessions must be a whole number from 1 to 64, not {load_shown(bad)}; using 4",)


def load_shown(toml_value: str) -> str:
    import tomllib

    return repr(tomllib.loads(f"v = {toml_value}")["v"])


@pytest.mark.parametrize("value", ["0", "65", "-1"])
def test_a_bad_max_sessions_flag_is_one_line(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--max-sessions", value]) == 2
    assert capsys.readouterr().err == "newsdesk: --max-sessions must be from 1 to 64\n"


def test_ending_a_group_kills_an_app_that_ignores_sigterm_and_its_workers() -> None:
    script = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "worker = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print(worker.pid, flush=True)\n"
        "time.sleep(60)\n"
    )

    async def check() -> tuple[int, int, float]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE, start_new_session=True
        )
        assert process.stdout is not None
        worker = int(await process.stdout.readline())
        started = time.monotonic()
        await end_process_group(process, grace=0.5)
        return process.returncode or 0, worker, time.monotonic() - started

    returncode, worker, took = asyncio.run(check())
    assert returncode == -signal.SIGKILL
    assert 0.4 < took < 5
    deadline = time.monotonic() + 3
    while Path(f"/proc/{worker}").exists() and _state(worker) != "Z" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{worker}").exists() or _state(worker) == "Z", "the worker outlived its app"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"


@pytest.mark.parametrize("url", ["desk.example.org", "ftp://desk.example.org", "https://", "https://desk.example.org/?a=1", "http://desk:port"])
def test_a_bad_public_url_is_one_line(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--public-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: --public-url ") and err.count("\n") == 1, err
