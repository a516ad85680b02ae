"""Markup and escapes in every piece of data, through every screen of the real app.

The corpus on disk carries markup (`[/]`, `[link=...]`, `[@click=app.quit]`, `[bold red]`)
and escape sequences in every field (title, body, section, source, author_bio, caption,
subheadings, url), in a folder name and file names, and in the column names and JSON keys of
files that are skipped (so they reach the Skipped notification). Keywords come from the real
YAKE. The test types into the command palette (our provider and Textual's system commands),
runs a data command from it, and opens help, KWIC, trends, overview and the export prompt.
After each step: the app still runs, the literal text is on screen where it is shown, no
escape character is on screen, and no rendered cell carries a link or a click action.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from core.links import url_problem
from tests.tui.corpus import screen_text, settle, wait_for
from tui.app import NewsdeskApp, create_app
from tui.screens.export import ExportScreen
from tui.screens.help import HelpScreen
from tui.screens.kwic import KwicScreen
from tui.screens.overview import OverviewScreen
from tui.screens.trends import TrendsScreen

pytestmark = pytest.mark.asyncio

SIZE = (140, 45)
CLOSE = "[/]"
LINK = "[link=https://x]x[/link]"
CLICK = "[@click=app.quit]click[/]"
BOLD = "[bold red]"
MARKUPS = (CLOSE, LINK, CLICK, BOLD)
TITLE_OSC = "\x1b]0;PWNED-TITLE\x07"
CLIPBOARD_OSC = "\x1b]52;c;UFdORUQ=\x1b\\"
HOSTILE = f"{CLOSE} {LINK} {CLICK} {BOLD}{TITLE_OSC}{CLIPBOARD_OSC}"

# Real reporting, with markup and escapes worked into each field.
STORIES = [
    (
        "Pipeline talks resume in Ankara",
        "Officials from both countries met in Ankara to discuss the pipeline that would carry natural gas south. "
        "The pipeline talks stalled last year over transit fees, and negotiators said natural gas prices had made a deal urgent.",
    ),
    (
        "Storage levels ease winter gas fears",
        "Europe filled its gas storage faster than expected this autumn. Traders said storage levels above ninety "
        "percent would cushion prices if the winter is cold, though natural gas demand usually peaks in January.",
    ),
    (
        "Arctic shipping lanes open earlier each year",
        "Melting sea ice opens the northern shipping route for longer each summer. Shipping firms plan more voyages "
        "along the route, and port cities in the north expect the traffic to double within a decade.",
    ),
    (
        "Women in leadership remain a minority",
        "A report on leadership found that women hold a third of senior posts in the public service. Leadership "
        "programmes help, the report says, but progress is slow and uneven across the regions it surveyed.",
    ),
]


# A listing page (the scraped template): the fields only pages have, caption, subheadings
# and author bio, with markup and escapes in each.
PAGE = f"""Connect with us

Energy {CLOSE}{TITLE_OSC}

Gas storage {CLOSE} {LINK} {CLICK} {BOLD} fills early{TITLE_OSC}

Published

on

Tankers at dawn {CLICK}{TITLE_OSC}

Europe filled its gas storage faster than expected this autumn, and traders said the cushion would hold prices down if the winter is cold. {HOSTILE}

Demand {LINK} peaks{TITLE_OSC}

Natural gas demand usually peaks in January, when heating needs are highest across the continent. Storage operators said injections would slow.

First published in our partner {BOLD} Wire{CLIPBOARD_OSC}

Jane Doe {HOSTILE} is an energy analyst who writes about gas markets and storage.

