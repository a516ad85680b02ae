"""An article's link: which URLs may be shown as a link or opened, and whether a local browser can.

Only `http` and `https` URLs are links. Anything else (`javascript:`, `file:`, a bare path) and any
URL holding a control character, whitespace or an invisible format character is refused with a
reason: such a URL is article data and would otherwise reach a browser, or a terminal's OSC 8
hyperlink, as an instruction.

A local browser is not tried over SSH (the browser would open on the remote machine, where nobody
sees it) nor on a Unix without a graphical display (Python's `webbrowser` would pick a console
browser, which would take over the very terminal the dashboard draws on). `BROWSER`, the user's
explicit choice, is honoured when not over SSH.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Mapping
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
MAX_URL_CHARS = 8_000
"""Longer than any real article address; a longer value is not treated as a link."""


def url_problem(url: str) -> str | None:
    """Why `url` cannot be opened or made a link, or None when it is an http(s) URL."""
    if not url:
        return "the article has no URL"
    if len(url) > MAX_URL_CHARS:
        return f"the URL is too long to be a link ({len(url):,} characters)"
    if any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in url):
        return "the URL holds control, invisible or space characters"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "the URL does not parse"
    if parts.scheme.lower() not in SCHEMES or not parts.netloc:
        scheme = f"a {parts.scheme}: URL" if parts.scheme else "not a web address"
        return f"only http and https links are opened ({scheme})"
    return None


def no_local_browser(environ: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why no local browser should be started (over SSH, no display), or None when one may be."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"):
        return "over SSH"
    if environ.get("BROWSER"):
        return None
    if platform in ("darwin", "win32", "cygwin"):
        return None
    if not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")):
        return "no graphical display"
    return None
