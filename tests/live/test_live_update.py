"""Batches of changed files merged into an open corpus (core.live_update, CorpusView.apply_delta)
give the rows a whole load of the folder gives: real files, the real load."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from core.ingest import load_corpus
from core.live_update import LiveCorpus
from core.snapshot import wait_for_saves
from core.view import CorpusView
from core.watch import FileChanges
from tests.live.pages import write_page

SECTIONLESS = ["grain deal extended", "Zinc prices slide", "arctic ice melts early", "Ports reopen after the storm"]


def _open(folder: Path) -> tuple[CorpusView, LiveCorpus]:
    corpus = load_corpus([folder])
    wait_for_saves()
    view = CorpusView(corpus)
    view.prepare_search()
    return view, LiveCorpus.of([folder], corpus.articles, print)


def _merge(view: CorpusView, live: LiveCorpus, changed: list[Path] = [], deleted: list[Path] = []) -> None:  # noqa: B006
    delta = live.read(FileChanges(frozenset(map(str, changed)), frozenset(map(str, deleted))), view.corpus.articles.get_column("id"))
    view.apply_delta(delta)


def _rows(frame: pl.DataFrame) -> list[tuple[str, int, str]]:
    return sorted(zip(frame.get_column("title"), frame.get_column("copies"), frame.get_column("path"), strict=True))


def test_each_batch_gives_the_rows_a_whole_load_gives(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "a.jsonl", "Grain deal extended", "Shared teaser")
    write_page(folder / "b.jsonl", "Rail strike ends", "Shared teaser")
    view, live = _open(folder)
    view.compute("", "title")  # the title order is precomputed: merged rows must be placed in it
    view.compute("", "section")

    write_page(folder / "c.jsonl", "Arctic ice melts early", "Shared teaser", "Grain deal extended")
    _merge(view, live, changed=[folder / "c.jsonl"])
    write_page(folder / "b.jsonl", "Rail strike ends", "Zinc prices slide")
    _merge(view, live, changed=[folder / "b.jsonl"])
    (folder / "a.jsonl").unlink()
    _merge(view, live, deleted=[folder / "a.jsonl"])

    whole = load_corpus([folder], use_snapshot=False).articles
    assert _rows(view.articles) == _rows(whole)
    shared = view.articles.filter(pl.col("title") == "Shared teaser").row(0, named=True)
    assert shared["copies"] == 1 and shared["path"].endswith("c.jsonl")  # its first page left
    for sort in ("title", "section"):
        fresh = CorpusView(load_corpus([folder], use_snapshot=False))
        expected = fresh.compute("", sort).get_column("title").to_list()
        assert view.compute("", sort).get_column("title").to_list() == expected  # type: ignore[union-attr]
    assert view.compute("zinc", "title").get_column("title").to_list() == ["Zinc prices slide"]  # type: ignore[union-attr]


def test_a_replaced_folder_keeps_none_of_the_old_ones_rows(tmp_path: Path) -> None:
    """The watch's batch for a folder replaced by another: the folder deleted, its new files
    changed. The old folder's articles go; the new one's come; nothing else moves."""
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "a.jsonl", "Grain deal extended", "Shared teaser")
    view, live = _open(folder)
    replacement = tmp_path / "replacement"
    replacement.mkdir()
    write_page(replacement / "b.jsonl", "Rail strike ends", "Shared teaser")
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    replacement.rename(folder)
    _merge(view, live, changed=[folder / "b.jsonl"], deleted=[folder])

    assert _rows(view.articles) == _rows(load_corpus([folder], use_snapshot=False).articles)
    assert sorted(view.articles.get_column("title")) == ["Rail strike ends", "Shared teaser"]


def test_new_rows_take_their_place_in_the_title_order(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "a.jsonl", *SECTIONLESS)
    view, live = _open(folder)
    view.compute("", "title")
    for number, title in enumerate(["Aardvark found", "middle of the list", "zz last", "Grain deal extended twice"]):
        write_page(folder / f"new-{number}.jsonl", title)
        _merge(view, live, changed=[folder / f"new-{number}.jsonl"])
    titles = view.compute("", "title").get_column("title").to_list()  # type: ignore[union-attr]
    assert titles == sorted(titles, key=str.lower)
    assert len(titles) == len(SECTIONLESS) + 4


def test_a_link_out_of_the_folder_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    write_page(folder / "a.jsonl", "Grain deal extended")
    secret = tmp_path / "elsewhere.jsonl"
    write_page(secret, "Private notes")
    view, live = _open(folder)
    (folder / "link.jsonl").symlink_to(secret)
    delta = live.read(FileChanges(frozenset({str(folder / "link.jsonl")})), view.corpus.articles.get_column("id"))
    assert delta.added.is_empty()
    assert [skipped.reason for skipped in delta.skipped] == ["link to a file outside the given paths (use --follow-links)"]
    followed = LiveCorpus.of([folder], view.corpus.articles, print, follow_links=True)
    delta = followed.read(FileChanges(frozenset({str(folder / "link.jsonl")})), view.corpus.articles.get_column("id"))
    assert delta.added.get_column("title").to_list() == ["Private notes"]
