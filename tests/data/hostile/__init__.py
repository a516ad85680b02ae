"""The hostile corpus: every kind of input a scraped folder can throw at newsdesk.

`write_hostile_corpus(directory)` writes it into `directory` (a test's tmp_path); the
tests then prove that nothing crashes, nothing reaches the terminal and nothing is lost.
Each entry of HOSTILE_TITLES is the title of one article that must survive ingest.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ESC = "\x1b"
CSI_CLEAR = f"{ESC}[2J{ESC}[H"
OSC_TITLE = f"{ESC}]0;owned{chr(7)}"
OSC_TITLE_ST = f"{ESC}]2;owned-too{ESC}\\"
OSC_CLIPBOARD = f"{ESC}]52;c;b3duZWQ={chr(7)}"
OSC_HYPERLINK = f"{ESC}]8;;https://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\"
DCS = f"{ESC}P1$r0m{ESC}\\"
C1_CSI = "\x9b31m"
ALL_C0 = "".join(chr(c) for c in range(32) if chr(c) not in "\n\t")
ALL_C1 = "".join(chr(c) for c in range(0x80, 0xA0))
RTL_OVERRIDE = "\u202eevil\u202c"
ZERO_WIDTH = "in\u200bvis\u200cible\u200d\ufeff"
MARKUP = "[/] [bold]b[/bold] [@click=app.quit]x[/] [link=https://evil.example]l[/link]"


@dataclass(frozen=True)
class HostileArticle:
    """An article whose title must come out of ingest exactly as `expected_title`."""

    file: str
    expected_title: str


def _article(title: str, body: str) -> str:
    return f"{title}\n\n{body}\n"


def write_hostile_corpus(directory: Path) -> list[HostileArticle]:
    """Write the hostile corpus; returns the articles that must survive ingest."""
    directory.mkdir(parents=True, exist_ok=True)
    expected: list[HostileArticle] = []

    def text_file(name: str, title: str, body: str, expected_title: str, encoding: str = "utf-8") -> None:
        (directory / name).write_bytes(_article(title, body).encode(encoding, "surrogatepass"))
        expected.append(HostileArticle(name, expected_title))

    text_file("markup.txt", MARKUP, f"Body {MARKUP} end.", MARKUP)
    text_file(
        "escapes.txt",
        f"Escapes{CSI_CLEAR}{OSC_TITLE} here",
        f"Clear {CSI_CLEAR} title {OSC_TITLE} {OSC_TITLE_ST} clip {OSC_CLIPBOARD} link {OSC_HYPERLINK} dcs {DCS} c1 {C1_CSI}.",
        "Escapes here",
    )
    # CR is a line break (old Mac files), so the title carries every other control.
    title_controls = ALL_C0.replace("\r", "")
    text_file("controls.txt", f"Controls{title_controls}{ALL_C1} gone", f"Every control: {ALL_C0}{ALL_C1}.", "Controls gone")
    text_file("surrogates.txt", "Lone \ud800 surrogate", "Text with a lone \udfff surrogate.", "Lone \ufffd surrogate")
    text_file("bidi.txt", f"Bidi {RTL_OVERRIDE} and {ZERO_WIDTH}", "Right-to-left and zero-width text.", f"Bidi {RTL_OVERRIDE} and {ZERO_WIDTH}")
    text_file("long-line.txt", "A one megabyte line", "word " * 200_000, "A one megabyte line")
    text_file("long-token.txt", "A twenty thousand character token", "x" * 20_000, "A twenty thousand character token")
    text_file("tiny-lines.txt", "A hundred thousand tiny lines", "a\n" * 100_000, "A hundred thousand tiny lines")
    text_file("cp1251.txt", "Кириллица в cp1251", "Текст статьи в старой кодировке Windows для русского языка.", "Кириллица в cp1251", "cp1251")
    text_file("utf16.txt", "UTF-16 with a BOM", "Wide characters everywhere in this body.", "UTF-16 with a BOM", "utf-16")
    (directory / "markers.txt").write_text(("Published\n\non\n\nContinue Reading\n\nLatest\n\n" * 20_000), encoding="utf-8")
    (directory / "table.jsonl").write_text(
        json.dumps({"title": f"JSON {MARKUP}{OSC_TITLE}", "body": f"Body {CSI_CLEAR}.", "section": f"Sec{ESC}[31m"}) + "\n{not json\n",
        encoding="utf-8",
    )
    expected.append(HostileArticle("table.jsonl", f"JSON {MARKUP}"))
    with open(directory / "sparse-gigabyte.txt", "wb") as handle:
        handle.truncate(1024**3)
    (directory / "loop").symlink_to(directory, target_is_directory=True)
    (directory / "dangling.txt").symlink_to(directory / "nowhere.txt")
    (directory / "binary.dat").write_bytes(os.urandom(4096) + b"\x00" * 64)
    return expected
