"""The process's cycle-collection policy, in one place: who switches Python's automatic cycle
collector off and on, and when.

Every way the dashboard starts goes through it (`defer_start_up` by the `newsdesk` script, by
`python -m tui.cli` that `newsdesk serve` runs per browser session, and by the app itself as
it starts, which is how the tests' and the benchmark's apps get it), so all of them run under
the same regime:

1. Start-up: automatic collection is off (`defer_start_up`). Start-up makes a few hundred
   thousand objects that live as long as the program (the modules of Polars, Textual and
   Rich, their classes, then the app's widgets); collections during it would walk them again
   and again, for nothing.
2. The first view is on screen (`start_up_over`): what start-up made is frozen out of
   collection for good (the first collections after start-up would otherwise walk all of it,
   on the UI thread, right after the first paint), and automatic collection is on again.
3. The corpus is on screen (`IdleCollector.start`): what is alive then (modules, widgets, the
   corpus's wrappers) is frozen too, automatic collection is off, and a collection runs
   instead when no key or mouse event has come for a moment, or when the last one is long
   ago (memory held by cycles stays bounded while the user types without pause). A full
   collection walks every tracked object and a dashboard holds tens of thousands; paced like
   this it never lands in the middle of a filter or a screen opening. Most objects are freed
   by reference counting anyway; only cycles wait for the collector.
4. The app exits (`IdleCollector.stop`, `restore`): automatic collection is on and nothing is
   frozen, as in a fresh interpreter.

A headless command (`newsdesk parse`, ...) switches collection on before it runs
(`run_command`): it makes and drops objects at a steady pace, which is what the automatic
collector is built for.

This module imports no Textual, so the script can call it before anything else is imported.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Protocol

IDLE_SECONDS = 1.0
"""Input-free time before a collection may run."""
EVERY_SECONDS = 5.0
"""Least time between two collections run while idle."""
AT_MOST_SECONDS = 30.0
"""Most time between two collections, idle or not."""
TICK_SECONDS = 0.5
"""How often the collector looks."""

_deferred = False
"""Automatic collection is off for start-up (`defer_start_up`) and not on again yet."""


def defer_start_up() -> None:
    """Switch automatic cycle collection off until the first view is on screen (step 1)."""
    global _deferred
    if gc.isenabled():
        gc.disable()
        _deferred = True


def start_up_over() -> None:
    """The first view is on screen: freeze what start-up made out of collection and switch
    automatic collection on again (step 2). Nothing to do if start-up ran with it on."""
    global _deferred
    if _deferred and not gc.isenabled():
        gc.freeze()
        gc.enable()
    _deferred = False


def run_command() -> None:
    """A headless command is about to run: automatic collection on."""
    global _deferred
    _deferred = False
    gc.enable()


def restore() -> None:
    """Back to the interpreter's default (step 4): collection on, nothing frozen."""
    global _deferred
    _deferred = False
    gc.enable()
    gc.unfreeze()


class Timers(Protocol):
    """What the idle collector needs of the app: a repeating timer."""

    def set_interval(self, interval: float, callback: Callable[[], object], *, name: str | None = None) -> object: ...


class IdleCollector:
    """Runs `gc.collect()` when the app is idle (step 3); `start` once the corpus is on
    screen, `stop` when the app exits."""

    def __init__(self, app: Timers) -> None:
        self._app = app
        self._last_input = time.monotonic()
        self._last_collection = time.monotonic()
        self._started = False
        self.collections = 0
        """Collections run so far."""

    @property
    def started(self) -> bool:
        """Automatic collection is off and this collector runs them."""
        return self._started

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        start_up_over()  # should start-up still be deferring, it ends here
        gc.freeze()
        gc.disable()
        self._last_collection = time.monotonic()
        self._app.set_interval(TICK_SECONDS, self._tick, name="idle gc")

    def stop(self) -> None:
        """The app exits: back to the interpreter's default, whatever step it had reached."""
        self._started = False
        restore()

    def note_input(self) -> None:
        """A key or mouse event arrived: wait before collecting."""
        self._last_input = time.monotonic()

    def _tick(self) -> None:
        if not self._started:
            return
        now = time.monotonic()
        idle = now - self._last_input >= IDLE_SECONDS and now - self._last_collection >= EVERY_SECONDS
        if idle or now - self._last_collection >= AT_MOST_SECONDS:
            gc.collect()
            self.collections += 1
            self._last_collection = time.monotonic()
