"""Text of unknown encoding: byte-order marks, UTF-8, then the detector's best guess; binary
data is refused with a one-line reason (`UnreadableFile`)."""

from __future__ import annotations

import codecs
import re

from core.errors import UnreadableFile

_SURROGATE = re.compile("[\ud800-\udfff]")

_SNIFF_BYTES = 8192
_DETECT_BYTES = 1024 * 1024
_MAX_CONTROL_SHARE = 0.3
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\n\r\t\f")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_COMMON_ENCODINGS = ("utf_8", "cp1252", "latin_1", "iso8859_15", "cp1251", "koi8_r", "cp1250", "iso8859_2")


def decode(data: bytes) -> str:
    """Decode bytes of unknown encoding, or raise UnreadableFile for binary data."""
    return decode_naming(data)[0]


def decode_naming(data: bytes) -> tuple[str, str]:
    """`decode`'s text and the codec it was read with ("utf-8" for UTF-8 without a mark), so
    the rest of a file read in parts can be read the same way."""
    if not data:
        raise UnreadableFile("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    text = _as_utf8(data) if _mostly_printable(data[:_SNIFF_BYTES]) else None
    if text is not None:
        return text, "utf-8"
    encoding = _detect_encoding(data[:_DETECT_BYTES])
    has_nul = b"\x00" in data[:_SNIFF_BYTES]
    if encoding is None or (has_nul and not encoding.startswith(("utf_16", "utf_32"))):
        raise UnreadableFile("binary file (not text in any known encoding)")
    return data.decode(encoding, errors="replace"), encoding


def _as_utf8(data: bytes) -> str | None:
    """UTF-8, with encoded lone surrogates (CESU-8, broken encoders) read as U+FFFD."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _surrogates_replaced(data)


def _surrogates_replaced(data: bytes) -> str | None:
    """UTF-8 holding encoded lone surrogates, each made U+FFFD, or None when it is not UTF-8.

    They are replaced here, not left for cleaning: table readers hand the text to Polars,
    which panics on a string holding a surrogate."""
    try:
        return _SURROGATE.sub("\ufffd", data.decode("utf-8", errors="surrogatepass"))
    except UnicodeDecodeError:
        return None


def _mostly_printable(sample: bytes) -> bool:
    """Text, not binary that happens to be valid UTF-8 (a run of zero bytes is valid UTF-8).

    Scraped text may carry stray control characters, which ingest removes; a file that is
    mostly control characters is data of another kind.
    """
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls <= len(sample) * _MAX_CONTROL_SHARE


def _detect_encoding(sample: bytes) -> str | None:
    """The detector's best guess; among equally good guesses, the most widely used encoding.

    Short Western European texts fit cp1250, cp1252 and cp1257 equally well; picking the
    common one avoids decoding "à" as "ŕ".
    """
    import charset_normalizer  # on first use: most corpora are UTF-8

    matches = charset_normalizer.from_bytes(sample)
    best = matches.best()
    if best is None:
        return None
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return min(tied, key=lambda name: _COMMON_ENCODINGS.index(name) if name in _COMMON_ENCODINGS else len(_COMMON_ENCODINGS))
