"""The config reaches the app: a `[keys]` override really rebinds quit, and a theme is applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import load_config
from tests.tui.corpus import load_with_keywords, ready, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app

pytestmark = pytest.mark.asyncio

SIZE = (120, 40)


def app_with_config(tmp_path: Path, text: str) -> NewsdeskApp:
    config_file = tmp_path / "config.toml"
    config_file.write_text(text, encoding="utf-8")
    root = write_corpus(tmp_path)
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path, config=load_config(config_file))


async def test_keymap_override_rebinds_quit_and_theme_applies(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, 'theme = "nord"\n[keys]\nquit = "x"\n')
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.theme == "nord"
        await pilot.press("q")  # no longer quits
        await pilot.pause(0.2)
        assert app.is_running and app.return_code is None
        await pilot.press("x")
        await wait_for(pilot, lambda: not app.is_running, what="x quits")
    assert app.return_code == 0


async def test_without_config_q_quits(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, "")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="q quits")


async def test_unknown_theme_and_binding_id_are_notified_not_fatal(tmp_path: Path) -> None:
    app = app_with_config(tmp_path, 'theme = "no-such-theme"\ntop = "x"\n[keys]\nno_such = "z"\n')
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        messages = [notification.message for notification in app._notifications]
        assert any("unknown theme 'no-such-theme'" in m for m in messages), messages
        assert any("keys.app.no_such: no binding has this id" in m for m in messages), messages
        assert any("top must be a whole number" in m for m in messages), messages
        assert all(str(tmp_path / "config.toml") in m for m in messages)
        assert app.theme == "textual-dark"
        await pilot.press("q")
        await wait_for(pilot, lambda: not app.is_running, what="q still quits")
