"""Two dashboards on one corpus, running at once: each one's bookmarks and read marks survive
the other's saves, and an un-bookmark is not undone by the other dashboard quitting later.

Both apps run in this test (two Pilot sessions, interleaved); the keys are real key presses."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.state import StateStore
from tests.tui.corpus import load_with_keywords, ready, settle, write_corpus
from tui.app import NewsdeskApp, create_app

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


def open_app(root: Path, tmp_path: Path) -> NewsdeskApp:
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path)


async def test_bookmarks_from_two_dashboards_are_merged(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    a, b = open_app(root, tmp_path), open_app(root, tmp_path)
    async with a.run_test(size=SIZE) as pilot_a, b.run_test(size=SIZE) as pilot_b:
        await ready(pilot_a)
        await ready(pilot_b)
        ids = [a.article_list.article_id_at(row) for row in range(4)]
        await pilot_a.press("b", "j", "b")  # A: the first two
        await pilot_b.press("j", "j", "b")  # B: the third
        await pilot_b.press("enter")  # B reads the third
        assert a.state.bookmarks == {ids[0], ids[1]} and b.state.bookmarks == {ids[2]}
        await pilot_a.press("q")
        await settle(pilot_b)
        await pilot_b.press("q")  # B quits later, never having seen A's bookmarks
    stored = StateStore([root], lambda text: None).load()
    assert stored.bookmarks == {ids[0], ids[1], ids[2]}
    assert ids[2] in stored.read


async def test_an_unbookmark_survives_the_other_dashboards_later_quit(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    first = open_app(root, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("b", "j", "b")  # two bookmarks, saved on quit
        ids = [first.article_list.article_id_at(row) for row in range(4)]
        await pilot.press("q")
    a, b = open_app(root, tmp_path), open_app(root, tmp_path)
    async with a.run_test(size=SIZE) as pilot_a, b.run_test(size=SIZE) as pilot_b:
        await ready(pilot_a)
        await ready(pilot_b)
        assert a.state.bookmarks == b.state.bookmarks == {ids[0], ids[1]}
        await pilot_a.press("b")  # A removes the first bookmark
        assert a.state.bookmarks == {ids[1]}
        await pilot_a.press("q")
        await pilot_b.press("j", "j", "j", "b")  # B bookmarks the fourth, still showing the first starred
        await pilot_b.press("q")
    assert StateStore([root], lambda text: None).load().bookmarks == {ids[1], ids[3]}
