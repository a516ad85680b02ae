"""`newsdesk serve`: the dashboard in a web browser, for whoever holds this launch's token only.

textual-serve gives each websocket its own app process and trusts every request; a page on
any site could open one. `SecuredServer` extends textual-serve's `Server` (it is not forked)
with one aiohttp middleware and an app session class that owns its process:

- Token: a random token per launch (`secrets.token_urlsafe`) is in the printed URL. The page
  needs it (`?token=`); the page then gets an HttpOnly, SameSite=Strict cookie holding it and
  a websocket URL carrying it (`/ws/TOKEN`). The websocket and downloads need it (query,
  path or cookie); only the library's static files (script, styles, fonts) do not.
- Host: the Host header must name this server: the listening address, the loopback names
  for a loopback address, the `--public-url` host; for a wildcard address (0.0.0.0) also
  this machine's names and any IP literal. A rebinding attack always arrives under the
  attacker's own host name, so it is refused.
- Origin: a request that says where it comes from must come from the page's own origin
  (the Host it reached) or the public URL's.
- Sessions: at most `max_sessions` websockets (each one app process) at once.
- Stopping: SIGTERM or SIGINT stops listening, sends SIGTERM to every app's process group
  (each app runs in its own session, with any workers it starts), SIGKILLs what is left
  after a short grace, and returns.

Refusals are a status (403, or 503 when full) with a one-line plain-text body and one line
on stderr; the server's own log lines never carry a traceback or the token.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import hmac
import ipaddress
import logging
import os
import re
import secrets
import shlex
import signal
import socket
import sys
from asyncio.subprocess import Process
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from core.sanitize import for_display

log = logging.getLogger("newsdesk.serve")

APP_GRACE: Final = 3.0
"""Seconds an app process group gets to exit after SIGTERM before it is SIGKILLed."""
SHUTDOWN_TIMEOUT: Final = 1.0
"""Seconds aiohttp waits for open requests once the apps are gone (then cancels them)."""
CLOSE_TIMEOUT: Final = 2.0
"""Seconds a websocket's closing handshake may take."""
LOOPBACK_NAMES: Final = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})
_HOST_HEADER = re.compile(r"^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$")
_DEFAULT_PORTS: Final = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_SESSION_ROUTES: Final = frozenset({"websocket", "websocket-token"})


class ServeError(Exception):
    """The server could not start (the address is taken, or cannot be bound)."""


def is_loopback(host: str) -> bool:
    """True for an address (or `localhost`) that only this machine can reach."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def public_url_problem(url: str) -> str | None:
    """Why `url` cannot be the public URL (one line), or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return "--public-url must be an http:// or https:// URL without a query, like https://desk.example.org"
    try:
        parts.port  # noqa: B018  (raises for a port that is not a number)
    except ValueError:
        return "--public-url has a port that is not a number"
    return None


def exposure_warning(host: str) -> str | None:
    """The one-line warning for a listening address other machines can reach, else None."""
    if is_loopback(host):
        return None
    where = "every network interface" if host.strip("[]") in WILDCARDS else host
    return (
        f"warning: --host {host or '0.0.0.0'} listens on {where}: anyone who can reach this machine and has the "
        "token URL can read and drive the dashboard, unencrypted; prefer the default 127.0.0.1 with an SSH "
        "tunnel, or a TLS proxy with --public-url"
    )


@dataclass(frozen=True, slots=True)
class Guard:
    """What a request must show: the token, an allowed Host, and (if it says) an allowed Origin."""

    token: str
    bind: str
    public_url: str | None = None

    @property
    def cookie_name(self) -> str:
        """Cookies are shared by every port of a host, so the name is unique to this launch."""
        return f"newsdesk-token-{hmac.new(self.token.encode(), b'cookie', 'sha256').hexdigest()[:12]}"

    def host_allowed(self, host_header: str) -> bool:
        """The Host header names this server (its port is not checked: tunnels change it)."""
        if not _HOST_HEADER.match(host_header):
            return False
        name = _hostname(host_header)
        bind = self.bind.strip("[]").lower()
        if name == bind or (self.public_url is not None and name == urlsplit(self.public_url).hostname):
            return True
        if is_loopback(bind) or bind in WILDCARDS:
            if name in LOOPBACK_NAMES:
                return True
        if bind in WILDCARDS:
            return _is_ip_literal(name) or name in _machine_names()
        return False

    def origin_allowed(self, origin: str, host_header: str) -> bool:
        """The Origin is the origin the request reached (scheme-less), or the public URL's."""
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        try:
            origin_port = parts.port or _DEFAULT_PORTS[parts.scheme]
            reached = urlsplit(f"//{host_header}")
            reached_port = reached.port or _DEFAULT_PORTS[parts.scheme]
        except ValueError:
            return False
        if (parts.hostname, origin_port) == (reached.hostname, reached_port):
            return True
        if self.public_url is None:
            return False
        public = urlsplit(self.public_url)
        try:
            public_port = public.port or _DEFAULT_PORTS.get(public.scheme, 80)
        except ValueError:
            return False
        return (parts.scheme, parts.hostname, origin_port) == (public.scheme, public.hostname, public_port)

    def token_shown(self, request: web.Request) -> bool:
        """The request carries the token: `?token=`, the websocket path, or the cookie."""
        candidates = (
            request.query.get("token"),
            request.match_info.get("token"),
            request.cookies.get(self.cookie_name),
        )
        expected = self.token.encode()
        return any(
            candidate is not None and hmac.compare_digest(candidate.encode("utf-8", "replace"), expected)
            for candidate in candidates
        )

    def refusal(self, request: web.Request) -> str | None:
        """Why the request is refused (one line), or None."""
        host_header = request.headers.get("Host", "")
        if not self.host_allowed(host_header):
            return "this server does not answer to that Host"
        origin = request.headers.get("Origin")
        if origin is not None and not self.origin_allowed(origin, host_header):
            return "requests from other sites are refused (Origin)"
        if _route_name(request) != "static" and not self.token_shown(request):
            return "a valid token is required: open the URL the server printed at start"
        return None


