"""Offline language detection for article text (py3langid: its model ships in the package)."""

from __future__ import annotations

import py3langid

UNKNOWN = "und"
_SAMPLE_CHARS = 600


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there are no letters to judge."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return UNKNOWN
    code, _score = py3langid.classify(sample)
    return str(code)
