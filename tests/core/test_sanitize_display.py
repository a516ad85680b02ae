"""`core.sanitize.for_display`, and the text surfaces of the command line that use it: stderr
(skipped files, warnings, errors) and the stdout formats (jsonl, csv, table, KWIC).

The CLI cases run `core.commands.main` in this process on real files in tmp_path; stdout and stderr
are captured as bytes (`capfdbinary`) so a raw escape or C1 character cannot hide in decoding.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import polars as pl
import pytest

from core.output import FORMATS, format_table, write_frame
from core.sanitize import for_display
from core.commands import main

TITLE_OSC = "\x1b]0;HOSTILE-TITLE\x07"
CLIPBOARD_OSC = "\x1b]52;c;UFdORUQ=\x1b\\"
# Anything a terminal acts on: ESC, C0 controls but newline, DEL, C1 (raw bytes or UTF-8 encoded).
UNSAFE = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


# -- the function -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        ("plain text", "plain text"),
        (f"a{TITLE_OSC}b{CLIPBOARD_OSC}c", "abc"),  # whole sequences go, not just their ESC
        ("clear\x1b[2Jscreen \x9b31m c1 \x07bell \x7fdel", "clearscreen  c1 bell del"),
        ("[/] [bold red]x[/] [@click=app.quit]y[/]", "[/] [bold red]x[/] [@click=app.quit]y[/]"),  # markup is text
        ("two\nlines\tand tab", "two\nlines\tand tab"),
        ("name \udcff byte", "name \\xff byte"),  # an undecodable byte, spelled out
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        (42, "42"),
    ],
)
def test_text_is_cleaned_and_markup_kept(value: object, shown: str) -> None:
    assert for_display(value) == shown


def test_one_line_flattens_newlines_and_tabs_only() -> None:
    assert for_display("a\nb\tc\r\nd\u2028e  f", one_line=True) == "a b c d e  f"
    assert for_display("plain", one_line=True) == "plain"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        (Path(f"/data/news{TITLE_OSC}/a.txt"), "/data/news\\x1b]0;HOSTILE-TITLE\\x07/a.txt"),
        (Path(os.fsdecode(b"/data/caf\xe9.txt")), "/data/caf\\xe9.txt"),  # latin-1 bytes in a UTF-8 system
        (Path("/data/new\nline\u202etxt.exe"), "/data/new\\x0aline\\u202etxt.exe"),
        (b"raw\x9bname", "raw\\x9bname"),
        (Path("/data/[bold]plain[/] name.txt"), "/data/[bold]plain[/] name.txt"),
    ],
)
def test_a_file_name_is_spelled_out_not_stripped(name: object, shown: str) -> None:
    assert for_display(name) == shown
    assert for_display(for_display(name)) == shown  # shown text is stable: cleaning it again is a no-op


# -- stdout formats ----------------------------------------------------------------------------


def _hostile_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "title": [f"Gas{TITLE_OSC} prices", "[/] markup \x9b31m", None],
            "subheadings": [[f"Sub{CLIPBOARD_OSC}"], [], None],
            f"col{TITLE_OSC}": [1, 2, 3],
            "score": [0.5, 1.25, None],
        }
    )


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "parquet"])
def test_text_formats_carry_no_escape_or_c1(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    write_frame(_hostile_frame(), fmt, target)
    data = target.read_bytes()
    assert not UNSAFE.findall(data.replace(b"\r\n", b"\n")), data
    spelled = data.replace(b"\\\\", b"\\").replace(b"\\x1b]0;HOSTILE-TITLE\\x07", b"")  # (JSON doubles a backslash)
    assert b"HOSTILE-TITLE" not in spelled  # only in the column name, spelled out
    assert b"UFdORUQ" not in data
    text = data.decode("utf-8")
    assert "Gas prices" in text and "[/] markup" in text
    if fmt == "jsonl":
        rows = [json.loads(line) for line in text.splitlines()]
        assert rows[0]["title"] == "Gas prices" and rows[0]["subheadings"] == ["Sub"]
        assert rows[0]["col\\x1b]0;HOSTILE-TITLE\\x07"] == 1


def test_parquet_keeps_values_exactly(tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    frame = _hostile_frame()
    write_frame(frame, "parquet", target)
    assert pl.read_parquet(target).equals(frame)


def test_table_is_one_line_per_row() -> None:
    frame = pl.DataFrame({"keyword": ["two\nlines", "tab\there"], "docs": [3, 12]})
    assert format_table(frame).splitlines() == ["keyword    docs", "two lines     3", "tab here     12"]


# -- the command line --------------------------------------------------------------------------


def _cli(capfdbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, bytes]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capfdbinary.readouterr()
    return code, captured.out, captured.err


def _hostile_corpus(root: Path) -> Path:
    root.mkdir()
    (root / "story.txt").write_text(
        "Gas storage fills early\n\nEurope filled its gas storage faster than expected, traders said.\n", encoding="utf-8"
    )
    (root / "keys.jsonl").write_text(json.dumps({CLIPBOARD_OSC: "x", "[/]": "y"}) + "\n", encoding="utf-8")
    (root / "header.csv").write_text(f"{TITLE_OSC},count\nx,1\n", encoding="utf-8")
    folder = root / "news\x1b]2;FOLDER-TITLE\x07"
    folder.mkdir()
    (folder / "broken.dat").write_bytes(os.urandom(256) + b"\0" * 64)
    return root


@pytest.mark.parametrize(
    "argv",
    [["parse"], ["parse", "--format", "csv"], ["keywords", "--format", "table"], ["index"], ["kwic", "gas"]],
    ids=["parse", "parse-csv", "keywords-table", "index", "kwic"],
)
def test_skipped_reasons_quote_names_and_columns_without_their_escapes(
    capfdbinary: pytest.CaptureFixture[bytes], tmp_path: Path, isolated_dirs: Path, argv: list[str]
) -> None:
    root = _hostile_corpus(tmp_path / "corpus")
    command, rest = argv[0], argv[1:]
    if command == "kwic":
        argv = ["kwic", str(root), *rest]
    else:
        argv = [command, str(root), *rest]
    for run in ("first", "from the snapshot"):
        code, out, err = _cli(capfdbinary, *argv)
        assert code == 0, err
        assert not UNSAFE.findall(out.replace(b"\r\n", b"\n")), (run, out)
        assert not UNSAFE.findall(err), (run, err)
        lines = err.decode("utf-8").splitlines()
        skipped = sorted(line for line in lines if line.startswith("skipped "))
        assert skipped == [
            f"skipped {root}/header.csv: no title or body column (columns: , count)",
            f"skipped {root}/keys.jsonl: no title or body column (columns: , [/])",
            f"skipped {root}/news\\x1b]2;FOLDER-TITLE\\x07/broken.dat: binary file (not text in any known encoding)",
        ], (run, lines)
        # The second run reports what the snapshot stored (the raw reasons): cleaned on the way out.
        assert list((isolated_dirs / "cache" / "snapshots").glob("*.parquet")), "no snapshot was stored"


def test_errors_spell_out_the_path_they_name(capfdbinary: pytest.CaptureFixture[bytes], tmp_path: Path) -> None:
    code, _, err = _cli(capfdbinary, "parse", str(tmp_path / f"missing{TITLE_OSC}"))
    assert code == 2
    assert err.decode("utf-8") == f"newsdesk: no such file or directory: {tmp_path}/missing\\x1b]0;HOSTILE-TITLE\\x07\n"
    code, _, err = _cli(capfdbinary, "parse", "--format", f"x{TITLE_OSC}", str(tmp_path))
    assert code == 2 and not UNSAFE.findall(err.rstrip(b"\n")), err
