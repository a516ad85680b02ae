"""Shared fixtures: every test gets its own cache and state directories (no user files
touched); `held_snapshot_saves` holds snapshot writes until a test lets them go."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core.snapshot import SnapshotStore


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point NEWSDESK_CACHE_DIR / NEWSDESK_STATE_DIR / NEWSDESK_CONFIG_DIR at a fresh directory."""
    root = tmp_path_factory.mktemp("newsdesk-home")
    for variable, name in (
        ("NEWSDESK_CACHE_DIR", "cache"),
        ("NEWSDESK_STATE_DIR", "state"),
        ("NEWSDESK_CONFIG_DIR", "config"),
    ):
        monkeypatch.setenv(variable, str(root / name))
    return root


@pytest.fixture()
def held_snapshot_saves(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(writing, release): every articles-file save from now on sets `writing`, then waits
    for `release` before it writes."""
    writing, release = threading.Event(), threading.Event()
    save = SnapshotStore.save

    def held(self: SnapshotStore, *args: object) -> bool:
        writing.set()
        assert release.wait(10), "the save was never released"
        return save(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(SnapshotStore, "save", held)
    return writing, release
