"""A `[keys]` table does what it says: a key that cannot be bound, a key Textual reserves
(`ctrl+p`, `ctrl+q`, `ctrl+c`) and a key another binding already holds where both apply are
dropped with one warning line each (stderr for `newsdesk config`, one notification in the
dashboard), and only the keys in effect are printed and bound."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.command import CommandPalette

from core.config import load_config
from tests.tui.corpus import load_with_keywords, ready, settle, wait_for, write_corpus
from tui.app import NewsdeskApp, create_app
from tui.cli import main
from tui.screens.help import HelpScreen

SIZE = (120, 40)

PROBLEMS = '''[keys]
"list.up" = "k,up,ctrl+p"
"app.sort" = "ctrl+p"
"app.bookmark" = "ctrl-b"
"app.copy" = "y,\\u001b[31m"
"app.next" = "s"
"list.down" = "j,down,ctrl+n"
'''


def write_config(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def check_problem_lines(lines: list[str], prefix: str) -> None:
    assert len(lines) == 5, lines
    assert "keys.list.up: ctrl+p is reserved for the command palette; ignored" in lines[0]
    assert "keys.app.sort: ctrl+p is reserved for the command palette; ignored" in lines[1]
    assert "keys.app.bookmark: 'ctrl-b' is not a key that can be bound; ignored" in lines[2]
    assert "keys.app.copy: " in lines[3] and "is not a key that can be bound" in lines[3]
    assert "keys.app.next: s is already the key of app.sort; ignored (remap app.sort too to free it)" in lines[4]
    for line in lines:
        assert line.startswith(prefix) and "\x1b" not in line and line.isprintable(), line


@pytest.fixture
def config_home(isolated_dirs: Path) -> Path:
    return isolated_dirs / "config"


def test_config_prints_only_the_keys_in_effect_and_warns_once_per_problem(
    capsys: pytest.CaptureFixture[str], config_home: Path
) -> None:
    write_config(config_home, PROBLEMS)
    code, out, err = run(capsys, "config")
    assert code == 0
    check_problem_lines(err, "newsdesk: warning: ")
    assert tomllib.loads(out)["keys"] == {"list.up": "k,up", "app.copy": "y", "list.down": "j,down,ctrl+n"}


def test_config_bindings_lists_every_key_in_effect(capsys: pytest.CaptureFixture[str], config_home: Path) -> None:
    write_config(config_home, PROBLEMS)
    code, out, err = run(capsys, "config", "--bindings")
    assert code == 0
    check_problem_lines(err, "newsdesk: warning: ")
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines() if not line.startswith("(built in)")}
    assert rows["list.up"] == "k,up"
    assert rows["app.sort"] == "s"
    assert rows["app.next"] == "n"
    assert rows["app.bookmark"] == "b"
    assert rows["app.copy"] == "y"
    assert rows["list.down"] == "j,down,ctrl+n"
    built_in = {line.split()[2]: line for line in out.splitlines() if line.startswith("(built in)")}
    assert "Command palette" in built_in["ctrl+p"]
    assert {"ctrl+p", "ctrl+q", "ctrl+c"} <= set(built_in)


def test_keys_swapped_between_two_bindings_are_no_conflict(capsys: pytest.CaptureFixture[str], config_home: Path) -> None:
    write_config(config_home, '[keys]\n"app.next" = "s"\n"app.sort" = "n"\nquit = "ctrl+q"\n')
    code, out, err = run(capsys, "config")
    assert code == 0 and err == []
    assert tomllib.loads(out)["keys"] == {"app.next": "s", "app.sort": "n", "app.quit": "ctrl+q"}


def test_a_screen_or_pane_key_over_a_built_in_app_key_is_no_conflict_the_reverse_is(
    capsys: pytest.CaptureFixture[str], config_home: Path
) -> None:
    # The overview's own q closes it (over the app's quit) by design; an app key that a pane
    # holds would never fire in that pane.
    write_config(config_home, '[keys]\n"overview.close" = "escape,q,o"\n"app.sort" = "j"\n"app.kwic" = "x"\n"list.first" = "g,x"\n')
    code, out, err = run(capsys, "config")
    assert code == 0
    assert len(err) == 2, err
    assert "keys.app.sort: j is already the key of keywords.down (KeywordPanel); ignored" in err[0]
    assert "keys.list.first: x is already the key of app.kwic; ignored" in err[1]
    assert tomllib.loads(out)["keys"] == {"overview.close": "escape,q,o", "app.kwic": "x", "list.first": "g"}


def app_with(tmp_path: Path, text: str) -> NewsdeskApp:
    root = write_corpus(tmp_path)
    config = load_config(write_config(tmp_path / "config", text))
    return create_app([root], corpus=load_with_keywords(root), index=False, export_dir=tmp_path, config=config)


@pytest.mark.asyncio
async def test_the_dashboard_shows_the_problems_in_one_notification_and_keeps_the_reserved_keys(tmp_path: Path) -> None:
    app = app_with(tmp_path, PROBLEMS)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        config_notes = [note for note in app._notifications if note.title == "Config"]
        assert len(config_notes) == 1
        check_problem_lines(config_notes[0].message.splitlines(), str(tmp_path / "config" / "config.toml"))
        await pilot.press("j", "j", "k")  # k still moves up: the entry kept its other keys
        assert app.article_list.cursor == 1
        sort = app.sort
        await pilot.press("s")  # s stays the sort (app.next's s was dropped)
        await settle(pilot)
        assert app.sort != sort and app.article_list.cursor == 0
        await pilot.press("ctrl+n")
        assert app.article_list.cursor == 1
        await pilot.press("ctrl+p")  # the palette's key, not the list's or the sort's
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")


@pytest.mark.asyncio
async def test_help_lists_the_keys_the_keymap_gives(tmp_path: Path) -> None:
    app = app_with(tmp_path, '[keys]\nquit = "x"\n"app.filter" = "f"\n')
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert not [note for note in app._notifications if note.title == "Config"]
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        everywhere = {text: keys for group, keys, text in screen.rows if group == "Everywhere"}
        assert everywhere["Quit"] == "x"
        assert everywhere["Filter"] == "f"


def test_config_bindings_lists_every_key_the_help_screen_lists(capsys: pytest.CaptureFixture[str], config_home: Path) -> None:
    from textual.binding import Binding

    from tui.screens.help import binding_groups

    code, out, err = run(capsys, "config", "--bindings")
    assert code == 0 and err == []
    lines = out.splitlines()
    ids = {line.split()[0] for line in lines}
    for title, bindings in binding_groups(NewsdeskApp.BINDINGS):
        for binding in bindings:
            assert isinstance(binding, Binding)
            if binding.id is not None:
                assert binding.id in ids, binding.id
            else:
                assert any(line.startswith("(built in)") and f"{title}: {binding.description}" in line for line in lines), binding

