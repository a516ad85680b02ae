"""Find in the article and the filter's words in the reader, driven by real keys.

The corpus is real Wikinews text (Russian and English, tests/data/realtext). The expected counts
are computed here independently of the app (lower-cased `str.count` over the title and body).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.corpus import ready, settle, wait_for
from tests.tui.reader_corpus import reader_rows, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.widgets.reader import Reader
from tui.widgets.reader_find import ReaderFind


SIZE = (120, 40)
KEY_NAMES = {" ": "space", '"': "quotation_mark", ":": "colon", "-": "minus", ".": "full_stop", ",": "comma"}


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*[KEY_NAMES.get(char, char) for char in text])


def make_app(tmp_path: Path) -> NewsdeskApp:
    return create_app([write_corpus(tmp_path, reader_rows())], index=False, export_dir=tmp_path)


async def open_article(pilot: Pilot, app: NewsdeskApp, title: str) -> None:
    """Go to the list, put its cursor on the article titled `title` (moving with `j`) and enter the reader."""
    for _ in range(4):  # back to the list from wherever focus is (the reader: one shift+tab)
        if app.focused is app.article_list:
            break
        await pilot.press("shift+tab")
    titles = app.article_list.frame.get_column("title").to_list()
    await pilot.press("home", *["j"] * titles.index(title), "enter")
    await wait_for(pilot, lambda: isinstance(app.focused, Reader) and title in app.reader.plain_text, what=title)


def spans_with(app: NewsdeskApp, component: str) -> list[str]:
    """The pieces of the reader's text styled with `component`'s style, in order."""
    text = app.reader.render_article()
    style = app.reader.get_component_rich_style(component)
    return [text.plain[span.start : span.end] for span in sorted(text.spans, key=lambda s: s.start) if span.style == style]


def painted(app: NewsdeskApp, component: str) -> list[str]:
    """The text of the segments painted in view with `component`'s background."""
    reader = app.reader
    background = reader.get_component_rich_style(component).bgcolor
    return [
        segment.text
        for y in range(reader.scrollable_content_region.height)
        for segment in reader.render_line(y)
        if segment.style is not None and segment.style.bgcolor == background
    ]


def visible_text(app: NewsdeskApp) -> str:
    top = round(app.reader.scroll_y)
    return "\n".join(app.reader.lines[top : top + app.reader.scrollable_content_region.height])


def expected_count(row: dict[str, str], needle: str) -> int:
    return row["title"].lower().count(needle.lower()) + row["body"].lower().count(needle.lower())


@pytest.mark.asyncio
async def test_ctrl_f_finds_case_insensitively_in_russian_text_and_n_steps_with_wrap(tmp_path: Path) -> None:
    row = reader_rows()[0]  # «Семья Обамы приобрела дом…»: Обама in the title and the body
    total = expected_count(row, "обам")
    assert total >= 5
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, row["title"])
        await pilot.press("ctrl+f")
        bar = app.query_one(ReaderFind)
        assert bar.display and app.focused is bar.input
        await type_text(pilot, "ОБАМ")  # upper case: matches Обама, обамы
        await pilot.pause()
        assert app.reader.find_count == f"1 of {total}"
        assert str(app.query_one("#reader-find-count").render()) == f"1 of {total}"
        found = spans_with(app, "reader--find") + spans_with(app, "reader--find-current")
        assert len(found) == total and {piece.lower() for piece in found} == {"обам"}
        assert spans_with(app, "reader--find-current") == ["Обам"]  # the title's, first
        assert painted(app, "reader--find-current") == ["Обам"], "the current match is painted"
        in_view = visible_text(app).lower().count("обам")
        assert 1 < in_view and [piece.lower() for piece in painted(app, "reader--find")] == ["обам"] * (in_view - 1)
        await pilot.press("enter")
        assert isinstance(app.focused, Reader)
        assert app.reader.find_count == f"1 of {total}", "enter keeps the find"
        article = app.reader.article_id
        await pilot.press("n", "n")
        assert app.reader.find_count == f"3 of {total}"
        in_view = visible_text(app).lower().count("обам")
        assert len(painted(app, "reader--find")) + len(painted(app, "reader--find-current")) == in_view
        assert app.reader.article_id == article, "n steps through matches, not to the next article"
        await pilot.press("N", "N", "N")
        assert app.reader.find_count == f"{total} of {total}", "N wraps from the first to the last"
        await pilot.press("n")
        assert app.reader.find_count == f"1 of {total}", "n wraps from the last to the first"
        await pilot.press("escape")
        assert app.reader.find_count == "" and spans_with(app, "reader--find") == []
        assert not bar.display
        await pilot.press("n")  # no find: n is the app's next article again
        await wait_for(pilot, lambda: app.reader.article_id != article, what="n moves to the next article")


