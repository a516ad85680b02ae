"""The input audit (`core.audit`, `newsdesk parse --audit`): every word of the input is in a
record or dropped under a named reason, and what is dropped without one is reported.

Files are real files on disk (tmp_path); records come from the real readers. Expected counts
are worked out by hand from the text each test writes (`words(...)` just counts them).
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

import core.file_rows as file_rows
from core.audit import LARGE_BLOCK_WORDS, Audit, audit_frame, audit_paths, summary_rows
from core.audit_model import (
    DUPLICATE,
    EMPTY_ROW,
    HTML_BOILERPLATE,
    KEPT,
    NO_REASON,
    NOT_AN_OBJECT,
    RAGGED_FIELD,
    REPEATED_LINE,
    SITE_CHROME,
    Block,
    FileAudit,
)
from core.errors import Skipped
from core.ingest import load_corpus
from tests.core.test_cli_parse import run_newsdesk
from tests.data.hostile import write_hostile_corpus
from tests.data.realtext.render import listing_pages, plain_files, write_all

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_f28cf99939672350.txt"
DATA = ROOT / "tests" / "data"

PARAGRAPHS = [
    "Natural gas prices in Europe rose again this week as utilities rushed to fill storage before the "
    "first cold spell, and traders warned that a long winter could push them higher still.",
    "Analysts in London said demand usually peaks in January, when the coldest weeks come, and that "
    "pipeline flows from the east had not yet returned to the levels seen a year ago.",
]
BIO = "Senior fellow at an energy research institute in Oslo, writing on gas markets and the energy transition."
TEASER_TEXT = "Ministers met in Brussels to discuss how the bloc could share the cost of ..."


def words(*lines: str) -> int:
    return sum(len(line.split()) for line in lines)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def only(audit: Audit) -> FileAudit:
    assert len(audit.files) == 1
    return audit.files[0]


def dropped(file: FileAudit) -> dict[str, tuple[int, int]]:
    return {reason: (tally.lines, tally.words) for reason, tally in file.dropped.items()}


def large_blocks(audit: Audit) -> list[tuple[str, Block]]:
    """Blocks without a reason of LARGE_BLOCK_WORDS words or more, with their file."""
    return [(file.path, block) for file in audit.files for block in file.blocks if block.words >= LARGE_BLOCK_WORDS]


def listing_page(title: str = "Gas prices rise again in Europe", teaser: str = "EU ministers debate energy costs") -> str:
    return "\n\n".join(
        [
            "Connect with us",
            "Energy",
            title,
            "Published",
            "on",
            *PARAGRAPHS,
            "First published in our partner RIAC",
            BIO,
            "Continue Reading",
            "Comments",
            "Publications",
            "Latest",
            "EU Politics3 hours ago",
            teaser,
            TEASER_TEXT,
            "Trending",
            "Why the gas market fears a cold winter",
            "Five charts on Europe's storage levels",
        ]
    ) + "\n"


# --- listing pages -------------------------------------------------------------------------------


def test_listing_page_chrome_is_site_chrome_with_its_word_counts(tmp_path: Path) -> None:
    page = write(tmp_path / "page.txt", listing_page())
    file = only(audit_paths([page]))
    markers = ["Connect with us", "Published", "on", "Continue Reading", "Comments", "Publications", "Latest", "Trending"]
    after_closer = ["Why the gas market fears a cold winter", "Five charts on Europe's storage levels"]
    source_label = "First published in our partner"
    assert dropped(file) == {SITE_CHROME: (len(markers) + len(after_closer), words(*markers, *after_closer, source_label))}
    kept = ["Energy", "Gas prices rise again in Europe", *PARAGRAPHS, "RIAC", BIO]
    kept += ["EU Politics3 hours ago", "EU ministers debate energy costs", TEASER_TEXT]
    assert (file.kept.lines, file.kept.words) == (len(kept), words(*kept))
    assert file.blocks == []
    assert file.words == len(page.read_text(encoding="utf-8").split())


def test_the_seed_is_accounted_for_word_by_word() -> None:
    file = only(audit_paths([SEED]))
    assert file.words == len(SEED.read_text(encoding="utf-8").split())
    assert file.blocks == []
    # Its chrome: 7 marker pairs and lines around 4 articles and a sidebar, and 3 source labels.
    assert set(file.dropped) == {SITE_CHROME}
    assert file.kept.words > 0.99 * file.words


def test_a_paragraph_after_the_page_closer_is_no_chrome(tmp_path: Path) -> None:
    # The list after `Trending` holds headlines; a paragraph there was lost, not chrome.
    lost = PARAGRAPHS[1].replace("Analysts", "Economists")
    file = only(audit_paths([write(tmp_path / "page.txt", listing_page() + "\n" + lost + "\n")]))
    assert [(block.first_line, block.words) for block in file.blocks] == [(len(listing_page().splitlines()) + 2, words(lost))]
    assert dropped(file)[SITE_CHROME][0] == 10


def test_an_article_in_two_files_is_a_duplicate_in_the_second(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", listing_page())
    second = listing_page().replace("Connect with us", "Connect with us\n\nMarkets\n\nOil output steady\n\nPublished\n\non\n\n"
                                    "Output from the largest producers held steady in October, the agency said in its monthly report on Thursday.\n\n"
                                    "Continue Reading")
    write(tmp_path / "b.txt", second)
    first, later = audit_paths([tmp_path]).files
    assert first.dropped.keys() == {SITE_CHROME}
    article = ["Energy", "Gas prices rise again in Europe", *PARAGRAPHS, "RIAC", BIO]
    teaser = ["EU Politics3 hours ago", "EU ministers debate energy costs", TEASER_TEXT]
    assert dropped(later)[DUPLICATE["article"]] == (len(article), words(*article))
    assert dropped(later)[DUPLICATE["teaser"]] == (len(teaser), words(*teaser))
    new = ["Markets", "Oil output steady", "Output from the largest producers held steady in October, the agency said in its monthly report on Thursday."]
    assert later.kept.words == words(*new)
    # The corpus agrees: the article is one row seen twice.
    copies = load_corpus([tmp_path], use_snapshot=False).articles.filter(pl.col("title") == article[1])["copies"]
    assert copies.to_list() == [2]


def test_a_sidebar_repeated_in_one_file_is_a_repeat_not_a_loss(tmp_path: Path) -> None:
    page = listing_page()
    second_page = page.replace("Gas prices rise again in Europe", "Gas storage nears capacity").replace(
        PARAGRAPHS[0], "Storage sites across the continent are almost full, the operators' association said on Friday, earlier than in most years."
    )
    file = only(audit_paths([write(tmp_path / "two-pages.txt", page + second_page)]))
    # The reader keeps the last sidebar; the first one's lines are in that teaser already.
    sidebar = ["EU Politics3 hours ago", "EU ministers debate energy costs", TEASER_TEXT]
    assert dropped(file)[REPEATED_LINE] == (len(sidebar), words(*sidebar))
    assert file.blocks == []


def test_a_block_the_parser_drops_is_reported_without_a_reason(tmp_path: Path) -> None:
    # A page saved mid-article: the first paragraphs have no header, and the parser keeps
    # articles only from a header on. This is the kind of loss the audit exists to show.
    lost = (
        "Officials said the talks would resume next month in Geneva, where both delegations hope to agree "
        "on a timetable for the next round and on the observers each side will accept."
    )
    page = write(tmp_path / "cut.txt", lost + "\n\nContinue Reading\n\n" + listing_page().removeprefix("Connect with us\n\n"))
    audit = audit_paths([page])
    file = only(audit)
    assert file.blocks == [Block(1, 1, 1, words(lost), "Officials said the talks would resume next month…")]
    assert large_blocks(audit) == [(str(page), file.blocks[0])]
    assert file.words == len(page.read_text(encoding="utf-8").split())
    row = audit_frame(audit).filter(pl.col("reason") == NO_REASON).row(0, named=True)
    assert (row["explained"], row["first_line"], row["last_line"], row["words"]) == (False, 1, 1, words(lost))


def test_a_plain_text_article_is_kept_whole(tmp_path: Path) -> None:
    text = "Arctic shipping lanes open earlier\n\n" + "\n".join(PARAGRAPHS) + "\n"
    file = only(audit_paths([write(tmp_path / "plain.txt", text)]))
    assert (file.kept.lines, file.kept.words, file.dropped, file.blocks) == (3, len(text.split()), {}, [])


# --- bytes and limits ----------------------------------------------------------------------------


def test_undecodable_bytes_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    # A UTF-8 BOM, then two bytes that are not UTF-8 in one word: decoded, each becomes U+FFFD.
    path.write_bytes(b"\xef\xbb\xbfCafe prices\n\nThe caf\xff\xfe on the corner raised its prices again.\n")
    skips: list[Skipped] = []
    file = only(audit_paths([path], on_skip=skips.append))
    assert (file.replaced, file.damaged.lines, file.damaged.words) == (2, 1, 1)
    assert file.kept.words == 11 and file.blocks == [] and skips == []
    reasons = audit_frame(Audit([file]))["reason"].to_list()
    assert "undecodable bytes (2 replaced by U+FFFD)" in reasons


def test_a_file_over_the_size_limit_is_skipped_with_its_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "A long report\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    path = write(tmp_path / "big.txt", text)
    monkeypatch.setattr(file_rows, "MAX_FILE_BYTES", 100)
    skips: list[Skipped] = []
    file = only(audit_paths([path], on_skip=skips.append))
    [reason] = file.dropped
    assert reason.startswith("file skipped: too large")
    assert dropped(file)[reason] == (3, len(text.split()))
    assert file.kept.words == 0 and file.blocks == []
    assert [skip.path for skip in skips] == [str(path)]


def test_a_binary_file_is_skipped_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 8)
    file = only(audit_paths([path]))
    assert dropped(file) == {"file skipped: binary file (not text in any known encoding)": (0, 0)}


# --- tables and HTML -----------------------------------------------------------------------------


def test_table_columns_rows_and_lines_that_go_nowhere_are_named(tmp_path: Path) -> None:
    rows = [
        {"title": "Gas prices rise", "body": PARAGRAPHS[0], "date": "2021-11-01", "views\x1b[2J": "1,204 readers today"},
        {"title": "Gas prices rise", "body": PARAGRAPHS[0], "date": "2021-11-01"},
        {"title": "", "body": " ", "section": "Energy desk"},
        {"headline": "ignored: title comes first", "title": "Storage nears capacity", "body": PARAGRAPHS[1], "date": "next Tuesday"},
    ]
    lines = [json.dumps(row) for row in rows] + ["not json at all"]
    path = write(tmp_path / "rows.jsonl", "\n".join(lines) + "\n")
    file = only(audit_paths([path]))
    assert dropped(file) == {
        "unmapped column views": (0, words("1,204 readers today")),
        "unmapped column headline": (0, words("ignored: title comes first")),
        DUPLICATE["article"]: (1, words("Gas prices rise", PARAGRAPHS[0], "2021-11-01")),
        EMPTY_ROW: (1, words("Energy desk")),
        "unread date in column date": (0, 2),
        NOT_AN_OBJECT: (1, 4),
    }
    assert (file.kept.lines, file.kept.words) == (2, words("Gas prices rise", PARAGRAPHS[0], "2021-11-01", "Storage nears capacity", PARAGRAPHS[1]))
    table = "\n".join(" ".join(map(str, row)) for row in summary_rows(Audit([file])))
    assert "\x1b" not in table and "unmapped column views" in table


def test_parquet_columns_are_accounted_for(tmp_path: Path) -> None:
    path = tmp_path / "rows.parquet"
    pl.DataFrame({"headline": ["Gas prices rise"], "text": [PARAGRAPHS[0]], "tags": [["energy", "europe"]]}).write_parquet(path)
    file = only(audit_paths([path]))
    assert file.kept.words == words("Gas prices rise", PARAGRAPHS[0])
    assert dropped(file) == {"unmapped column tags": (0, 2)}


def test_csv_fields_past_the_header_and_unmapped_columns(tmp_path: Path) -> None:
    text = (
        "title,body,views\n"
        f"Gas prices rise,\"{PARAGRAPHS[0]}\",1204\n"
        f"Storage nears capacity,\"{PARAGRAPHS[1]}\",88,a stray note,and more\n"
    )
    file = only(audit_paths([write(tmp_path / "rows.csv", text)]))
    assert file.kept.words == words("Gas prices rise", PARAGRAPHS[0], "Storage nears capacity", PARAGRAPHS[1])
    assert dropped(file) == {"unmapped column views": (0, 2), RAGGED_FIELD: (1, words("a stray note", "and more"))}


def test_blank_lines_before_a_csv_header_make_no_field_past_it(tmp_path: Path) -> None:
    """The reader passes over them; the audit took an empty first line for a header of no
    columns and counted every field of every row as cut off."""
    text = (
        "\n\ntitle,body,views\n"
        f"Gas prices rise,\"{PARAGRAPHS[0]}\",1204\n"
        f"Storage nears capacity,\"{PARAGRAPHS[1]}\",88,a stray note,and more\n"
    )
    file = only(audit_paths([write(tmp_path / "rows.csv", text)]))
    assert file.kept.words == words("Gas prices rise", PARAGRAPHS[0], "Storage nears capacity", PARAGRAPHS[1])
    assert dropped(file) == {"unmapped column views": (0, 2), RAGGED_FIELD: (1, words("a stray note", "and more"))}


def test_html_boilerplate_is_page_chrome(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>Gas prices rise again</title><script>var tracking = 1;</script></head>"
        "<body><nav>Home News Sport Weather</nav><article><h1>Gas prices rise again</h1>"
        f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p></article>"
        "<footer>Copyright 2021 Example News. All rights reserved.</footer></body></html>"
    )
    file = only(audit_paths([write(tmp_path / "page.html", page)]))
    assert file.kept.words == words("Gas prices rise again", *PARAGRAPHS)
    # The second copy of the title, the menu and the footer; never the script.
    boilerplate = words("Gas prices rise again", "Home News Sport Weather", "Copyright 2021 Example News. All rights reserved.")
    assert dropped(file) == {HTML_BOILERPLATE: (3, boilerplate)}
    assert file.blocks == []


# --- every fixture -------------------------------------------------------------------------------


def fixture_files() -> list[Path]:
    """Every input file under tests/data (not its Python builders nor hidden files, which a
    walk passes over), and the seed."""
    found = [
        path
        for path in sorted(DATA.rglob("*"))
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and not any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(DATA).parts)
    ]
    return [*found, SEED]


def test_no_fixture_loses_a_block_of_30_words_without_a_reason(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile"
    write_hostile_corpus(hostile)
    realtext = tmp_path / "realtext"
    for language in ("en", "ru"):
        write_all(realtext, listing_pages(language) + plain_files(language))
    audit = audit_paths([*fixture_files(), hostile, realtext])
    assert len(audit.files) >= 3
    total = audit.total()
    assert total.kept > 0
    assert total.words == total.kept + total.dropped + total.unexplained
    lost = [f"{path} lines {b.first_line}-{b.last_line}: {b.words} words: {b.text}" for path, b in large_blocks(audit)]
    assert lost == [], "\n".join(lost)


# --- command line --------------------------------------------------------------------------------


def test_parse_audit_prints_a_table_and_jsonl_rows(tmp_path: Path) -> None:
    write(tmp_path / "page.txt", listing_page())
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run_newsdesk("parse", "--audit", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"skipped {tmp_path / 'empty.txt'}: empty file\n"
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["path", "reason", "lines", "words"]
    assert any(line.startswith(str(tmp_path / "page.txt")) and " site chrome " in line for line in lines)
    assert any(line.startswith(str(tmp_path / "empty.txt")) and "file skipped: empty file" in line for line in lines)
    assert lines[-1].split() == ["total", "no", "reason", "0", "0"]

    result = run_newsdesk("parse", "--audit", str(tmp_path / "page.txt"), "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {(row["reason"], row["explained"]) for row in rows} == {(KEPT, True), (SITE_CHROME, True)}
    assert sum(row["words"] for row in rows) == len(listing_page().split())


def test_parse_audit_refuses_where_and_table_needs_audit(tmp_path: Path) -> None:
    page = str(write(tmp_path / "page.txt", listing_page()))
    for args in (("--audit", "--where", "gas"), ("--format", "table")):
        result = run_newsdesk("parse", page, *args)
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
