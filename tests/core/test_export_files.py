"""core.export on real files: formula cells neutralised in CSV only, an existing file never
replaced unasked, its mode kept, links and missing folders refused, stale temp files cleaned."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from core.atomic import TEMP_PREFIX, remove_stale_temps
from core.corpus import RawArticle, build_corpus
from core.export import export_view, neutralise_formulas
from core.export_formats import ExportError, TargetExists

HOSTILE = {
    "=HYPERLINK(\"https://evil.example/\",\"full story\")": "=1+1 opens the body",
    "+7 495 call now": "plain body",
    "-2+3 degrees": "\tstarts with a tab",
    "@SUM(A1:A9)": "\rstarts with a carriage return",
    "Ordinary title = fine": "a-b and c+d inside are fine",
}


def articles() -> pl.DataFrame:
    return build_corpus([RawArticle(title=t, body=b, path="x.txt") for t, b in HOSTILE.items()]).articles


NO_KEYWORDS = pl.DataFrame(schema={"id": pl.String, "rank": pl.UInt32, "keyword": pl.String})


def test_neutralise_prefixes_only_formula_starts_in_string_columns() -> None:
    frame = pl.DataFrame({"text": [*HOSTILE.values(), None], "n": [-1, 2, 3, 4, 5, 6]})
    out = neutralise_formulas(frame)
    assert out.get_column("text").to_list() == [
        "'=1+1 opens the body",
        "plain body",
        "'\tstarts with a tab",
        "'\rstarts with a carriage return",
        "a-b and c+d inside are fine",
        None,
    ]
    assert out.get_column("n").to_list() == [-1, 2, 3, 4, 5, 6]


def test_csv_export_neutralises_and_other_formats_keep_the_text(tmp_path: Path) -> None:
    frame = articles()
    export_view(frame, NO_KEYWORDS, tmp_path / "view.csv")
    csv_titles = set(pl.read_csv(tmp_path / "view.csv").get_column("title"))
    assert csv_titles == {t if t.startswith("Ordinary") else "'" + t for t in HOSTILE}
    export_view(frame, NO_KEYWORDS, tmp_path / "view.jsonl")
    assert set(pl.read_ndjson(tmp_path / "view.jsonl").get_column("title")) == set(HOSTILE)


def test_parse_format_csv_keeps_the_exact_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from core.commands import main

    source = tmp_path / "hostile.jsonl"
    articles().select("title", "body").write_ndjson(source)
    assert main(["parse", str(source), "--format", "csv", "-o", str(tmp_path / "out.csv")]) == 0
    assert set(pl.read_csv(tmp_path / "out.csv").get_column("title")) == set(HOSTILE)


def test_existing_file_needs_replace_and_keeps_its_mode(tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("mine\n", encoding="utf-8")
    notes.chmod(0o600)
    with pytest.raises(TargetExists):
        export_view(articles(), NO_KEYWORDS, notes)
    assert notes.read_text(encoding="utf-8") == "mine\n"
    assert export_view(articles(), NO_KEYWORDS, notes, replace=True) == len(HOSTILE)
    assert notes.read_text(encoding="utf-8").startswith("| title |")
    assert stat.S_IMODE(notes.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_links_and_missing_folders_are_refused(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("keep\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(real)
    (tmp_path / "dangling.csv").symlink_to(tmp_path / "nowhere.csv")
    for name in ("link.csv", "dangling.csv"):
        with pytest.raises(ExportError, match="is a symbolic link"):
            export_view(articles(), NO_KEYWORDS, tmp_path / name, replace=True)
    assert real.read_text(encoding="utf-8") == "keep\n" and not (tmp_path / "nowhere.csv").exists()
    with pytest.raises(ExportError, match="folder does not exist"):
        export_view(articles(), NO_KEYWORDS, tmp_path / "new" / "view.csv")
    assert not (tmp_path / "new").exists()


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temps_are_removed_and_live_writers_kept(tmp_path: Path) -> None:
    hexes = iter(f"{n:032x}" for n in range(1, 10))
    dead = tmp_path / f"{TEMP_PREFIX}{_dead_pid()}-{next(hexes)}-view.csv"
    live = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-{next(hexes)}-view.csv"  # pytest's parent: running
    other = tmp_path / f"{TEMP_PREFIX}{_dead_pid()}-{next(hexes)}-other.csv"
    old_live = tmp_path / f"{TEMP_PREFIX}{os.getppid()}-{next(hexes)}-view.csv"
    unrelated = tmp_path / ".tmp-notes-by-someone-else"
    for path in (dead, live, other, old_live, unrelated):
        path.write_text("half", encoding="utf-8")
    os.utime(old_live, (1, 1))
    assert remove_stale_temps(tmp_path, "view.csv") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, unrelated.name])
    assert remove_stale_temps(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, unrelated.name])
