"""`newsdesk config` with the interface: the binding ids every widget and screen declares,
listed with the keys in effect, and a warning for a `[keys]` entry that names none."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tui.cli import main


def write(directory: Path, text: str) -> Path:
    path = directory / "config.toml"
    directory.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config_home(isolated_dirs: Path) -> Path:
    """The NEWSDESK_CONFIG_DIR the autouse fixture set up."""
    return isolated_dirs / "config"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_config_warns_of_keys_that_name_no_binding(capsys: pytest.CaptureFixture[str], config_home: Path) -> None:
    # The effective config itself is the engine's (tests/core/test_config.py); which binding
    # ids exist only the interface knows.
    write(config_home, 'top = 3\ntop_n = 4\n[keys]\nquit = "x"\nno_such = "z"\n')
    code, out, err = run(capsys, "config")
    assert code == 0
    assert tomllib.loads(out)["keys"]["app.quit"] == "x"
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert "unknown setting 'top_n'" in lines[0]
    assert "keys.app.no_such: no binding has this id" in lines[1]
    assert all(line.startswith("newsdesk: warning: ") for line in lines)


def test_config_bindings_lists_ids_with_the_keys_in_effect(capsys: pytest.CaptureFixture[str], config_home: Path) -> None:
    write(config_home, '[keys]\nquit = "x"\n')
    code, out, _ = run(capsys, "config", "--bindings")
    assert code == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert rows["app.quit"] == "x"
    assert rows["list.down"] == "j,down"
    assert rows["app.filter"] == "slash"
