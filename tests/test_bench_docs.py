"""The benchmarks' current tables in docs/performance.md: each run with --write-docs replaces
its own marked block and nothing else (bench/docs_table.py)."""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path

import pytest

import bench.docs_table as docs_table
from bench import insight, parse, tables, terminal
from bench.docs_table import machine_line, markdown_table, markers, replace_block, write_block

PAGE = """# Performance

Intro stays.

## Parsing

How it is measured.

<!-- bench:parse -->
| old | table |
<!-- /bench:parse -->

Why it is so: lasting prose.

## Scale

Scale prose.
"""


def test_a_block_is_replaced_and_the_rest_kept(tmp_path: Path) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text(PAGE, encoding="utf-8")
    write_block("parse", "## Parsing", "| new | table |", docs)
    text = docs.read_text(encoding="utf-8")
    assert "| old | table |" not in text
    assert text == PAGE.replace("| old | table |", "| new | table |")


def test_a_missing_block_is_added_under_its_heading(tmp_path: Path) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text(PAGE, encoding="utf-8")
    write_block("scale", "## Scale", "| scale |", docs)
    write_block("scale", "## Scale", "| scale again |", docs)
    text = docs.read_text(encoding="utf-8")
    start, end = markers("scale")
    assert text.count(start) == 1 and text.count(end) == 1
    assert "| scale |" not in text
    assert text.index("## Scale") < text.index(start) < text.index("| scale again |") < text.index(end) < text.index("Scale prose.")
    assert text.startswith(PAGE.split("## Scale")[0])  # the parse section is untouched


def test_a_missing_heading_is_added_at_the_end() -> None:
    text = replace_block("# Performance\n\nIntro.\n", "tui", "## The dashboard", "| t |")
    assert text == "# Performance\n\nIntro.\n\n## The dashboard\n\n<!-- bench:tui -->\n| t |\n<!-- /bench:tui -->\n"


def test_a_heading_is_matched_as_a_whole_line() -> None:
    current = "## Scaled out\n\nother\n\n## Scale\n\nprose\n"
    text = replace_block(current, "scale", "## Scale", "| s |")
    assert text.index("## Scale\n") < text.index("<!-- bench:scale -->") and text.index("other") < text.index("<!-- bench:scale -->")


def test_a_cell_cannot_split_its_row() -> None:
    table = markdown_table(["a", "b"], [["x | y", "z"]])
    assert table.splitlines() == ["| a | b |", "|---|---|", "| x \\| y | z |"]


def test_the_machine_line_says_what_ran_where_and_when() -> None:
    line = machine_line("uv run python -m bench.parse", "10 pages")
    assert "`uv run python -m bench.parse` (10 pages)" in line
    assert dt.datetime.now(dt.UTC).strftime("%Y-%m-%d") in line
    assert f"{docs_table.cpus()} CPUs (`nproc`)" in line
    assert f"Python {platform.python_version()}" in line


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """docs/performance.md as a copy of PAGE, where the benchmarks write."""
    target = tmp_path / "performance.md"
    target.write_text(PAGE, encoding="utf-8")
    monkeypatch.setattr(docs_table, "DOCS_FILE", target)
    return target


def test_the_parse_benchmark_writes_its_run(docs: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(tmp_path / "cache"))  # the benchmark sets it
    parse.main(["--articles", "30", "--write-docs"])
    text = docs.read_text(encoding="utf-8")
    block = text.split("<!-- bench:parse -->")[1].split("<!-- /bench:parse -->")[0]
    assert "| old | table |" not in block
    assert "| page parser (parse_page) |" in block and "| >= 30 MB/s on one core |" in block
    assert "`uv run python -m bench.parse --articles 30 --runs 1 --write-docs`" in block
    assert "Why it is so: lasting prose." in text and "Scale prose." in text


def test_the_insight_benchmark_adds_its_block(docs: Path) -> None:
    insight.main(["--articles", "300", "--repeat", "1", "--no-app", "--write-docs"])
    text = docs.read_text(encoding="utf-8")
    block = text.split("## Insight screens")[1]
    assert "| corpus_overview |" in block and "300 articles" in block
    assert text.startswith(PAGE.rstrip("\n"))


def test_the_tables_benchmark_adds_its_block_and_says_what_it_could_not_measure(docs: Path, tmp_path: Path) -> None:
    tables.main(["--mb", "1", "--runs", "1", "--vd", str(tmp_path / "no-such-vd"), "--write-docs"])
    text = docs.read_text(encoding="utf-8")
    assert text.startswith(PAGE.rstrip("\n"))
    block = text.split("## Large tables")[1].split("<!-- bench:tables -->")[1].split("<!-- /bench:tables -->")[0]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in block.splitlines() if line.startswith("| ")}
    articles = rows["file"].split("JSONL, ")[1].split(" articles")[0]
    assert int(articles.replace(",", "")) > 100
    assert "<= 1 s after launch" in rows["dashboard, first rows (spawn to first paint with rows)"]
    assert "not measured (no `vd`)" in rows["all rows / visidata's all rows"] and "<= 2x" in rows["all rows / visidata's all rows"]
    assert "<= 3x the text" in rows["peak RSS over the file's size, dashboard / parse"]
    assert "visidata not found, not measured" in block and "--mb 1 --runs 1" in block
    if terminal.tmux() is not None:  # the same file's dashboard, seen on a real terminal's screen
        first, all_rows = rows["in a terminal (tmux): dashboard, first rows / all rows"].split(" | ")[1].split(" / ")
        assert 0 < float(first.removesuffix(" s")) <= float(all_rows.removesuffix(" s"))