Continue Reading
"""
PAGE_FIELDS = (f"Energy {CLOSE}", f"Tankers at dawn {CLICK}", f"Demand {LINK} peaks", f"{BOLD} Wire", f"Jane Doe {CLOSE} {LINK} {CLICK} {BOLD} is")
ROWS = len(STORIES) + 1


def write_hostile_app_corpus(tmp_path: Path) -> Path:
    """The corpus folder: articles whose every field is hostile, and files that are skipped
    for hostile names, keys and column names."""
    root = tmp_path / "corpus"
    # A name cannot hold "/": the markup in names is the kind without one.
    folder = root / f"[@click=app.quit]dir{TITLE_OSC}"
    folder.mkdir(parents=True)
    with open(folder / f"{BOLD}rows{TITLE_OSC}.jsonl", "w", encoding="utf-8") as out:
        for number, ((title, body), markup) in enumerate(zip(STORIES, MARKUPS)):
            out.write(
                json.dumps(
                    {
                        "title": f"{title} {HOSTILE}",
                        "body": f"{body} {HOSTILE}\n\n{markup} A closing paragraph of the story follows here.",
                        "section": markup,
                        "source": f"{markup} wire",
                        "url": f"https://example.org/{number}?{LINK}{TITLE_OSC}",
                        "date": f"2021-11-0{number + 1}",
                    }
                )
                + "\n"
            )
    (folder / f"{CLICK.replace('/', '')} page{TITLE_OSC}.txt").write_text(PAGE, encoding="utf-8")
    (root / "keys.jsonl").write_text(json.dumps({CLOSE: "a", CLICK: "b", CLIPBOARD_OSC: "c"}) + "\n", encoding="utf-8")
    (root / "headers.csv").write_text(f"{LINK},{TITLE_OSC},{BOLD}\n1,2,3\n", encoding="utf-8")
    (root / f"{BOLD}bin[link=https:x]{TITLE_OSC}.bin").write_bytes(os.urandom(512) + b"\0" * 64)
    return root


def assert_safe(app: NewsdeskApp, where: str) -> str:
    """The app runs; nothing on screen is an escape, a click action or a link but the reader's
    to the article's URL (cleaned at ingest, an http(s) URL). Returns the screen's text."""
    assert app.is_running and app.return_code is None, f"the app stopped at {where}"
    text = screen_text(app)
    # (A file name's escapes are spelled out, `\\x1b]0;...`: text, which may wrap anywhere.)
    assert "\x1b" not in text and "\x07" not in text, f"an escape on screen at {where}"
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            style = segment.style
            if style is None:
                continue
            if style.link:  # only the reader's link to the article's own http(s) URL, as stored
                urls = set(app.view.corpus.articles["url"].drop_nulls().to_list())
                assert style.link in urls and url_problem(style.link) is None, f"a link from data at {where}: {segment!r}"
            assert not (style.meta and "@click" in style.meta), f"a click action from data at {where}: {segment!r}"
    return text


def palette_lines(app: NewsdeskApp) -> list[str]:
    """The palette's hits as shown: the command's name, then its help on a second line."""
    commands = app.screen.query_one(CommandList)
    return [commands.get_option_at_index(index).prompt.plain for index in range(commands.option_count)]  # type: ignore[union-attr]


async def palette_search(pilot: Pilot, query: str, expected: str) -> list[str]:
    """Open the palette, type `query` with real keys, wait until `expected` is listed."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    await pilot.press(*query)
    await wait_for(pilot, lambda: any(line.startswith(expected) for line in palette_lines(app)), timeout=10, what=f"{expected!r} in the palette")
    return palette_lines(app)


async def close_palette(pilot: Pilot) -> None:
    await pilot.press("escape")
    if isinstance(pilot.app.screen, CommandPalette):
        await pilot.press("escape")
    await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette), what="the palette closed")


