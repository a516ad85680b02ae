"""The headless commands alone (`core.commands` without the interface): they run without
loading `tui`, Textual or Rich, and what needs a screen answers in one line, exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from core.commands import main
from tests.core.conftest import REPO, SEED


def headless(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core.commands", *argv], cwd=REPO, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([str(SEED)], "newsdesk: the dashboard needs the interface: run newsdesk\n"),
        ([], "newsdesk: the dashboard needs the interface: run newsdesk\n"),
        (["serve", str(SEED)], "newsdesk: serve needs the interface: run newsdesk serve\n"),
    ],
)
def test_what_needs_a_screen_is_one_line_and_exit_2(argv: list[str], message: str) -> None:
    done = headless(*argv)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", message)


def test_a_missing_path_is_named_before_the_missing_interface(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main([str(tmp_path / "gone")]) == 2
    assert capsys.readouterr().err == f"newsdesk: no such file or directory: {tmp_path / 'gone'}\n"


def test_a_command_loads_neither_tui_nor_textual_nor_rich(tmp_path: Path) -> None:
    # In a fresh interpreter, with `parse` reading the seeds and writing a file.
    out = tmp_path / "seeds.jsonl"
    probe = (
        "import sys\n"
        "from core.commands import main\n"
        f"code = main(['parse', {str(REPO / 'seeds')!r}, '-o', {str(out)!r}])\n"
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'tui', 'textual', 'rich'}))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "0 []", done.stderr
    assert len(out.read_text(encoding="utf-8").splitlines()) == 11
