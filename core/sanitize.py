"""Text hygiene for untrusted article text: newlines, NFC, control characters and escapes.

Every field that comes from a file passes through `clean_text` once at ingest; the render
layer calls it again for anything that did not come through ingest. It removes whole
ANSI/OSC/DCS escape sequences (not just their ESC byte), C0 controls except newline and
tab, DEL, C1 controls, and lone surrogates; no-break spaces become plain spaces. Markup-looking text such as `[bold]` is kept
exactly: it is data, and rendering it safely is the render layer's job.

`for_display` is the one function between data and every surface that shows it: the
dashboard's widgets, notifications and command palette, stderr messages and the stdout text
formats. Text passes `clean_text` (so a stored reason or an old snapshot is cleaned again on
its way out); a file name (a path or bytes) keeps every character and shows undecodable bytes
and invisible characters as `\\xNN` / `\\uNNNN`, so it stays recognisable and inert.
"""

from __future__ import annotations

import os
import re
import unicodedata

# Whole escape sequences, 7-bit (ESC-introduced) and 8-bit (C1-introduced):
#   CSI  ESC [ ... final byte        / 0x9B ... final byte
#   OSC  ESC ] ... BEL or ST         / 0x9D ... BEL or ST
#   DCS/SOS/PM/APC ESC P|X|^|_ ... ST / 0x90|0x98|0x9E|0x9F ... ST
#   two-character escapes ESC <byte>
# An OSC or DCS without its terminator is not removed whole (that would swallow the
# article text after it): its introducer goes with the other control characters.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?      # CSI
  | (?:\x1b\]|\x9d)[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)      # OSC
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c\n]*(?:\x1b\\|\x9c)   # DCS, SOS, PM, APC
  | \x1b[\x20-\x2f]*[\x30-\x7e]?                             # other ESC sequences
    """,
    re.VERBOSE,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
ODD_SPACES = "\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
"""No-break and fixed-width spaces: cleaning makes each a plain space, so search and word
counts see words."""
_ODD_SPACE = re.compile(f"[{ODD_SPACES}]")
# Anything any of the rewrites above would touch; most text has none of it.
_NEEDS_WORK = re.compile(r"[\r\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + ODD_SPACES + "]")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF."""
    if "\r" not in text:  # most text: one quick scan instead of two replace passes
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_text(text: str) -> str:
    """Return `text` safe to store and render: no escapes, no controls, NFC, LF newlines."""
    if not text:
        return ""
    # Printable text has none of what the rewrites below touch, and the check is quicker.
    if text.isprintable() or _NEEDS_WORK.search(text) is None:
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    text = normalise_newlines(text)
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    text = _ODD_SPACE.sub(" ", text)
    return unicodedata.normalize("NFC", text)


def clean_optional(text: str | None) -> str | None:
    """`clean_text` for optional fields: None stays None, an empty result becomes None."""
    if text is None:
        return None
    cleaned = clean_text(text).strip()
    return cleaned or None


# A byte of a file name that is not UTF-8, as Python decodes it (surrogateescape).
_ESCAPED_BYTE = re.compile(r"[\udc80-\udcff]")
# What still breaks a line after `clean_text`: newline, tab and the Unicode line separators.
_LINE_BREAK = re.compile(r"[\n\t\u2028\u2029]")


def _visible_byte(match: re.Match[str]) -> str:
    return f"\\x{ord(match.group()) - 0xDC00:02x}"


def _visible_char(char: str) -> str:
    """`char` itself when printable, else its escape (`\\x1b`, `\\u202e`, `\\U000e0001`)."""
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _name_for_display(name: os.PathLike[str] | os.PathLike[bytes] | bytes) -> str:
    """A file name as one printable line: undecodable bytes and invisible characters escaped."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    if text.isprintable():
        return text
    return "".join(map(_visible_char, text))


def for_display(value: object, *, one_line: bool = False) -> str:
    """`value` as text that is safe to put on a screen, a notification, stderr or stdout.

    No escape sequence, control character or lone surrogate survives; markup-looking text is
    kept as it is (surfaces render it as plain text, never as markup). With `one_line`,
    newlines and tabs become spaces, for surfaces that have one line per item. A path (or
    bytes) is a file name: shown whole, with undecodable bytes and invisible or control
    characters escaped (`\\x1b`, `\\u202e`) rather than removed. None is "".
    """
    if value is None:
        return ""
    if isinstance(value, (os.PathLike, bytes)):
        return _name_for_display(value)
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # the usual case: nothing to remove, nothing to flatten
        return text
    text = clean_text(_ESCAPED_BYTE.sub(_visible_byte, text))
    return _LINE_BREAK.sub(" ", text) if one_line else text
