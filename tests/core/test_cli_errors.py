"""Every user-facing failure of the command line: one line naming the file and the reason, never a
traceback, and a non-zero exit only when nothing useful could be done.

Most cases call `core.commands.main` in this process (the same code path, much faster); the ones that
depend on the process itself (file modes for root, a deleted working directory, stdout that is
full or closed, a FIFO that could block) run the installed `newsdesk` command. Root ignores file
modes, so "unreadable" cases drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in the child.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from core.cache import KeywordCache
from core.keywords import ExtractorParams
from tests.core.conftest import REPO, SEED
from tests.faults.harness import NEWSDESK, file_modes_apply, warning_lines, without_root_file_access, write_jsonl_corpus
from core.commands import main

needs_file_modes = pytest.mark.skipif(not file_modes_apply(), reason="file modes cannot be made to apply to a child here")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `newsdesk ARGV` in this process: (exit code, stdout, stderr); argparse's exits count too."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def command(*argv: str, cwd: Path = REPO, **options: object) -> subprocess.CompletedProcess[str]:
    """Run the installed `newsdesk ARGV` as a user would."""
    return subprocess.run(
        [*NEWSDESK, *argv], cwd=cwd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL, **options  # type: ignore[call-overload]
    )


def assert_one_line(err: str, *fragments: str) -> None:
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


@pytest.mark.parametrize(
    "argv",
    [["parse"], ["keywords"], ["index"], ["kwic", "--", "term"], []],
    ids=["parse", "keywords", "index", "kwic", "app"],
)
def test_missing_path_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]) -> None:
    missing = tmp_path / "no" / "such.txt"
    if argv[:1] == ["kwic"]:
        argv = ["kwic", str(missing), "term"]
    else:
        argv = [*argv, str(SEED), str(missing)]
    code, out, err = cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == f"newsdesk: no such file or directory: {missing}\n"


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["parse", str(SEED), "--format", "xml"], "invalid choice: 'xml'"),
        (["keywords", str(SEED), "--format", "yaml"], "invalid choice: 'yaml'"),
        (["keywords", str(SEED), "--top", "0"], "--top must be at least 1"),
        (["keywords", str(SEED), "--top", "-3"], "--top must be at least 1"),
        (["keywords", str(SEED), "--top", "many"], "invalid int value: 'many'"),
        (["keywords", str(SEED), "--engine", "nope"], "invalid choice: 'nope'"),
        (["kwic", str(SEED), "gas", "--width", "-1"], "--width must be at least 0"),
        (["kwic", str(SEED), "gas", "--width", "wide"], "invalid int value: 'wide'"),
        (["kwic", str(SEED), "  "], "TERM must hold a word or phrase"),
        (["parse"], "the following arguments are required: PATH"),
        (["kwic", str(SEED)], "the following arguments are required: TERM"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--config"], "--config needs a FILE"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], fragment: str) -> None:
    code, out, err = cli(capsys, *argv)
    assert (code, out) == (2, "")
    assert_one_line(err, fragment)
    assert err.startswith("newsdesk")


@pytest.mark.parametrize("target", ["missing-dir", "a-directory", "dev-full"])
def test_unwritable_output_file_is_one_line_naming_it(capsys: pytest.CaptureFixture[str], tmp_path: Path, target: str) -> None:
    output = {
        "missing-dir": tmp_path / "nowhere" / "out.jsonl",
        "a-directory": tmp_path,
        "dev-full": Path("/dev/full"),
    }[target]
    code, out, err = cli(capsys, "parse", str(SEED), "-o", str(output))
    assert (code, out) == (2, "")
    assert_one_line(err, f"newsdesk: cannot write {output}: ")
    reason = err.split(": ")[-1].strip()
    assert reason in ("No such file or directory", "Is a directory", "No space left on device (os error 28)"), reason


@needs_file_modes
def test_output_into_a_read_only_directory_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = command("parse", str(SEED), "-o", str(locked / "out.jsonl"), preexec_fn=without_root_file_access())
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"newsdesk: cannot write {locked / 'out.jsonl'}: Permission denied\n"


def test_full_stdout_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [*NEWSDESK, "parse", str(SEED)], cwd=REPO, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60
        )
    assert result.returncode == 2
    assert_one_line(result.stderr, "newsdesk: cannot write to standard output: No space left on device")


def test_reader_closing_the_pipe_early_is_not_an_error(tmp_path: Path) -> None:
    corpus = write_jsonl_corpus(tmp_path / "corpus", 400)  # far more than a pipe holds
    process = subprocess.Popen([*NEWSDESK, "parse", str(corpus)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(100)
    process.stdout.close()  # as `newsdesk parse ... | head -c 100` does
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 0
    assert first.startswith(b'{"id":') and err == ""


@needs_file_modes
def test_unreadable_directory_and_file_are_skipped_with_reasons(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "locked-dir").mkdir(parents=True)
    (corpus / "locked-dir" / "inside.txt").write_text("Hidden\n\nNever read.\n")
    (corpus / "locked-dir").chmod(0)
    (corpus / "locked.txt").write_text("Locked\n\nNever read either.\n")
    (corpus / "locked.txt").chmod(0)
    (corpus / "open.txt").write_text("Open title\n\nA body anyone can read.\n")
    try:
        result = command("parse", str(corpus), preexec_fn=without_root_file_access())
        alone = command("parse", str(corpus / "locked-dir"), preexec_fn=without_root_file_access())
    finally:
        (corpus / "locked-dir").chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Open title"]
    assert sorted(result.stderr.splitlines()) == [
        f"skipped {corpus / 'locked-dir'}: Permission denied",
        f"skipped {corpus / 'locked.txt'}: Permission denied",
    ]
    # Nothing readable at all is still exit 0 (the documented contract), with the reason.
    assert (alone.returncode, alone.stdout) == (0, "")
    assert alone.stderr == f"skipped {corpus / 'locked-dir'}: Permission denied\n"


def test_a_fifo_and_a_device_are_skipped_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "fine.txt").write_text("Fine title\n\nFine body.\n")
    result = command("parse", str(tmp_path), "/dev/zero")
    assert result.returncode == 0
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["Fine title"]
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("skipped ") for line in lines), result.stderr
    assert any(str(tmp_path / "pipe.txt") in line for line in lines) and any("/dev/zero" in line for line in lines)


def test_file_names_that_are_not_utf8_or_hold_escapes_are_shown_escaped(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    for name, text in ((b"\xff\xfe-latin.txt", "Bytes title"), (b"\x1b]0;owned\x07.txt", "Escape title")):
        with open(root + b"/" + name, "w") as handle:
            handle.write(f"{text}\n\nBody text of the article.\n")
    with open(root + b"/\x1b[2J.bin", "wb") as handle:
        handle.write(os.urandom(512) + b"\0" * 64)
    result = command("parse", str(tmp_path))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    paths = sorted(json.loads(line)["path"] for line in result.stdout.splitlines())
    assert paths == [f"{tmp_path}/\\x1b]0;owned\\x07.txt", f"{tmp_path}/\\xff\\xfe-latin.txt"]
    assert result.stderr.startswith(f"skipped {tmp_path}/\\x1b[2J.bin: ") and len(result.stderr.splitlines()) == 1
    assert "\x1b" not in result.stdout + result.stderr
    again = command("index", str(tmp_path))  # the snapshot and the keyword cache hold such names too
    assert again.returncode == 0 and "indexed 2 articles" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.parametrize(
    "argv", [["parse", str(SEED)], ["keywords", str(SEED), "--top", "3"], ["index", str(SEED)], ["kwic", str(SEED), "gas"]]
)
def test_cache_dir_that_is_a_file_is_warnings_not_a_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache directory should be\n")
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(blocker))
    code, out, err = cli(capsys, *argv)
    assert code == 0 and "Traceback" not in err
    assert out or argv[0] == "index"
    warnings = warning_lines(err)
    assert 1 <= len(warnings) <= 2, err  # the corpus snapshot, and the keyword cache when keywords are needed
    assert all(str(blocker) in line and "Not a directory" in line for line in warnings)
    assert [line for line in err.splitlines() if line not in warnings and not line.startswith("indexed ")] == []


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"top = [\n", "not valid TOML"),
        (b"\xff\xfe\x00garbage", "cannot read the config file"),
        (b'top = "ten"\nengine = 3\n', "top must be a whole number"),
        (None, "cannot read the config file"),
    ],
    ids=["bad-toml", "not-utf8", "wrong-types", "a-directory"],
)
def test_corrupt_config_is_a_warning_naming_it_and_defaults_apply(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path, content: bytes | None, fragment: str
) -> None:
    config = isolated_dirs / "config" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    if content is None:
        config.mkdir()
    else:
        config.write_bytes(content)
    code, out, err = cli(capsys, "parse", str(SEED))
    assert code == 0 and len(out.splitlines()) == 11
    warnings = warning_lines(err)
    assert warnings and warnings == err.splitlines(), err
    assert all(str(config) in line for line in warnings) and fragment in warnings[0]


def test_config_file_named_but_missing_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = cli(capsys, "--config", str(tmp_path / "nope.toml"), "parse", str(SEED))
    assert (code, out) == (2, "")
    assert err == f"newsdesk: config file not found: {tmp_path / 'nope.toml'}\n"


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_touch_no_corpus_cache_or_working_directory(tmp_path: Path, argv: list[str]) -> None:
    gone = tmp_path / "deleted-cwd"
    gone.mkdir()
    cache = tmp_path / "cache-never-created"
    env = {**os.environ, "NEWSDESK_CACHE_DIR": str(cache), "NEWSDESK_CONFIG_DIR": str(tmp_path / "no-config")}
    # The working directory is removed before newsdesk starts: nothing may need it.
    script = 'cd "$1" && rmdir "$1" && shift && exec "$@"'
    result = subprocess.run(
        ["sh", "-c", script, "sh", str(gone), *NEWSDESK, *argv], capture_output=True, text=True, timeout=60, env=env
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.startswith("newsdesk 0.") if argv == ["--version"] else "usage: newsdesk" in result.stdout
    assert not gone.exists() and not cache.exists()


@pytest.mark.parametrize("command_name", ["parse", "keywords", "index", "kwic"])
def test_subcommand_help_touches_nothing(capsys: pytest.CaptureFixture[str], isolated_dirs: Path, command_name: str) -> None:
    code, out, err = cli(capsys, command_name, "--help")
    assert (code, err) == (0, "") and out.startswith(f"usage: newsdesk {command_name}")
    assert not any(isolated_dirs.iterdir()), "help created a cache, state or config directory"


@needs_file_modes
def test_version_works_with_an_unreadable_cache_and_config_dir(tmp_path: Path) -> None:
    for name in ("cache", "config"):
        (tmp_path / name).mkdir(mode=0)
    env = {**os.environ, "NEWSDESK_CACHE_DIR": str(tmp_path / "cache"), "NEWSDESK_CONFIG_DIR": str(tmp_path / "config")}
    version = command("--version", env=env, preexec_fn=without_root_file_access())
    assert (version.returncode, version.stderr) == (0, "") and version.stdout.startswith("newsdesk ")
    # A command that reads the config says once that it cannot, and goes on with defaults.
    indexed = command("index", str(SEED), env=env, preexec_fn=without_root_file_access())
    assert indexed.returncode == 0 and "indexed 11 articles (11 extracted, 0 cached)" in indexed.stderr
    assert warning_lines(indexed.stderr) == [
        f"newsdesk: warning: {tmp_path / 'config' / 'config.toml'}: cannot read the config file (Permission denied); using defaults",
        f"newsdesk: warning: corpus snapshot not saved: cannot write {tmp_path / 'cache' / 'snapshots'}: Permission denied",
        f"newsdesk: warning: keyword cache disabled: cannot write {KeywordCache(ExtractorParams(), tmp_path / 'cache').directory}: Permission denied",
    ], indexed.stderr


def test_output_named_as_a_folder_is_refused_not_written_as_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`-o out/` meant a folder; the slash was dropped and a file `out` written."""
    code, out, err = cli(capsys, "parse", str(SEED), "-o", f"{tmp_path / 'out'}/")
    assert (code, out) == (2, "")
    assert_one_line(err, f"newsdesk: cannot write {tmp_path / 'out'}/: -o names a file, not a folder")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_output_name_is_shown_with_its_escapes_spelled_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    output = tmp_path / "\x1b]52;c;UFdORUQ=\x07" / "out.jsonl"
    code, out, err = cli(capsys, "parse", str(SEED), "-o", str(output))
    assert (code, out) == (2, "")
    assert_one_line(err, "cannot write", "\\x1b]52;c;UFdORUQ=\\x07")
    assert "\x1b" not in err and "\x07" not in err
