"""The first screen (Pilot, real files): a session stores the list's first rows beside the
snapshot; the next open paints them before the corpus loads, and the loaded rows replace
them. Before Polars is imported, in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.message import Message

from core import prefetch
from core.first_screen import first_screen_path, read_first_screen
from tests.tui.corpus import ready, screen_text, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.widgets.article_list import ArticleList

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)
ROOT = Path(__file__).resolve().parents[2]


def _ids(app: NewsdeskApp) -> list[str | None]:
    return [app.article_list.article_id_at(row) for row in range(app.article_list.row_count)]


async def _first_session(root: Path) -> tuple[list[str], str, str]:
    """Open `root`, sort by title, read one article and bookmark another, quit; returns the
    list's ids and the ids read and bookmarked."""
    app = create_app([root], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.set_sort("title")
        await wait_for(pilot, lambda: app.status_bar.status.sort == "title" and app.next_first_screen is not None and app.next_first_screen.sort == "title", what="sorted by title")
        ids = [str(identifier) for identifier in _ids(app)]
        app.article_list.cursor = 1
        await pilot.press("b")
        app.mark_read(ids[2])
        await pilot.pause()
    app.end_session()
    return ids, ids[2], ids[1]


async def test_a_session_stores_its_first_screen_and_the_next_open_paints_it_before_the_corpus(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    ids, read, bookmarked = await _first_session(root)

    screen = read_first_screen([root])
    assert screen is not None
    assert [row[0] for row in screen.rows] == ids
    assert (screen.read, screen.bookmarked, screen.sort, screen.shown) == ({read}, {bookmarked}, "title", len(ids))

    painted: list[tuple[bool, list[str | None], str, bool]] = []
    messages: list[Message] = []
    app = create_app([root], index=False, first_screen=screen)

    def note(message: Message) -> None:
        # Called at every pump the message reaches as it bubbles: noted once.
        if isinstance(message, ArticleList.RowsPainted) and not any(message is seen for seen in messages):
            messages.append(message)
            painted.append((message.preview, _ids(app), screen_text(app), app.loaded))

    async with app.run_test(size=SIZE, message_hook=note) as pilot:
        await ready(pilot)
        await wait_for(pilot, lambda: len(painted) == 2, what="the loaded rows painted")
        (preview, preview_ids, preview_text, loaded_then), (preview_again, loaded_ids, _, _) = painted
        assert preview and not preview_again
        assert not loaded_then  # the first screen was painted before the corpus was read
        assert preview_ids == ids == loaded_ids
        assert "Arctic shipping lanes open earlier" in preview_text
        assert "Date" in preview_text and "2021-12-05" in preview_text  # the date column from the first paint
        assert f"{len(ids)} of {len(ids)}" in preview_text and "sort: title" in preview_text
        assert app.article_list.read_ids == {read} and app.article_list.bookmarked_ids == {bookmarked}
        assert not app.article_list.previewing


async def test_the_first_screen_is_stored_while_the_user_reads_not_only_on_quit(tmp_path: Path) -> None:
    """A session that never quits cleanly (a dropped SSH link) leaves a first screen too."""
    root = write_corpus(tmp_path)
    app = create_app([root], index=False)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        article = str(app.article_list.article_id_at(0))
        app.mark_read(article)
        await wait_for(pilot, lambda: (screen := read_first_screen([root])) is not None and article in screen.read, what="the state's save")


async def test_keys_on_an_article_wait_for_the_corpus_behind_a_first_screen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_corpus(tmp_path)
    await _first_session(root)
    screen = read_first_screen([root])
    assert screen is not None
    release = threading.Event()
    read = prefetch.SnapshotPrefetch._read

    def held_read(self: prefetch.SnapshotPrefetch) -> None:
        assert release.wait(10), "the read was never released"
        read(self)

    monkeypatch.setattr(prefetch.SnapshotPrefetch, "_read", held_read)
    app = create_app([root], index=False, first_screen=screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert app.article_list.previewing
        bookmarks_before = set(app.article_list.bookmarked_ids)
        await pilot.press("j", "j", "b", "enter", "s")
        assert app.article_list.cursor == 2  # the cursor moves over the stored rows
        assert app.article_list.bookmarked_ids == bookmarks_before
        assert app.focused is app.article_list and app.sort == "title"
        assert any("Still opening the corpus" in notice.message for notice in app._notifications)
        release.set()
        await ready(pilot)
        assert not app.article_list.previewing
        assert app.article_list.cursor == 2  # the loaded rows keep the cursor's article
        assert app.article_list.article_id_at(2) == screen.rows[2][0]


async def test_the_first_screen_is_painted_before_polars_is_imported(tmp_path: Path) -> None:
    root = write_corpus(tmp_path)
    await _first_session(root)
    stored = read_first_screen([root])
    assert stored is not None and first_screen_path([root]).exists()
    # In a fresh interpreter: this one imported Polars long ago.
    script = f"""
import asyncio, json, sys
from pathlib import Path
from tui.cli import head_start
from tui.app import create_app
from tui.widgets.article_list import ArticleList

first_screen, prefetched = head_start([Path({str(root)!r})])
app = create_app([Path({str(root)!r})], index=False, first_screen=first_screen, prefetched=prefetched)
seen, messages = [], []

def note(message):
    if isinstance(message, ArticleList.RowsPainted) and not any(message is m for m in messages):
        messages.append(message)
        seen.append([message.preview, app.article_list.row_count, "polars" in sys.modules])

async def main():
    async with app.run_test(size=(120, 40), message_hook=note) as pilot:
        while len(seen) < 2:
            await pilot.pause(0.02)

asyncio.run(main())
print(json.dumps({{"first_screen": first_screen is not None, "prefetched": prefetched is not None, "painted": seen}}))
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["first_screen"] and not result["prefetched"]
    assert result["painted"] == [[True, stored.shown, False], [False, stored.shown, True]]
