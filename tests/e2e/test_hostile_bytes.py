"""Every message path, CLI and dashboard, fed hostile names, keys and column names: the
terminal's bytes hold no escape sequence the program did not write itself.

The corpus has escape sequences where they do not go through article cleaning: a JSON key
holding an OSC 52 clipboard write, a CSV header holding an OSC 0 title, a folder named with
an OSC 2 title (holding an article and an unreadable file), a file named with an OSC 0 title
(ST-terminated), a nonexistent path with one, and article URLs holding an OSC 0 title, ST
(7-bit and C1) and an OSC 8 link of their own. It also has a section named `[/]`, which
once crashed the command palette. In one tmux pane (`set-clipboard on`, `pipe-pane` copying
every byte from the first) a script runs `parse` (twice: the second run reports the skipped
files from the stored snapshot), `parse --format csv`, `keywords` as a table and as CSV,
`index`, `kwic` and a `parse` of the missing path, then the dashboard, from inside the hostile
folder (so the export prompt suggests it): the Skipped notification, the palette with `fi`
typed, help, KWIC, trends, overview and the export prompt, then `q`; the reader shows an
article whose URL it makes a link.

On the bytes: the only OSCs are Textual's OSC 22 (pointer shape) and the reader's OSC 8 link to
the article's cleaned URL; no DCS, APC, PM or SOS; no C1
character; every escape sequence is one of the forms Textual (or the progress bar's line
erase) writes; no payload (`52;c;UFdORUQ`, the title texts) inside any escape sequence. tmux
agrees: the pane title is unchanged and no paste buffer was set. The names are shown spelled
out (`\\x1b]2;FOLDER-TITLE\\x07`), so the messages were printed, not dropped.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.tmux import TMUX, TmuxPane
from tests.faults.harness import NEWSDESK

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed (the CI script installs it): terminal safety not proven")

CLIPBOARD_KEY = "\x1b]52;c;UFdORUQ=\x1b\\"
HEADER = "\x1b]0;HOSTILE-TITLE\x07"
FOLDER = "news\x1b]2;FOLDER-TITLE\x07"
FILE = "scan\x1b]0;NAME-TITLE\x1b\\.bin"
MISSING = "missing\x1b]2;MISSING-TITLE\x07"
URL = "https://example.org/gas\x1b]0;URL-TITLE\x07?q=1\x1b\\&r=\x9c2\x1b]8;;file:///etc/passwd\x07"
CLEAN_URL = "https://example.org/gas?q=1&r=2"
PAYLOADS = (
    b"52;c;UFdORUQ", b"UFdORUQ", b"HOSTILE-TITLE", b"FOLDER-TITLE", b"NAME-TITLE", b"MISSING-TITLE", b"SECTION-TITLE", b"URL-TITLE", b"passwd",
)

# What Textual writes (CSI: SGR, cursor position, DEC private modes, mode queries, the kitty
# keyboard protocol; OSC 22 for the pointer shape; OSC 8 for the reader's link to the article's
# cleaned URL, and its end), and the progress bar's line erase.
ALLOWED = re.compile(
    rb"\x1b\[(?:[0-9;:]*m|[0-9;]*H|\?[0-9;]*[hl]|\?[0-9]+\$p|[<>=][0-9;]*u|K)"
    rb"|\x1b\]22;[A-Za-z-]*(?:\x07|\x1b\\)"
    rb"|\x1b\]8;id=[0-9-]+;" + re.escape(CLEAN_URL.encode()) + rb"\x1b\\|\x1b\]8;;\x1b\\"
)
# Any escape sequence, whole: CSI, OSC / DCS / SOS / PM / APC up to their terminator, or ESC + one.
SEQUENCE = re.compile(rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b[\]PX^_].*?(?:\x07|\x1b\\)|\x1b[\x20-\x7e]", re.S)

STORIES = [
    {
        "title": "Gas storage fills early across Europe",
        "body": "Europe filled its gas storage faster than expected this autumn. Traders said the cushion would hold "
        "gas prices down if the winter is cold, though demand usually peaks in January.",
        "section": "[/]",
        "source": "Energy wire",
        "url": URL,
    },
    {
        "title": "Pipeline talks resume in Ankara",
        "body": "Officials met in Ankara to discuss the pipeline that would carry natural gas south. The talks stalled "
        "last year over transit fees, and negotiators said gas prices had made a deal urgent.",
        "section": "Energy\x1b]0;SECTION-TITLE\x07",
        "source": "[link=https://x]x[/link]",
        "url": URL,
    },
]


def write_corpus(root: Path) -> Path:
    """The hostile corpus under `root`; returns the folder named with an escape sequence."""
    root.mkdir()
    with (root / "stories.jsonl").open("w", encoding="utf-8") as out:
        for story in STORIES:
            out.write(json.dumps(story) + "\n")
    (root / "keys.jsonl").write_text(json.dumps({CLIPBOARD_KEY: "x", "note": "y"}) + "\n", encoding="utf-8")
    (root / "header.csv").write_text(f"{HEADER},count\nx,1\n", encoding="utf-8")
    (root / FILE).write_bytes(os.urandom(512) + b"\0" * 64)
    folder = root / FOLDER
    folder.mkdir()
    (folder / "arctic.txt").write_text(
        "Arctic shipping lanes open earlier\n\nMelting sea ice opens the northern route for longer each summer, "
        "and shipping firms plan more voyages along it.\n",
        encoding="utf-8",
    )
    (folder / "broken.dat").write_bytes(os.urandom(512) + b"\0" * 64)
    return folder


@pytest.fixture
def run(tmp_path: Path, isolated_dirs: Path) -> Iterator[tuple[TmuxPane, Path, Path, Path]]:
    corpus = tmp_path / "corpus"
    folder = write_corpus(corpus)
    capture, ready, status, done = (tmp_path / name for name in ("terminal.bytes", "ready", "status", "cli-done"))
    nd = " ".join(shlex.quote(part) for part in NEWSDESK)
    c = shlex.quote(str(corpus))
    lines = [
        f"while [ ! -e {shlex.quote(str(ready))} ]; do sleep 0.05; done",
        *(
            f"export {name}={shlex.quote(str(isolated_dirs / sub))}"
            for name, sub in (("NEWSDESK_CACHE_DIR", "cache"), ("NEWSDESK_STATE_DIR", "state"), ("NEWSDESK_CONFIG_DIR", "config"))
        ),
        "unset COLUMNS LINES",
        f"{nd} parse {c} > /dev/null",
        f"{nd} parse {c} --format csv",  # the second run: skipped files reported from the snapshot
        f"{nd} keywords {c} --format table",
        f"{nd} keywords {c} --per-article --format csv --top 3",
        f"{nd} index {c}",
        f"{nd} kwic {c} gas",
        f"{nd} parse {shlex.quote(str(corpus / MISSING))}",
        f"touch {shlex.quote(str(done))}",
        f"cd {shlex.quote(str(folder))} && {nd} {c}; echo $? > {shlex.quote(str(status))}",
    ]
    script = tmp_path / "run.sh"
    script.write_bytes("\n".join(lines).encode("utf-8", "surrogateescape") + b"\n")
    term = TmuxPane()
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "-c", str(REPO), "sh", str(script))
    try:
        term.tmux("set-option", "-s", "set-clipboard", "on")
        term.tmux("set-option", "-t", "main", "remain-on-exit", "on")
        term.tmux("pipe-pane", "-o", "-t", "main", f"cat >> {shlex.quote(str(capture))}")
        ready.touch()
        yield term, capture, status, done
    finally:
        term.kill_server()


def _wait_file(path: Path, term: TmuxPane, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists() or (path.name == "status" and not path.read_text().strip()):
        assert term.value("#{pane_dead}") != "1", f"the pane died before {what}:\n{term.screen()}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{term.screen()}"
        time.sleep(0.1)


def test_no_escape_from_a_name_key_or_column_reaches_the_terminal(run: tuple[TmuxPane, Path, Path, Path]) -> None:
    term, capture, status, done = run
    title_before = term.value("#{pane_title}")
    _wait_file(done, term, "the headless commands", timeout=180)
    cli_bytes = capture.read_bytes()

    term.wait(lambda s: re.search(r"3 of 3 ", s) is not None and "Skipped" in s, "the dashboard and its Skipped notice", timeout=90)
    term.wait(lambda s: "indexed" in s, "keywords", timeout=90)
    for _ in range(3):  # down the list to an article with a URL: the reader shows it as a link
        if CLEAN_URL in term.screen():
            break
        term.keys("j")
        time.sleep(0.3)
    term.wait_for(CLEAN_URL)
    term.keys("C-p")
    term.type("fi")
    term.wait(lambda s: 'section:"[/]"' in s, "the palette's section hit, its help shown literally")
    term.keys("Escape")
    term.wait(lambda s: "Filter by section" not in s, "the palette closed")
    screens = {}
    for key, shown in (("?", "Command palette"), ("o", "Corpus overview"), ("e", "extension picks the format")):
        term.keys(key)
        screens[key] = term.wait(lambda s, shown=shown: shown in s, f"{key}: {shown!r}")
        term.keys("Escape")
        term.wait(lambda s, shown=shown: shown not in s, f"{shown!r} closed")
    term.keys("Tab", "Tab", "c")
    term.wait(lambda s: "KWIC:" in s, "KWIC")
    term.keys("Escape")
    term.wait(lambda s: "KWIC:" not in s, "KWIC closed")
    term.keys("t")
    term.wait(lambda s: "Trends:" in s, "trends")
    term.keys("Escape")
    term.wait(lambda s: "Trends:" not in s, "trends closed")
    term.keys("q")
    _wait_file(status, term, "q to quit")
    assert status.read_text().strip() == "0", term.screen()

    data = capture.read_bytes()
    assert len(data) > 10_000, "the capture is nearly empty: pipe-pane did not see the programs"
    assert cli_bytes.count(b"keys.jsonl: no title or body column") >= 2
    assert cli_bytes.count(b"header.csv: no title or body column") >= 2

    assert term.value("#{pane_title}") == title_before, "a title sequence reached the terminal"
    assert term.tmux("list-buffers") == "", "a clipboard write (OSC 52) reached the terminal"
    text = data.decode("utf-8")  # strict: a raw 8-bit C1 byte fails here
    assert not [c for c in text if "\x80" <= c <= "\x9f"], "a C1 control character"
    sequences = [match.group() for match in SEQUENCE.finditer(data)]
    assert sequences, "no escape sequence at all: the dashboard did not draw"
    assert data.count(b"\x1b") == sum(s.count(b"\x1b") for s in sequences), "an ESC outside any sequence"
    assert [s for s in sequences if s.startswith(b"\x1b]8;id=")], "the reader's URL was not a link"
    foreign = [s for s in sequences if not ALLOWED.fullmatch(s)]
    assert foreign == [], f"escape sequences the programs do not write: {foreign[:10]}"
    for payload in PAYLOADS:
        assert not [s for s in sequences if payload in s], f"{payload!r} inside an escape sequence"
    for introducer in (b"\x1b]0;", b"\x1b]2;", b"\x1b]52;", b"\x1bP", b"\x1b_", b"\x1b^", b"\x1bX"):
        assert introducer not in data, f"{introducer!r} reached the terminal"

    # The names were shown spelled out, by the first run and again from the snapshot.
    assert cli_bytes.count(b"news\\x1b]2;FOLDER-TITLE\\x07/broken.dat: binary file") >= 2
    assert b"scan\\x1b]0;NAME-TITLE\\x1b\\.bin: binary file" in cli_bytes
    assert b"no such file or directory: " in cli_bytes and b"missing\\x1b]2;MISSING-TITLE\\x07" in cli_bytes
    # The export prompt names the folder it cannot put in its input.
    assert "File name in " in screens["e"] and "FOLDER-TITLE" in screens["e"], screens["e"]
