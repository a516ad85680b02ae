"""IdleCollector: Python's cycle collection paced to the user, off the keystroke path.

A full collection walks every tracked object, and a dashboard holds tens of thousands (each
cached Strip brings seven small caches): at 100k articles one took 30-240 ms of the UI
thread, whenever allocation counts said so, often in the middle of a filter or a screen
opening (the slowest `t`, `o` and `d` opens were these pauses). So once the corpus is on
screen the objects alive then (modules, widgets, the corpus's wrappers) are frozen out of
collection for good, automatic collection is switched off, and a collection runs instead
when no key or mouse event has come for a moment, or when the last one is long ago (memory
held by cycles stays bounded while the user types without pause). Most objects are freed by
reference counting anyway; only cycles wait for the collector.
"""

from __future__ import annotations

import gc
import time

from textual.app import App

IDLE_SECONDS = 1.0
"""Input-free time before a collection may run."""
EVERY_SECONDS = 5.0
"""Least time between two collections run while idle."""
AT_MOST_SECONDS = 30.0
"""Most time between two collections, idle or not."""
TICK_SECONDS = 0.5
"""How often the collector looks."""


class IdleCollector:
    """Runs `gc.collect()` when `app` is idle; `start` once the first view is on screen,
    `stop` when the app exits (automatic collection is switched back on)."""

    def __init__(self, app: App[object]) -> None:
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
        gc.freeze()
        gc.disable()
        self._last_collection = time.monotonic()
        self._app.set_interval(TICK_SECONDS, self._tick, name="idle gc")

    def stop(self) -> None:
        if self._started:
            self._started = False
            gc.enable()
            gc.unfreeze()

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
