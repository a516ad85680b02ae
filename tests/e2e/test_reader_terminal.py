"""Find in the article and the article's link, in a real terminal (tmux), over a pretend SSH login.

One dashboard on real Wikinews text, `SSH_CONNECTION` set (so `O` must not start a browser:
`BROWSER` names a script that would record being run) and `pipe-pane` copying every byte the
program writes. `ctrl+f` and a typed word show `1 of N` and `n` moves to `2 of N`; `O` offers the
link instead of opening it; the raw bytes hold an OSC 8 hyperlink to the article's URL, and the
article whose URL held escape sequences (ESC ] … BEL, ESC \\, a C1 ST) gets a link to the cleaned
URL with nothing of the payload inside any escape sequence.
"""

from __future__ import annotations

import re
import shlex
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TMUX, TmuxPane
from tests.faults.harness import NEWSDESK
from tests.tui.reader_corpus import reader_rows, write_corpus

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it)")

ROWS = reader_rows()
RU = ROWS[0]
HOSTILE = {
    "title": "Harbour cranes idle",
    "body": "Cranes at the harbour stood idle for a week.",
    "section": "Ports",
    "url": "https://example.org/cranes\x1b]0;URL-TITLE\x07?a=1\x1b\\&b=\x9c2",
}
CLEAN_HOSTILE_URL = "https://example.org/cranes?a=1&b=2"
OSC8 = re.compile(rb"\x1b\]8;[^;\x07\x1b]*;([^\x07\x1b]*)(?:\x07|\x1b\\)")


def finds(row: dict[str, str], needle: str) -> int:
    return row["title"].lower().count(needle) + row["body"].lower().count(needle)


@pytest.fixture
def run(tmp_path: Path, isolated_dirs: Path) -> Iterator[tuple[TmuxPane, Path, Path]]:
    corpus = write_corpus(tmp_path, [*ROWS, HOSTILE])
    capture, opened = tmp_path / "terminal.bytes", tmp_path / "opened.txt"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {shlex.quote(str(opened))}\n', encoding="utf-8")
    browser.chmod(browser.stat().st_mode | stat.S_IXUSR)
    env = {
        "NEWSDESK_CACHE_DIR": str(isolated_dirs / "cache"),
        "NEWSDESK_STATE_DIR": str(isolated_dirs / "state"),
        "NEWSDESK_CONFIG_DIR": str(isolated_dirs / "config"),
        "SSH_CONNECTION": "192.0.2.1 50000 192.0.2.2 22",
        "BROWSER": str(browser),
    }
    nd = " ".join(shlex.quote(part) for part in NEWSDESK)
    script = tmp_path / "run.sh"
    script.write_text(
        f"while [ ! -e {shlex.quote(str(tmp_path / 'ready'))} ]; do sleep 0.05; done\n"
        + "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())
        + f"unset COLUMNS LINES\n{nd} {shlex.quote(str(corpus))}\n",
        encoding="utf-8",
    )
    term = TmuxPane()
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(REPO), "sh", str(script))
    try:
        term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
        term.tmux("pipe-pane", "-o", "-t", "main", f"cat >> {shlex.quote(str(capture))}")
        (tmp_path / "ready").touch()
        yield term, capture, opened
    finally:
        term.kill_server()


def _enter_the_reader(term: TmuxPane) -> None:
    """`enter` on the list's row until the reader has focus (the list ignores it while the
    first screen is still opening)."""
    for _ in range(10):
        term.keys("Enter")
        try:
            term.wait(lambda s: "⏎ Read" not in s, "the reader focused", timeout=2)
            return
        except AssertionError:
            continue
    raise AssertionError(f"enter never opened the reader:\n{term.screen()}")


def test_find_in_the_article_and_its_link_in_a_real_terminal(run: tuple[TmuxPane, Path, Path]) -> None:
    term, capture, opened = run
    total = len(ROWS) + 1
    term.wait_for(f"{total} of {total}", timeout=60)
    term.keys("/")
    term.type("Семья")
    term.wait_for(f"1 of {total}")
    term.keys("Enter")  # to the list
    term.wait(lambda s: "⏎ Read" in s, "the list focused (its footer)")
    _enter_the_reader(term)
    term.wait_for(RU["url"])
    term.keys("C-f")
    term.type("обам")
    count = finds(RU, "обам")
    term.wait_for(f"1 of {count}")
    term.keys("Enter", "n")
    term.wait_for(f"2 of {count}")
    term.keys("Escape")
    term.wait(lambda s: f"of {count}" not in s, "the find cleared")
    term.keys("O")
    term.wait_for("over SSH")
    # the article whose URL held escape sequences
    term.keys("/", "C-u")
    term.wait_for(f"{total} of {total}")
    term.type("cranes")
    term.wait_for(f"1 of {total}")
    term.wait_for(CLEAN_HOSTILE_URL)
    term.keys("Enter")
    term.wait(lambda s: "⏎ Read" in s, "the list focused (its footer)")
    term.keys("q")
    deadline = time.monotonic() + 20
    while term.value("#{pane_dead}") != "1":
        assert time.monotonic() < deadline, f"q did not quit:\n{term.screen()}"
        time.sleep(0.1)

    assert not opened.exists(), "a local browser was started over SSH"
    data = capture.read_bytes()
    links = [match.group(1).decode("utf-8") for match in OSC8.finditer(data)]
    assert RU["url"] in links, f"no OSC 8 hyperlink to the article's URL; links: {sorted(set(links))[:5]}"
    assert CLEAN_HOSTILE_URL in links
    assert not [link for link in links if link and link not in (RU["url"], CLEAN_HOSTILE_URL)]
    assert b"URL-TITLE" not in data and b"\x1b]0;" not in data
    assert not [c for c in data.decode("utf-8") if "\x80" <= c <= "\x9f"], "a C1 control character"
