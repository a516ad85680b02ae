"""The footer keeps `? Help` and `q Quit` in view at 80 and 100 columns, whichever pane has
focus and however many keys are declared: they are pinned to its right end with the palette."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.binding import Binding, BindingType
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tests.tui.corpus import load_with_keywords, make_app, ready, screen_text, write_corpus
import tui.app
from tui.app import NewsdeskApp

pytestmark = pytest.mark.asyncio

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((100, 30), id="100x30")]


class MoreKeysApp(NewsdeskApp):
    """The app with six more keys in the footer, declared after help and quit."""

    CSS_PATH = str(Path(tui.app.__file__).with_name("app.tcss"))  # else relative to this file

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, "bell", description)
        for key, description in (
            ("u", "Read/unread"),
            ("S", "Reverse sort"),
            ("O", "Open link"),
            ("ctrl+f", "Find"),
            ("plus", "Save filter"),
            ("F", "Saved filters"),
        )
    ]


def footer_line(app: NewsdeskApp) -> str:
    """The footer as it is drawn: the screen's last line."""
    footer = app.screen.query_one(Footer)
    assert footer.region.y == app.size.height - 1
    return screen_text(app).splitlines()[-1]


async def check_every_pane(pilot, app: NewsdeskApp) -> None:
    for pane in range(3):  # the list, the reader, the keyword panel
        await pilot.pause(0.1)
        line = footer_line(app)
        assert "? Help" in line and "q Quit" in line and "^p" in line, (pane, line)
        assert len(line) <= app.size.width
        footer = app.screen.query_one(Footer)
        pinned = footer.query_one("#pinned-keys")
        shown = [key for key in footer.query_children(FooterKey) if key.display]
        assert shown, line
        assert all(key.region.right <= pinned.region.x for key in shown), line  # whole keys, none cut
        for key in shown:
            assert f"{key.key_display} {key.description}" in line
        await pilot.press("tab")


@pytest.mark.parametrize("size", SIZES)
async def test_help_and_quit_stay_in_the_footer(tmp_path: Path, size: tuple[int, int]) -> None:
    async with make_app(tmp_path).run_test(size=size) as pilot:
        app = await ready(pilot)
        await check_every_pane(pilot, app)


@pytest.mark.parametrize("size", SIZES)
async def test_more_keys_push_other_keys_out_not_help_and_quit(tmp_path: Path, size: tuple[int, int]) -> None:
    root = write_corpus(tmp_path)
    app = MoreKeysApp([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await check_every_pane(pilot, app)
