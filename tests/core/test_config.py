"""The config file: defaults, every key, and bad files that warn instead of crashing; `newsdesk config`."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from core.config import DEFAULT_THEME, Config, ConfigError, config_path, default_path, load_config
from core.keyword_engines import DEFAULT_ENGINE
from core.keywords import TOP_DEFAULT
from core.commands import main


def write(directory: Path, text: str | bytes) -> Path:
    path = directory / "config.toml"
    directory.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config_home(isolated_dirs: Path) -> Path:
    """The NEWSDESK_CONFIG_DIR the autouse fixture set up."""
    return isolated_dirs / "config"


def test_location_follows_newsdesk_config_dir_and_explicit_path_wins(config_home: Path, tmp_path: Path) -> None:
    assert default_path() == config_home / "config.toml"
    assert config_path() == default_path()
    assert config_path(tmp_path / "other.toml") == tmp_path / "other.toml"


def test_missing_default_file_means_defaults_without_warnings() -> None:
    config = load_config()
    assert config == Config()
    assert (config.engine, config.theme, config.top, dict(config.keys)) == (DEFAULT_ENGINE, DEFAULT_THEME, TOP_DEFAULT, {})
    assert config.warnings == () and config.path is None


def test_every_key_is_read(config_home: Path) -> None:
    path = write(
        config_home,
        'engine = "yake"\ntheme = "nord"\ntop = 5\n\n[keys]\nquit = "ctrl+q"\n"list.down" = "j,down,ctrl+n"\nreader.top = "g"\n',
    )
    config = load_config()
    assert config.path == path
    assert (config.engine, config.theme, config.top) == ("yake", "nord", 5)
    # A bare name means an app binding; a dotted TOML key nests, and is flattened back to the id.
    assert dict(config.keys) == {"app.quit": "ctrl+q", "list.down": "j,down,ctrl+n", "reader.top": "g"}
    assert config.warnings == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("engine = [", "not valid TOML"),
        (b"engine = \"yake\"\n\xff\xfe", "cannot read the config file"),
        ("engine = 3\n", "engine must be one of"),
        ('engine = "bert"\n', "engine must be one of"),
        ("theme = true\n", "theme must be a theme name"),
        ('top = "10"\n', "top must be a whole number"),
        ("top = 0\n", "top must be a whole number"),
        ("top = true\n", "top must be a whole number"),
        ("top = 2.5\n", "top must be a whole number"),
        ('keys = "q"\n', "keys must be a table"),
        ("[keys]\nquit = 1\n", "keys.app.quit must be a key string"),
        ('[keys]\nquit = "ctrl + q"\n', "keys.app.quit must be a key string"),
        ('colour = "red"\n', "unknown setting 'colour'"),
    ],
)
def test_bad_files_warn_once_naming_the_file_and_use_defaults(config_home: Path, text: str | bytes, problem: str) -> None:
    path = write(config_home, text)
    config = load_config()
    assert len(config.warnings) == 1, config.warnings
    (warning,) = config.warnings
    assert warning.startswith(f"{path}: ") and problem in warning
    assert "\n" not in warning
    assert (config.engine, config.theme, config.top, dict(config.keys)) == (DEFAULT_ENGINE, DEFAULT_THEME, TOP_DEFAULT, {})


def test_one_bad_value_keeps_the_good_ones(config_home: Path) -> None:
    write(config_home, 'engine = "yake"\ntop = -1\ntheme = "nord"\n[keys]\nquit = 7\nhelp = "f1"\n')
    config = load_config()
    assert (config.engine, config.theme, config.top) == ("yake", "nord", TOP_DEFAULT)
    assert dict(config.keys) == {"app.help": "f1"}
    assert len(config.warnings) == 2


def test_an_explicit_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_textual_theme_variable_is_the_default_theme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_THEME", "gruvbox")
    assert load_config().theme == "gruvbox"


def test_effective_config_prints_as_toml_that_reads_back(config_home: Path) -> None:
    write(config_home, 'engine = "yake"\ntop = 7\n[keys]\nquit = "ctrl+q"\n"list.down" = "j,\\"x"\n')
    config = load_config()
    data = tomllib.loads(
        Config(engine="yake", theme='a "quoted"\x7f\\theme', top=7, max_sessions=2, keys={"app.quit": "ctrl+q"}).to_toml()
    )
    assert data == {
        "engine": "yake", "theme": 'a "quoted"\x7f\\theme', "top": 7, "max_sessions": 2, "max_decompressed_mib": 1024,
        "keys": {"app.quit": "ctrl+q"},
    }
    assert tomllib.loads(config.to_toml())["top"] == 7


# -- the command line ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_config_path_prints_where_the_file_is(capsys: pytest.CaptureFixture[str], config_home: Path, tmp_path: Path) -> None:
    assert run(capsys, "config", "--path") == (0, f"{config_home / 'config.toml'}\n", "")
    other = tmp_path / "elsewhere.toml"
    other.write_text("", encoding="utf-8")
    assert run(capsys, "--config", str(other), "config", "--path") == (0, f"{other}\n", "")
    assert run(capsys, "config", "--path", f"--config={other}") == (0, f"{other}\n", "")


def test_config_prints_the_effective_config(capsys: pytest.CaptureFixture[str], config_home: Path) -> None:
    code, out, err = run(capsys, "config")
    assert code == 0 and err == ""
    assert tomllib.loads(out) == {
        "engine": DEFAULT_ENGINE, "theme": DEFAULT_THEME, "top": TOP_DEFAULT, "max_sessions": 4, "max_decompressed_mib": 1024,
        "keys": {},
    }
    write(config_home, 'top = 3\ntop_n = 4\n[keys]\nquit = "x"\nno_such = "z"\n')
    code, out, err = run(capsys, "config")
    assert code == 0
    assert tomllib.loads(out)["top"] == 3 and tomllib.loads(out)["keys"]["app.quit"] == "x"
    # Which binding ids exist only the interface knows (tests/tui/test_cli_config.py).
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("newsdesk: warning: ") and "unknown setting 'top_n'" in lines[0]


def test_config_bindings_without_the_interface_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "config", "--bindings")
    assert (code, out) == (2, "")
    assert err == "newsdesk: config --bindings needs the dashboard's bindings: run newsdesk config --bindings\n"


def test_missing_explicit_config_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "--config", str(tmp_path / "nope.toml"), "config")
    assert (code, out) == (2, "")
    assert err == f"newsdesk: config file not found: {tmp_path / 'nope.toml'}\n"
    assert run(capsys, "config", "--config")[0] == 2


def test_config_gives_keyword_commands_their_defaults(capsys: pytest.CaptureFixture[str], config_home: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "a.txt"
    corpus.write_text(
        "Pipelines and gas\n\nNatural gas pipelines cross the Black Sea. The pipeline carries natural gas to Turkey. "
        "Gas prices in Europe depend on the pipeline and on storage.\n",
        encoding="utf-8",
    )
    write(config_home, "top = 2\n")
    code, out, err = run(capsys, "keywords", str(corpus), "--per-article", "--format", "csv")
    assert code == 0, err
    assert len(out.splitlines()) == 1 + 2  # header + the config's top keywords per article
    write(config_home, 'engine = "nope"\n')
    code, out, err = run(capsys, "keywords", str(corpus), "--format", "csv")
    assert code == 0
    assert "engine must be one of" in err and err.count("\n") >= 1


def test_config_engine_is_the_default_of_engine_options(config_home: Path) -> None:
    from core.commands.arguments import build_parser

    config = Config(engine="yake")
    parser = build_parser(config)
    assert parser.parse_args(["keywords", "x"]).engine == "yake"
    assert parser.parse_args(["index", "x"]).engine == "yake"
    assert parser.parse_args(["index", "x", "--engine", "yake-rust"]).engine == "yake-rust"
    assert build_parser().parse_args(["index", "x"]).engine == DEFAULT_ENGINE


def test_the_decompression_cap_comes_from_the_file_or_the_environment(
    config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_config().max_decompressed_mib == 1024
    monkeypatch.setenv("NEWSDESK_MAX_DECOMPRESSED_MIB", "300")
    assert load_config().max_decompressed_mib == 300
    write(config_home, "max_decompressed_mib = 64\n")
    assert load_config().max_decompressed_mib == 64  # the file wins over the environment
    write(config_home, 'max_decompressed_mib = "lots"\n')
    config = load_config()
    assert config.max_decompressed_mib == 300
    assert config.warnings == (
        f"{default_path()}: max_decompressed_mib must be a whole number from 1 to 1048576, not 'lots'; using 300",
    )


def test_printed_config_holds_no_c1_control(config_home: Path) -> None:
    """0x9B is a CSI to a terminal: `newsdesk config` printed it raw from a key binding."""
    config = Config(theme="a\x9b2Jb", keys={"app.quit": "ctrl+\x9b", "app.\x85x": "q"})
    text = config.to_toml()
    assert not any("\x7f" <= char <= "\x9f" for char in text), text
    data = tomllib.loads(text)
    assert (data["theme"], data["keys"]) == ("a\x9b2Jb", {"app.quit": "ctrl+\x9b", "app.\x85x": "q"})
