"""Saved filters: one file for every corpus, names cleaned, saves of two dashboards merged
(additions, replacements and deletions of each kept), an unusable file set aside."""

from __future__ import annotations

import json

from core.saved_filters import SavedFilterStore, clean_name, saved_filters_path


def test_names_are_one_clean_line() -> None:
    assert clean_name("  gas \x1b]0;owned\x07 prices\n") == "gas prices"
    assert clean_name("\x1b[31m") == ""
    assert clean_name(" \t ") == ""


def test_the_file_is_the_users_not_a_corpus(isolated_dirs) -> None:
    assert saved_filters_path() == isolated_dirs / "state" / "saved-filters.json"


def test_two_dashboards_saves_are_merged() -> None:
    seed = SavedFilterStore(print)
    assert seed.save({"gas": "natural gas", "old": "kw:old"}) is not None
    a, b = SavedFilterStore(print), SavedFilterStore(print)
    mine_a, mine_b = a.load(), b.load()
    mine_a["arctic"] = "shipping"
    del mine_a["old"]
    mine_b["gas"] = "kw:\"natural gas\""
    mine_b["lead"] = "leadership"
    assert a.save(mine_a) is not None
    stored = b.save(mine_b)  # B never saw A's changes: they stay, and so does its deletion
    assert stored == {"arctic": "shipping", "gas": "kw:\"natural gas\"", "lead": "leadership"}
    assert SavedFilterStore(print).load() == stored
    assert a.changed_on_disk() and not b.changed_on_disk()


def test_an_unusable_file_is_moved_aside() -> None:
    path = saved_filters_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "filters": ["not", "a", "mapping"]}), encoding="utf-8")
    warnings: list[str] = []
    assert SavedFilterStore(warnings.append).load() == {}
    assert len(warnings) == 1 and "moved aside" in warnings[0]
    assert list(path.parent.glob("saved-filters.json.corrupt-*"))


def test_names_from_a_hand_edited_file_are_cleaned() -> None:
    path = saved_filters_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "filters": {"red\x1b[31m alert": "kw:x", "\x07": "kw:y"}}), encoding="utf-8")
    assert SavedFilterStore(print).load() == {"red alert": "kw:x"}


def test_an_unwritable_folder_is_one_warning_and_nothing_raised(isolated_dirs) -> None:
    (isolated_dirs / "state").write_text("a file where the folder should be", encoding="utf-8")
    warnings: list[str] = []
    store = SavedFilterStore(warnings.append)
    assert store.load() == {}
    assert store.save({"gas": "natural"}) is None
    assert store.save({"gas": "natural", "lead": "leadership"}) is None
    assert len(warnings) == 1 and warnings[0].startswith("saved filters not saved: cannot write")
