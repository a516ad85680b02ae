"""A real terminal for end-to-end tests: one tmux server on its own socket, one session.

`send-keys` types, `capture-pane` reads, `display-message` reads tmux's variables. Waits
poll the screen with a deadline and fail early, with the screen, when the pane has died.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Callable

TMUX = shutil.which("tmux")
SESSION = "main"


class TmuxPane:
    """A tmux server (own socket, so tests never touch the user's tmux) with one session."""

    def __init__(self, socket: str | None = None) -> None:
        self.socket = socket or f"newsdesk-test-{uuid.uuid4().hex[:12]}"

    def tmux(self, *args: str) -> str:
        assert TMUX is not None, "tmux is not installed"
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", SESSION)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", SESSION, *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", SESSION, "-l", text)

    def value(self, variable: str) -> str:
        return self.tmux("display-message", "-p", "-t", SESSION, variable).strip()

    def wait(self, predicate: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if predicate(screen):
                return screen
            dead = self.value("#{pane_dead}") == "1"
            if dead or time.monotonic() > deadline:
                raise AssertionError(f"waiting for {what}: {'pane died' if dead else 'timed out'}; screen:\n{screen}")
            time.sleep(0.1)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        return self.wait(lambda screen: text in screen, repr(text), timeout)

    def kill_server(self) -> None:
        if TMUX is not None:
            subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True, timeout=20)
