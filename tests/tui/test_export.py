"""Pilot tests of `e`: the prompt, each format read back (Polars; Markdown as text), and errors inline."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from textual.widgets import Input

from tests.tui.corpus import KEYWORDS, make_app, ready, settle, titles, wait_for
from tui.app import NewsdeskApp
from tui.screens.export import ExportScreen

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
ENERGY = "Energy markets brace for winter"
PIPELINES = "Russia and Turkey talk pipelines"


async def filter_natural(pilot) -> NewsdeskApp:
    app = await ready(pilot)
    app.apply_filter("natural")
    await wait_for(pilot, lambda: app.article_list.row_count == 2, what="filtered view")
    return app


async def export_to(pilot, app: NewsdeskApp, name: str) -> ExportScreen:
    """Press e, type `name` over the suggestion, press enter; returns the prompt."""
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="export prompt")
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    await type_over(pilot, name)
    await pilot.press("enter")
    return screen


async def type_over(pilot, name: str) -> None:
    """Clear the prompt's input (ctrl+u from its end) and type `name` with real keys."""
    await pilot.press("end", "ctrl+u", *name)


async def written(pilot, app: NewsdeskApp, target: Path) -> None:
    await wait_for(pilot, lambda: target.exists() and not isinstance(app.screen, ExportScreen), what=f"{target.name} written")
    await settle(pilot)
    assert any(str(target) in n.message and "2 rows" in n.message for n in app._notifications)


async def test_prompt_suggests_a_timestamped_csv_in_the_export_dir(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
        value = app.screen.query_one("#export-path", Input).value
        assert value.startswith(str(tmp_path / "newsdesk-export-")) and value.endswith(".csv")
        assert len(Path(value).stem) == len("newsdesk-export-20260101-120000")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen))
        assert not list(tmp_path.glob("newsdesk-export-*"))


async def test_csv_has_keywords_joined(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await filter_natural(pilot)
        await export_to(pilot, app, "view.csv")  # relative: in the export dir
        target = tmp_path / "view.csv"
        await written(pilot, app, target)
        frame = pl.read_csv(target)
        assert frame.get_column("title").to_list() == titles(app)
        assert "kw_top" not in frame.columns and "_position" not in frame.columns
        keywords = dict(zip(frame.get_column("title"), frame.get_column("keywords"), strict=True))
        assert keywords[ENERGY] == "; ".join(KEYWORDS[ENERGY])
        assert keywords[PIPELINES] == "; ".join(KEYWORDS[PIPELINES])


async def test_jsonl_has_keyword_lists(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await filter_natural(pilot)
        target = tmp_path / "out" / "view.jsonl"
        target.parent.mkdir()
        await export_to(pilot, app, str(target))
        await written(pilot, app, target)
        frame = pl.read_ndjson(target)
        assert frame.height == 2
        rows = {row["title"]: row for row in frame.iter_rows(named=True)}
        assert rows[ENERGY]["keywords"] == KEYWORDS[ENERGY]
        assert rows[PIPELINES]["body"].startswith("A new pipeline")
        assert rows[ENERGY]["source"] == "RIAC"


async def test_parquet_has_keyword_lists(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await filter_natural(pilot)
        target = tmp_path / "view.PARQUET"  # the extension is case-insensitive
        await export_to(pilot, app, str(target))
        await written(pilot, app, target)
        frame = pl.read_parquet(target)
        assert frame.schema["keywords"] == pl.List(pl.String)
        assert dict(zip(frame.get_column("title"), frame.get_column("keywords").to_list(), strict=True)) == {
            ENERGY: KEYWORDS[ENERGY],
            PIPELINES: KEYWORDS[PIPELINES],
        }


async def test_markdown_is_a_table_of_the_view(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await filter_natural(pilot)
        target = tmp_path / "view.md"
        await export_to(pilot, app, str(target))
        await written(pilot, app, target)
        lines = target.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "| title | section | source | date | words | keywords |"
        assert lines[1].startswith("|---|")
        assert len(lines) == 4
        assert lines[2] == f"| {ENERGY} | Energy | RIAC | 2021-11-01 | 18 | natural gas; storage; Europe |"


async def test_markdown_escapes_pipes_in_titles(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        app.apply_filter('"[bold red]x[/]"')
        await wait_for(pilot, lambda: app.article_list.row_count == 1)
        target = tmp_path / "markup.md"
        await export_to(pilot, app, str(target))
        await wait_for(pilot, lambda: target.exists())
        row = target.read_text(encoding="utf-8").splitlines()[2]
        assert row.startswith("| [bold red]x[/] | ")
        assert row.count(" | ") == 5


async def test_bad_extension_and_unwritable_path_are_inline_errors(tmp_path: Path) -> None:
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await filter_natural(pilot)
        screen = await export_to(pilot, app, "view.txt")
        await pilot.pause()
        assert "'.txt' is not an export format" in screen.error_text
        assert app.screen is screen and app.is_running
        blocker = tmp_path / "a-file"
        blocker.write_text("not a directory", encoding="utf-8")
        await type_over(pilot, str(blocker / "view.csv"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: f"{blocker} is not a folder." in screen.error_text, what="write error")
        assert app.screen is screen and app.is_running
        await type_over(pilot, "view.md")  # fixed: now it writes
        await pilot.press("enter")
        await wait_for(pilot, lambda: (tmp_path / "view.md").exists() and app.screen is not screen)