def _hostname(host_header: str) -> str:
    return (urlsplit(f"//{host_header}").hostname or "").lower()


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@functools.cache
def _machine_names() -> frozenset[str]:
    names = {socket.gethostname().lower()}
    try:
        names.add(socket.getfqdn().lower())
    except OSError:
        pass
    return frozenset(names)


def _route_name(request: web.Request) -> str | None:
    resource = getattr(request.match_info.route, "resource", None)
    return None if resource is None else resource.name


async def end_process_group(process: Process, grace: float = APP_GRACE) -> None:
    """SIGTERM `process`'s group (it leads one), wait up to `grace`, SIGKILL what is left."""
    _kill_group(process.pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        pass
    _kill_group(process.pid, signal.SIGKILL)  # the leader is gone or stuck: nothing it started outlives it
    await process.wait()


def _kill_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):  # no process is left in the group
        pass


class AppSession(AppService):
    """textual-serve's app service, with the app started without a shell, in its own session,
    registered with the server so it can be ended on shutdown."""

    def __init__(self, argv: Sequence[str], processes: set[Process], **kwargs: object) -> None:
        super().__init__(shlex.join(argv), **kwargs)  # type: ignore[arg-type]
        self.argv = list(argv)
        self._processes = processes
        self._stopped = False

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        environment = self._build_environment(width=width, height=height)
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=environment,
            start_new_session=True,
        )
        self._processes.add(process)
        assert process.stdin is not None
        self._stdin = process.stdin
        return process

    async def stop(self) -> None:
        """Ask the app to quit; after the grace, end its process group; wait for its output."""
        if self._stopped:
            return
        self._stopped = True
        task, process = self._task, self._process
        if task is not None:
            await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            await self.send_meta({"type": "quit"})
            await asyncio.wait({task}, timeout=APP_GRACE)
        if process is not None:
            try:  # an app that quit closes its output first, then exits
                await asyncio.wait_for(process.wait(), 1.0)
            except TimeoutError:
                await end_process_group(process, grace=1.0)
            else:
                _kill_group(process.pid, signal.SIGKILL)  # workers it left behind, if any
            self._processes.discard(process)
        if task is not None:
            await task
            self._task = None