@pytest.mark.asyncio
async def test_a_match_far_down_is_scrolled_into_view(tmp_path: Path) -> None:
    rows = reader_rows()
    row = rows[3]  # a long English interview
    last_paragraph = row["body"].split("\n\n")[-1]
    needle = " ".join(last_paragraph.split()[:4])
    assert expected_count(row, needle) == 1
    async with make_app(tmp_path).run_test(size=(100, 30)) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, row["title"])
        assert app.reader.scroll_y == 0 and app.reader.max_scroll_y > 20
        await pilot.press("ctrl+f")
        await type_text(pilot, needle)
        await pilot.pause()
        assert app.reader.find_count == "1 of 1"
        top = round(app.reader.scroll_y)
        shown = "\n".join(app.reader.lines[top : top + app.reader.scrollable_content_region.height])
        assert needle.split()[0] in shown and top > 0


@pytest.mark.asyncio
async def test_no_matches_and_regex_characters_are_literal(tmp_path: Path) -> None:
    row = reader_rows()[0]
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await open_article(pilot, app, row["title"])
        await pilot.press("ctrl+f")
        await type_text(pilot, "8.1")  # the article says "8,1": a regex `.` would match the comma
        await pilot.pause()
        assert app.reader.find_count == "no matches"
        assert str(app.query_one("#reader-find-count").render()) == "no matches"
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "8,1")
        await pilot.pause()
        assert app.reader.find_count == f"1 of {expected_count(row, '8,1')}"
        await pilot.press("escape")  # escape in the field clears the find and returns to the reader
        assert app.reader.find_count == "" and isinstance(app.focused, Reader)


@pytest.mark.asyncio
async def test_the_filters_words_are_highlighted_apart_from_find_matches(tmp_path: Path) -> None:
    row = reader_rows()[0]
    async with make_app(tmp_path).run_test(size=SIZE) as pilot:
        app = await ready(pilot)
        await pilot.press("slash")
        await type_text(pilot, 'вашингтон "белого дома" -рабство section:россия')
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.article_list.row_count == 1, what="the filter")
        await settle(pilot)
        await open_article(pilot, app, row["title"])
        highlighted = spans_with(app, "reader--filter")
        # word-start matching: Вашингтоне (the title), Вашингтоне (the body); the phrase whole
        assert [piece.lower() for piece in highlighted].count("вашингтон") == expected_count(row, "вашингтон")
        assert "Белого дома" in highlighted
        assert not [piece for piece in highlighted if "росси" in piece.lower()], "field terms are not highlighted"
        await pilot.press("ctrl+f")
        await type_text(pilot, "дом")
        await pilot.pause()
        find_style = app.reader.get_component_rich_style("reader--find")
        assert find_style != app.reader.get_component_rich_style("reader--filter")
        assert spans_with(app, "reader--find"), "find matches have a style of their own"


def test_find_keys_are_in_help_and_the_keymap() -> None:
    from tui.keymap import declared
    from tui.screens.help import binding_groups

    ids = set(declared())
    assert {"reader.find", "reader.find_next", "reader.find_previous", "reader.find_clear", "find.done", "find.clear", "reader.open_link"} <= ids
    groups = dict(binding_groups(NewsdeskApp.BINDINGS))
    keys = {binding.key for binding in groups["Reader"]}  # type: ignore[union-attr]
    assert {"ctrl+f", "n", "N", "O"} <= keys
    assert {binding.key for binding in groups["Find in the article"]} == {"enter", "escape"}  # type: ignore[union-attr]