async def test_markup_and_escapes_from_data_are_text_on_every_screen(tmp_path: Path) -> None:
    root = write_hostile_app_corpus(tmp_path)
    app = create_app([root], export_dir=tmp_path)  # keywords from the real YAKE
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.loaded and app.article_list.row_count == ROWS, timeout=30, what="rows")
        await wait_for(pilot, lambda: "indexed" in app.status_bar.text, timeout=60, what="keywords indexed")
        await settle(pilot)

        # The Skipped notification quotes the file names and their column names and keys.
        notes = [(note.title, note.message) for note in app._notifications]
        skipped = next(message for title, message in notes if title.startswith("Skipped 3"))
        assert f"{BOLD}bin[link=https:x]\\x1b]0;PWNED-TITLE\\x07.bin" in skipped
        assert f"columns: {LINK}, , {BOLD}" in skipped
        assert f"columns: {CLOSE}, {CLICK}, " in skipped
        assert all("\x1b" not in title + message for title, message in notes)
        await wait_for(pilot, lambda: "Skipped 3 file(s)" in screen_text(app), what="the Skipped notification on screen")
        text = assert_safe(app, "the first screen")
        toasts = [toast.render().plain for toast in app.screen.query(Toast)]
        assert any(f"columns: {CLOSE}, {CLICK}" in toast and f"columns: {LINK}" in toast for toast in toasts), toasts

        # Every field in the reader, literally.
        shown = []
        for row in range(ROWS):
            app.article_list.cursor = row
            await pilot.pause()
            shown.append(app.reader.plain_text)
            assert f"{CLOSE} {LINK} {CLICK} {BOLD}" in shown[-1]
            assert_safe(app, f"the reader on row {row}")
        everything = "\n".join(shown)
        for field in (*PAGE_FIELDS, *(f"{markup} wire" for markup in MARKUPS)):
            assert field in everything, field

        # Our provider, by each kind of data command; Textual's system commands.
        lines = await palette_search(pilot, "fi", f"Filter by section: {CLOSE}")
        assert f'Filter by section: {CLICK}\nsection:"{CLICK}"' in lines
        assert f'Filter by source: {LINK} wire\nsource:"{LINK} wire"' in lines
        assert f'Filter by section: {CLOSE}\nsection:"{CLOSE}"' in lines
        assert_safe(app, "the palette, 'fi'")
        await close_palette(pilot)
        for query, expected in (("link", f"Filter by source: {LINK} wire"), ("bold", f"Filter by section: {BOLD}"), ("quit", "Quit")):
            await palette_search(pilot, query, expected)
            assert_safe(app, f"the palette, {query!r}")
            await close_palette(pilot)
        # Run a data command: the click markup is a section name, filtered on, not an action.
        await palette_search(pilot, "click", f"Filter by section: {CLICK}")
        commands = app.screen.query_one(CommandList)
        await wait_for(pilot, lambda: commands.highlighted is not None or commands.option_count > 0, what="a hit")
        while palette_lines(app)[commands.highlighted or 0].split("\n")[0] != f"Filter by section: {CLICK}":
            await pilot.press("down")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="the section filter")
        assert app.applied_filter == f'section:"{CLICK}"'
        assert f'filter: section:"{CLICK}"' in assert_safe(app, "the filtered view")
        await pilot.press("slash", "ctrl+u", "enter")
        await wait_for(pilot, lambda: app.article_list.row_count == ROWS, what="the filter cleared")

        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert "Command palette" in assert_safe(app, "help")
        await pilot.press("escape")

        # The keyword screens, from the real keywords in the panel.
        await pilot.press("tab", "tab")
        await wait_for(pilot, lambda: app.keyword_panel.current_keyword is not None, what="a keyword")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, KwicScreen), what="KWIC")
        assert f"KWIC: {app.keyword_panel.current_keyword}" in assert_safe(app, "KWIC")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, KwicScreen), what="KWIC closed")
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TrendsScreen) and app.screen.stats_shown, what="trends")
        text = assert_safe(app, "trends")
        assert f"Energy {CLOSE} " in text and "[@click=app.quit]…" in text  # section names, cut to the chart's labels
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TrendsScreen), what="trends closed")
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OverviewScreen) and app.screen.stats_shown, what="overview")
        text = assert_safe(app, "overview")
        assert BOLD in text and f"{LINK} wire"[:18] in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, OverviewScreen), what="overview closed")

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export prompt")
        assert "File name" in assert_safe(app, "the export prompt")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen), what="the export prompt closed")
        assert_safe(app, "the end")


@pytest.mark.parametrize("undecodable", [False, True], ids=["escapes", "escapes-and-a-non-utf8-byte"])
async def test_the_export_prompt_spells_out_a_hostile_directory(tmp_path: Path, undecodable: bool) -> None:
    root = write_hostile_app_corpus(tmp_path)
    name = f"out [@click=app.quit]x{TITLE_OSC}".encode() + (b"\xff" if undecodable else b"")
    exports = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + name))
    exports.mkdir()
    spelled = f"{tmp_path}/out [@click=app.quit]x\\x1b]0;PWNED-TITLE\\x07" + ("\\xff" if undecodable else "")
    app = create_app([root], index=False, export_dir=exports)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_for(pilot, lambda: app.loaded and app.article_list.row_count == ROWS, timeout=30, what="rows")
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export prompt")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert_safe(app, "the export prompt")
        assert f"in {spelled} " in str(screen.query_one("#export-help", Static).content)
        # The input holds the file name alone: its directory is the real one, not the spelling.
        assert screen.query_one("#export-path", Input).value.startswith("newsdesk-export-")
        await pilot.press("enter")
        if undecodable:  # not a name Polars can write to: a plain message, the app goes on
            await wait_for(pilot, lambda: screen.error_text.startswith(f"Cannot write {spelled}/newsdesk-export-"), what="the error")
            assert screen.error_text.endswith(": the name is not UTF-8 text; choose another.")
            assert_safe(app, "the export error")
            return
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen), what="written")
        written = list(exports.glob("newsdesk-export-*.csv"))
        assert len(written) == 1 and written[0].stat().st_size > 0
        await wait_for(pilot, lambda: any(f"Exported {ROWS} rows to {spelled}/" in n.message for n in app._notifications), what="the notice")
        assert_safe(app, "the export notification")