class SecuredServer(Server):
    """textual-serve's Server behind the Guard, with a session cap and a clean stop."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        host: str,
        port: int,
        max_sessions: int,
        public_url: str | None = None,
        token: str | None = None,
    ) -> None:
        self.explicit_public_url = public_url.rstrip("/") if public_url else None
        super().__init__(shlex.join(argv), host=host, port=port, title="newsdesk", public_url=self.explicit_public_url)
        self.argv = list(argv)
        self.max_sessions = max_sessions
        self.guard = Guard(token=token or secrets.token_urlsafe(32), bind=host, public_url=self.explicit_public_url)
        self._sessions: set[asyncio.Task[object]] = set()
        self._processes: set[Process] = set()

    @property
    def url(self) -> str:
        """The URL to open: the public URL, or this address, with the token."""
        if self.explicit_public_url is not None:
            base = self.explicit_public_url
        else:
            name = self.host.strip("[]")
            if name in WILDCARDS:
                name = "::1" if name == "::" else "127.0.0.1"
            shown = f"[{name}]" if ":" in name else name
            base = f"http://{shown}:{self.port}"
        return f"{base}/?token={self.guard.token}"

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_OneLineFormatter("newsdesk serve: %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; the URL is printed once listening instead."""

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.router.add_get("/ws/{token}", self.handle_websocket, name="websocket-token")
        app.middlewares.append(self._middleware())
        return app

    def _middleware(self) -> Callable[[web.Request, Callable[[web.Request], Awaitable[web.StreamResponse]]], Awaitable[web.StreamResponse]]:
        guard, sessions = self.guard, self._sessions

        @web.middleware
        async def secure(
            request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
        ) -> web.StreamResponse:
            reason = guard.refusal(request)
            if reason is not None:
                return _refuse(request, 403, reason, guard.token)
            if _route_name(request) not in _SESSION_ROUTES:
                return await handler(request)
            if len(sessions) >= self.max_sessions:
                return _refuse(
                    request, 503, f"all {self.max_sessions} sessions are in use (--max-sessions); close a tab", guard.token
                )
            task = asyncio.current_task()
            assert task is not None
            sessions.add(task)
            try:
                return await handler(request)
            finally:
                sessions.discard(task)

        return secure

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        """textual-serve's page, with every URL on the address the browser used (or the public
        URL), the websocket URL carrying the token, and the token cookie set."""
        base = self.explicit_public_url or f"{request.scheme}://{request.host}"
        secure = base.startswith("https:")
        websocket_base = ("wss:" if secure else "ws:") + base.split(":", 1)[1]
        context = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{websocket_base}/ws/{self.guard.token}",
            "config": {"static": {"url": f"{base}/static/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.set_cookie(
            self.guard.cookie_name,
            self.guard.token,
            path=urlsplit(base).path or "/",
            httponly=True,
            samesite="Strict",
            secure=secure,
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket handler, with an AppSession for the app."""
        # A browser that does not answer the closing handshake may not hold up a stop.
        websocket = web.WebSocketResponse(heartbeat=15, timeout=CLOSE_TIMEOUT)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        session: AppSession | None = None
        try:
            await websocket.prepare(request)
            session = AppSession(
                self.argv,
                self._processes,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await session.start(width, height)
            await self._process_messages(websocket, session)
        except asyncio.CancelledError:
            await websocket.close()
        except web.HTTPException:  # not a websocket handshake: aiohttp answers it
            raise
        except Exception as error:  # a broken session must not take the server down
            log.error("session ended: %s", _describe(error))
        finally:
            if session is not None:
                await session.stop()
        return websocket

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGTERM or SIGINT, then end every app and return.

        Raises:
            ServeError: the address cannot be listened on.
        """
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        stopping = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopping.set)
        runner = web.AppRunner(await self._make_app(), access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT)
        await runner.setup()
        try:
            try:
                await web.TCPSite(runner, self.host, self.port).start()
            except OSError as error:
                reason = os.strerror(error.errno) if error.errno else str(error)  # asyncio's text repeats the address
                raise ServeError(f"cannot listen on {self.host}:{self.port}: {reason}") from None
            print(f"newsdesk serve: open {self.url}", flush=True)
            print(
                f"newsdesk serve: up to {self.max_sessions} browser sessions at once; Ctrl+C stops the server and its sessions",
                flush=True,
            )
            await stopping.wait()
            log.info("stopping: ending %d session(s)", len(self._processes))
            await asyncio.gather(*(end_process_group(process) for process in list(self._processes)))
            sessions = list(self._sessions)  # each closes its websocket when cancelled
            for session in sessions:
                session.cancel()
            await asyncio.gather(*sessions, return_exceptions=True)
        finally:
            await runner.cleanup()


class _OneLineFormatter(logging.Formatter):
    """A log record as one line: an exception is named, never traced, and nothing a client
    sent (a request path, a header quoted in an error) can put an escape on the terminal."""

    def format(self, record: logging.LogRecord) -> str:
        plain = copy.copy(record)
        plain.exc_info, plain.exc_text, plain.stack_info = None, None, None
        message = super().format(plain)
        if record.exc_info and record.exc_info[1] is not None:
            message += f": {_describe(record.exc_info[1])}"
        return for_display(message, one_line=True)


def _describe(error: BaseException) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _refuse(request: web.Request, status: int, reason: str, token: str) -> web.Response:
    path = request.path.replace(token, "TOKEN")  # a refused request may still carry the right token
    log.warning("refused %s %s from %s: %s", request.method, path, request.remote or "?", reason)
    return web.Response(status=status, text=f"newsdesk: {reason}\n", content_type="text/plain")


def run(argv: Sequence[str], *, host: str, port: int, max_sessions: int, public_url: str | None = None) -> int:
    """`newsdesk serve`: warn about an exposed address, serve, return the exit code."""
    warning = exposure_warning(host)
    if warning is not None:
        print(f"newsdesk serve: {warning}", file=sys.stderr, flush=True)
    server = SecuredServer(argv, host=host, port=port, max_sessions=max_sessions, public_url=public_url)
    try:
        server.serve()
    except ServeError as error:
        print(f"newsdesk: {error}", file=sys.stderr)
        return 1
    return 0


__all__ = [
    "APP_GRACE",
    "AppSession",
    "Guard",
    "SecuredServer",
    "ServeError",
    "end_process_group",
    "exposure_warning",
    "is_loopback",
    "public_url_problem",
    "run",
]
