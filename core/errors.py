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


READER_FAILURES = (RecursionError, ValueError, MemoryError)
"""What a reader may raise on hostile content besides UnreadableFile (Python's JSON parser
past its depth, an integer too long to convert): the file is skipped with `reader_failure`."""


MAX_REASON_CHARS = 300
"""A reason quoting the file (a reader's error shows the line it stopped at) is cut here:
an unterminated quote in a CSV made a skip line of the file's size."""


def short_reason(reason: str) -> str:
    """`reason` on one line of at most MAX_REASON_CHARS characters."""
    line = " ".join(reason.split())
    return line if len(line) <= MAX_REASON_CHARS else line[: MAX_REASON_CHARS - 1] + "…"


def reader_failure(error: BaseException) -> str:
    """A reader's unexpected failure as a one-line reason (at most 200 characters of detail)."""
    if isinstance(error, RecursionError):
        return "could not be read (nested too deeply)"
    lines = str(error).strip().splitlines()
    detail = f": {lines[0][:200]}" if lines else ""
    return f"could not be read ({type(error).__name__}{detail})"
