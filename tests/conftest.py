"""Shared fixtures: every test gets its own cache and state directories (no user files touched)."""

from __future__ import annotations

from pathlib import Path

import pytest


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
