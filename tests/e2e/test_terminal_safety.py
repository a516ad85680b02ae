"""Terminal safety proof: every hostile article rendered by the real app, every byte it wrote checked.

tmux runs `uv run newsdesk <hostile corpus>` on its own server (`-L`), 120x40, with
`set-clipboard on` (so an OSC 52 from the app would land in tmux's paste buffers) and
`pipe-pane` copying every byte the app writes to its terminal into a file from the very first
byte (the app starts only once the pipe is attached). The test walks the list with `j` through
every article so the reader renders each one, opens help, and quits. Then, on the raw bytes:

- What Textual itself writes is allowed, and nothing else: CSI sequences of the forms it uses
  (SGR `m`, cursor position `H`, DEC private modes `?..h/l`, the `?..$p` mode queries, the kitty
  keyboard `>..u`/`<u`) and OSC 22 (mouse pointer shape), which is the only OSC and the only
  BEL it sends. It draws on the alternate screen cell by cell and never sends ED (`ESC[2J`),
  so a screen clear, any other OSC (title 0/2, clipboard 52, hyperlink 8), DCS, APC, PM, SOS
  or a lone ESC can only have come from article text.
- The stream is valid UTF-8 with no C1 control (U+0080-U+009F), so no raw C1 byte either.
- The pane title is unchanged, tmux's paste buffers are empty, the escape payloads ("owned",
  the base64 clipboard text) never reach the terminal, markup-looking text is shown literally,
  `?` still opens help and `q` quits with status 0.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.data.hostile import MARKUP, write_hostile_corpus
from tests.e2e.tmux import TMUX, TmuxPane
from tests.faults.harness import NEWSDESK

REPO = Path(__file__).resolve().parents[2]
UV = shutil.which("uv")

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it): terminal safety not proven")

ALLOWED = re.compile(
    rb"\x1b\[(?:[0-9;:]*m|[0-9;]*H|\?[0-9;]*[hl]|\?[0-9]+\$p|[<>=][0-9;]*u)"  # Textual's CSI forms
    rb"|\x1b\]22;[A-Za-z-]*(?:\x07|\x1b\\)"  # OSC 22: mouse pointer shape
)
POINTER_SHAPE_BEL = re.compile(rb"\x1b\]22;[A-Za-z-]*\x07")
ESCAPE_NAMED_FILE = b"\x1b]0;owned-by-name\x07.txt"
ESCAPE_NAMED_BINARY = b"\x1b]52;c;bmFtZQ==\x07.bin"


def _reader_title(screen: str) -> str:
    """The first line inside the Reader box: the title of the article shown."""
    lines = screen.splitlines()
    for number, line in enumerate(lines):
        if "─ Reader " in line and number + 1 < len(lines):
            return lines[number + 1].split("│")[1].strip()
    raise AssertionError(f"no reader on screen:\n{screen}")


def _foreign_sequences(data: bytes) -> list[bytes]:
    """Every escape sequence in `data` that is not one Textual writes (with a little context)."""
    found = []
    for match in re.finditer(rb"\x1b", data):
        if not ALLOWED.match(data, match.start()):
            found.append(data[max(0, match.start() - 16) : match.start() + 40])
    return found


@pytest.fixture
def pane(tmp_path: Path, isolated_dirs: Path) -> Iterator[tuple[TmuxPane, Path, Path]]:
    corpus = tmp_path / "hostile"
    write_hostile_corpus(corpus)
    # File names are hostile too: shown in the reader's path and in the skipped-files notice.
    with open(os.fsencode(corpus) + b"/" + ESCAPE_NAMED_FILE, "w") as handle:
        handle.write("Named by escapes\n\nThe name of this file holds an OSC title sequence.\n")
    with open(os.fsencode(corpus) + b"/" + ESCAPE_NAMED_BINARY, "wb") as handle:
        handle.write(os.urandom(256) + b"\0" * 64)
    capture, ready, status = tmp_path / "terminal.bytes", tmp_path / "ready", tmp_path / "exit-status"
    env = " ".join(
        f"{name}={shlex.quote(str(isolated_dirs / sub))}"
        for name, sub in (("NEWSDESK_CACHE_DIR", "cache"), ("NEWSDESK_STATE_DIR", "state"), ("NEWSDESK_CONFIG_DIR", "config"))
    )
    program = (
        f"{shlex.quote(UV)} run --project {shlex.quote(str(REPO))} newsdesk"
        if UV
        else " ".join(shlex.quote(part) for part in NEWSDESK)
    )
    # The app starts only once pipe-pane is attached, so the capture holds its first byte.
    # (The shell keeps the exit status: tmux records none for a pane whose output is piped.)
    command = (
        f"while [ ! -e {shlex.quote(str(ready))} ]; do sleep 0.05; done; "
        f"env -u COLUMNS -u LINES {env} {program} {corpus.name}; echo $? > {shlex.quote(str(status))}"
    )
    term = TmuxPane()
    # Run in the corpus's folder and named by a relative path, so that the skipped-files
    # notice shows the hostile name whatever the temporary folder's length.
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(tmp_path), "sh", "-c", command)
    try:
        term.tmux("set-option", "-s", "set-clipboard", "on")
        term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
        term.tmux("pipe-pane", "-o", "-t", "main", f"cat >> {shlex.quote(str(capture))}")
        ready.touch()
        yield term, capture, status
    finally:
        term.kill_server()


def test_no_byte_from_article_text_reaches_the_terminal(pane: tuple[TmuxPane, Path, Path]) -> None:
    term, capture, status = pane
    title_before = term.value("#{pane_title}")
    screen = term.wait(
        lambda s: re.search(r"(\d+) of \1 ", s) is not None and "parsing" not in s, "the whole corpus on screen", timeout=90
    )
    total = int(re.search(r"(\d+) of \1 ", screen).group(1))  # type: ignore[union-attr]
    assert total >= 12, screen
    term.wait(lambda s: "indexed" in s, "keywords indexed (they are rendered too)", timeout=120)

    seen = [_reader_title(term.screen())]
    markup_screen = ""
    slowest = (0.0, "")
    for _ in range(total - 1):
        started = time.monotonic()
        term.keys("j")
        screen = term.wait(lambda s: _reader_title(s) != seen[-1], f"the reader to leave {seen[-1]!r}", timeout=15)
        seen.append(_reader_title(screen))
        slowest = max(slowest, (time.monotonic() - started, seen[-1]))
        if seen[-1].startswith("[/] [bold]"):
            markup_screen = screen
    assert len(set(seen)) == total, seen
    # The reader wraps on the UI thread: the megabyte line once froze the app for 5 s.
    assert slowest[0] < 4.0, f"the app froze {slowest[0]:.1f}s showing {slowest[1]!r}"
    assert any(title.startswith("Named by escapes") for title in seen)
    # Markup-looking text is the article's text: shown literally, never interpreted.
    assert MARKUP in markup_screen, markup_screen
    assert term.value("#{pane_title}") == title_before

    term.keys("?")
    term.wait(lambda s: "Command palette" in s, "help")
    term.keys("Escape")
    term.wait(lambda s: "Command palette" not in s, "help closed")
    term.keys("?")
    term.wait(lambda s: "Command palette" in s, "help again: still responsive")
    term.keys("Escape")
    term.wait(lambda s: "Command palette" not in s, "help closed again")
    term.keys("q")
    deadline = time.monotonic() + 30
    while not status.exists() or not status.read_text().strip():
        assert time.monotonic() < deadline, f"q did not quit:\n{term.screen()}"
        time.sleep(0.1)
    assert status.read_text().strip() == "0"

    assert term.value("#{pane_title}") == title_before
    assert term.tmux("list-buffers") == "", "something reached tmux's clipboard (OSC 52)"
    data = capture.read_bytes()
    assert len(data) > 10_000, "the capture is nearly empty: pipe-pane did not see the app"
    assert _foreign_sequences(data) == []
    assert data.count(b"\x07") == len(POINTER_SHAPE_BEL.findall(data)), "a BEL that is not Textual's OSC 22 terminator"
    assert b"\x1b[2J" not in data and b"\x1b]0;" not in data and b"\x1b]2;" not in data
    assert b"\x1b]52;" not in data and b"\x1b]8;" not in data and b"\x1bP" not in data
    text = data.decode("utf-8")  # strict: a raw C1 byte outside a UTF-8 sequence fails here
    assert not [c for c in text if "\x80" <= c <= "\x9f"], "a C1 control character"
    assert not {c for c in text if c < " " and c not in "\r\n\x1b\x07"}, "a C0 control Textual does not send"
    for payload in (b"owned", b"b3duZWQ="):  # stripped at ingest with their sequences
        assert payload not in data, f"escape payload {payload!r} reached the terminal"
    # The binary's name is shown (in the skipped-files notice) as inert text, escapes spelled out.
    assert b"\\x1b]52;c;bmFtZQ==\\x07" in data
    assert re.findall(rb"(?<!\\x1b\]52;c;)bmFtZQ==", data) == []
