"""Exceptions whose message is the one line the user is shown: a file a reader cannot use,
an output that cannot be written. Kept apart from the modules that raise them, which import
Polars, so the command line can catch them without it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class UnreadableFile(Exception):
    """A file that contributes nothing; the message is the one-line reason shown to the user."""


class OutputError(Exception):
    """The output cannot be written as asked; the message is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that contributed nothing, and why, in one line."""

    path: str
    reason: str


SkipHandler = Callable[[Skipped], None]
