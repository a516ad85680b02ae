"""A config file nested past tomllib's recursion depth is one warning and the defaults, like
any invalid TOML; it ended every command (the dashboard included) with a RecursionError."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.core.conftest import REPO
from tests.faults.harness import NEWSDESK, child_env


def test_a_deeply_nested_config_is_one_warning(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    done = subprocess.run(
        [*NEWSDESK, "--config", str(config), "config"], cwd=REPO, env=child_env(tmp_path / "cache"),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == f"newsdesk: warning: {config}: not valid TOML (nested too deeply); using defaults\n"
    assert "max_decompressed_mib = 1024" in done.stdout
