"""`--where FILTER` on `parse`, `keywords` and `kwic`, and `keywords --distinctive`, on a corpus
written to tmp_path; plus `Query.uses_keywords`, which decides whether a filter needs the index.

The corpus is built so YAKE's output is predictable: each Energy article is titled "Gazprom"
and says it twice more, so "Gazprom" is every Energy article's best keyword; the Culture
articles never mention it. The other keywords are one-article words (export, museum, ...).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.corpus import article_id
from core.query import Query, parse_filter
from core.commands import main

ROOT = Path(__file__).resolve().parents[2]

ROWS = [
    {"title": "Gazprom", "body": "Gazprom. Export prices rose for the winter. Gazprom.", "section": "Energy", "source": "RIAC"},
    {"title": "Gazprom", "body": "Gazprom. Pipeline talks resumed in Ankara. Gazprom.", "section": "Energy", "source": "TASS"},
    {"title": "Gazprom", "body": "Gazprom. Quarterly profits fell sharply. Gazprom.", "section": "Energy", "source": "RIAC"},
    {"title": "Festival", "body": "Festival. The festival opened with a silent film. Festival.", "section": "Culture"},
    {"title": "Museum", "body": "Museum. The city museum reopened after repairs. Museum.", "section": "Culture"},
    {"title": "Prize", "body": "Prize. A debut novelist won the national prize. Prize.", "section": "Culture"},
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def _id_of(title: str) -> str:
    row = next(row for row in ROWS if row["title"] == title)
    return article_id(row["title"], row["body"])


def keyword_cache() -> Path:
    return Path(os.environ["NEWSDESK_CACHE_DIR"]) / "keywords"


# --- Query.uses_keywords ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("gas section:energy -source:tass words>10 kind:article", False),
        ('"kw:gas"', False),  # a quoted phrase is text
        ("kw:gas", True),
        ('-kw:"natural gas"', True),
        ("gas OR section:x kw:oil", True),  # inside an AND inside an OR
    ],
)
def test_query_uses_keywords(text: str, expected: bool) -> None:
    query = parse_filter(text)
    assert isinstance(query, Query)
    assert query.uses_keywords is expected


# --- parse --where ----------------------------------------------------------------------------


def test_parse_where_filters_without_indexing(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, err = run(capsys, "parse", str(corpus), "--where", "section:culture -museum")
    assert (code, err) == (0, "")
    assert [row["title"] for row in jsonl(out)] == ["Festival", "Prize"]
    assert not keyword_cache().exists()  # no kw: term, so no keyword extraction


def test_parse_where_with_kw_runs_the_cached_index(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, err = run(capsys, "parse", str(corpus), "--where", "kw:gazprom OR kw:museum")
    assert (code, err) == (0, "")
    rows = jsonl(out)
    assert [(row["title"], row["section"]) for row in rows] == [
        ("Gazprom", "Energy"),
        ("Gazprom", "Energy"),
        ("Gazprom", "Energy"),
        ("Museum", "Culture"),
    ]
    assert keyword_cache().exists()


def test_parse_where_empty_filter_is_everything(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, _ = run(capsys, "parse", str(corpus), "--where", "  ")
    assert code == 0 and len(jsonl(out)) == 6


# --- bad filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "where", "message"),
    [
        (
            ["parse"],
            "gas secton:energy",
            "unknown field 'secton:' (fields: kw:, section:, source:, lang:, kind:, is:, date:, words:); "
            "quote it to search the text: secton:energy",
        ),
        (["keywords"], 'kw:"natural gas', 'unclosed quote: kw:"natural gas'),
        (["kwic"], "words>lots", "words> needs a whole number, e.g. words>500: words>lots"),
        (["keywords", "--distinctive"], "a OR", "OR needs a term on each side: OR"),
    ],
)
def test_bad_filter_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], corpus: Path, command: list[str], where: str, message: str
) -> None:
    extra = ["gazprom"] if command == ["kwic"] else []
    code, out, err = run(capsys, command[0], str(corpus), *extra, *command[1:], "--where", where)
    assert (code, out) == (2, "")
    assert err == f"newsdesk: bad filter: {message}\n"
    assert not keyword_cache().exists()  # rejected before any work


def test_bad_filter_in_a_real_process(corpus: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "core.commands", "parse", str(corpus), "--where", "-"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "newsdesk: bad filter: nothing after '-' to exclude: -\n"


# --- keywords --where / --distinctive ---------------------------------------------------------


def test_keywords_where_aggregates_the_subset(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, err = run(capsys, "keywords", str(corpus), "--where", "section:energy", "--top", "50")
    assert (code, err) == (0, "")
    rows = jsonl(out)
    assert (rows[0]["keyword"], rows[0]["docs"]) == ("Gazprom", 3)
    assert all(row["docs"] == 1 for row in rows[1:])
    keys = {row["key"] for row in rows}
    assert {"export", "pipeline", "quarterly"} <= keys
    assert not keys & {"festival", "museum", "prize"}  # Culture keywords left out


def test_keywords_where_per_article(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, _ = run(capsys, "keywords", str(corpus), "--where", "museum OR prize", "--per-article", "--top", "1")
    assert code == 0
    assert [(row["title"], row["rank"], row["keyword"]) for row in jsonl(out)] == [
        ("Museum", 1, "Museum"),
        ("Prize", 1, "Prize"),
    ]


def test_keywords_distinctive(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, err = run(capsys, "keywords", str(corpus), "--distinctive", "--where", "section:energy")
    assert (code, err) == (0, "")
    rows = jsonl(out)
    assert [list(row) for row in rows] == [["keyword", "key", "docs_subset", "docs_rest", "g2", "log_ratio"]]
    # Gazprom: 3 of the 3 Energy articles, 0 of the 3 others (N = 6). Expected cells are all
    # 3 * 3 / 6 = 1.5: G2 = 2 * (3 ln(3/1.5) + 3 ln(3/1.5)) = 12 ln 2; Log Ratio =
    # log2((3/3) / (0.5/3)) = log2 6 (the zero count taken as 0.5). The one-article keywords
    # (export, ankara, ...: 1 vs 0) are under the 3-article floor.
    row = rows[0]
    assert (row["keyword"], row["key"], row["docs_subset"], row["docs_rest"]) == ("Gazprom", "gazprom", 3, 0)
    assert row["g2"] == pytest.approx(12 * math.log(2), rel=1e-12)
    assert row["log_ratio"] == pytest.approx(math.log2(6), rel=1e-12)


def test_keywords_distinctive_table_and_a_whole_corpus_subset(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, err = run(capsys, "keywords", str(corpus), "--distinctive", "--where=-gazprom", "--format", "table")
    assert (code, err) == (0, "")
    # Culture (3) against Energy: no Culture keyword is in 3 Culture articles. A filter that
    # starts with "-" is given as --where=-term (argparse would take -term for an option).
    assert out == "keyword  key  docs_subset  docs_rest  g2  log_ratio\n"
    code, out, err = run(capsys, "keywords", str(corpus), "--distinctive", "--where", "words>0", "--format", "table")
    assert code == 0 and out.splitlines() == ["keyword  key  docs_subset  docs_rest  g2  log_ratio"]
    assert err == "newsdesk: warning: the filter matches every article: there is no rest to compare with\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--distinctive"], "--distinctive needs --where FILTER (the articles to compare with the rest)"),
        (["--distinctive", "--where", "x", "--per-article"], "--distinctive and --per-article cannot be combined"),
    ],
)
def test_distinctive_usage_errors(capsys: pytest.CaptureFixture[str], corpus: Path, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "keywords", str(corpus), *argv)
    assert (code, out, err) == (2, "", f"newsdesk: {message}\n")


# --- kwic --where -----------------------------------------------------------------------------


def test_kwic_where(capsys: pytest.CaptureFixture[str], corpus: Path) -> None:
    code, out, err = run(capsys, "kwic", str(corpus), "the", "--width", "6", "--where", "section:culture -festival")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"seum. The city   {_id_of('Museum')}",
        f"t won the natio  {_id_of('Prize')}",
    ]
    assert not keyword_cache().exists()
    code, out, err = run(capsys, "kwic", str(corpus), "gazprom", "--where", "kw:prize")
    # The Prize article never says Gazprom: said on stderr, exit 1.
    assert (code, out, err) == (1, "", 'newsdesk: no occurrences of "gazprom"\n')


def test_where_kind_bookmarked_reads_the_dashboards_bookmarks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from core.corpus import article_id
    from core.state import CorpusState, StateStore
    from core.commands import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for title in ("Alpha news", "Bravo news"):
        (corpus / f"{title}.txt").write_text(f"{title}\n\nThe body of {title.lower()}.\n", encoding="utf-8")
    assert main(["parse", str(corpus), "--where", "kind:bookmarked"]) == 0
    assert capsys.readouterr().out == ""
    StateStore([corpus], print).save(CorpusState(bookmarks={article_id("Bravo news", "The body of bravo news.")}))
    assert main(["parse", str(corpus), "--where", "kind:bookmarked"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["title"] for row in rows] == ["Bravo news"]
