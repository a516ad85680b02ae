"""The dashboard opens a folder holding a Parquet file that crashes its reader: the corpus
opens, a notification names the file, the status bar and the overview say it was skipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.faults.parquet_damage import valid_parquet, with_first_page_header, write
from tests.tui.corpus import settle, wait_for
from tui.app import create_app
from tui.screens.overview import OverviewScreen

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
GOOD_TITLE = "Lighthouse keepers return to the north cape"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "page.txt").write_text(f"{GOOD_TITLE}\n\nThe keepers came back on Monday.\n", encoding="utf-8")
    # A data page that says it holds 2^31-1 values: the native reader panics on it.
    damaged = with_first_page_header(valid_parquet(), lambda header: header[5][1].__setitem__(1, (5, 2**31 - 1)))
    write(folder / "broken[bold].parquet", damaged)  # a name that would be markup
    return folder


async def test_a_crashing_parquet_file_is_skipped_and_the_dashboard_says_so(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    app = create_app([folder], index=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.loaded, timeout=30, what="corpus loaded")
        await settle(pilot)
        assert app.article_list.row_count == 1
        assert app.article_list.frame.get_column("title").to_list() == [GOOD_TITLE]
        broken = str(folder / "broken[bold].parquet")
        notices = [n for n in app._notifications if "Skipped" in n.title]
        assert len(notices) == 1 and broken in notices[0].message, [n.message for n in app._notifications]
        assert notices[0].title == "Skipped 1 file(s)"
        assert "1 file skipped: o for details" in app.status_bar.text
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.overview is not None, timeout=10)
        summary = str(app.screen.query_one("#overview-summary", Static).render())
        assert "skipped" in summary and broken in summary and "not a readable Parquet file" in summary


async def test_an_empty_list_says_files_were_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write(folder / "only.parquet", with_first_page_header(valid_parquet(), lambda h: h[5][1].__setitem__(1, (5, 2**31 - 1))))
    app = create_app([folder], index=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.loaded, timeout=30, what="corpus loaded")
        await settle(pilot)
        assert app.article_list.row_count == 0
        assert app.article_list.empty_message == "No articles. 1 file skipped: o for details."
        assert "1 file skipped: o for details" in app.status_bar.text
