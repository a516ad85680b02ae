"""The one exception readers raise for a file they cannot use."""

from __future__ import annotations


class UnreadableFile(Exception):
    """A file that contributes nothing; the message is the one-line reason shown to the user."""
