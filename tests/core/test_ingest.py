"""Ingest: encodings, formats, hygiene, de-duplication and skipped files, on real files."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import polars as pl
import pytest

from core.corpus import ARTICLE_SCHEMA, article_id
from core.errors import Skipped
from core.ingest import load_corpus

RUSSIAN_TITLE = "Переговоры в Москве завершились"
RUSSIAN_BODY = (
    "Министры иностранных дел обсудили торговлю, энергетику и безопасность в регионе. "
    "По словам участников, стороны договорились продолжить консультации в следующем месяце. "
    "Эксперты считают, что встреча стала важным шагом к восстановлению доверия между странами."
)
ENGLISH_BODY = (
    "The city council voted on Tuesday to expand the tram network to the northern suburbs. "
    "Construction is expected to begin next spring and to last about three years."
)


def _load(*paths: Path) -> tuple[pl.DataFrame, list[Skipped]]:
    skipped: list[Skipped] = []
    corpus = load_corpus(list(paths), on_skip=skipped.append)
    return corpus.articles, skipped


def test_frame_has_exactly_the_design_columns(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Trams go north\n\n{ENGLISH_BODY}\n", encoding="utf-8")
    frame, _ = _load(tmp_path)
    assert frame.schema == pl.Schema(ARTICLE_SCHEMA)


def test_cp1251_file_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "ru.txt").write_bytes(f"{RUSSIAN_TITLE}\n\n{RUSSIAN_BODY}\n".encode("cp1251"))
    frame, skipped = _load(tmp_path)
    assert skipped == []
    assert frame["title"].to_list() == [RUSSIAN_TITLE]
    assert frame["body"][0] == RUSSIAN_BODY
    assert frame["language"][0] == "ru"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_utf16_and_bom_files_are_decoded(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "u.txt").write_bytes(f"{RUSSIAN_TITLE}\n\n{RUSSIAN_BODY}\n".encode(encoding))
    frame, skipped = _load(tmp_path)
    assert skipped == []
    assert frame["title"].to_list() == [RUSSIAN_TITLE]


def test_latin1_file_is_decoded(tmp_path: Path) -> None:
    body = "Le café du coin a rouvert ses portes après des années de travaux, à la joie des habitants du quartier."
    (tmp_path / "fr.txt").write_bytes(f"Réouverture à Genève\n\n{body}\n".encode("latin-1"))
    frame, _ = _load(tmp_path)
    assert frame["title"].to_list() == ["Réouverture à Genève"]
    assert frame["body"][0] == body


def test_escape_sequences_and_controls_are_removed_everywhere(tmp_path: Path) -> None:
    rows = [
        {
            "title": "Clear\x1b[2J screen\x07",
            "body": "Set\x1b]0;owned\x07 title and \x1b]52;c;aGk=\x1b\\clipboard \x9b31mred\x00\x7f end",
            "section": "Sec\x1b[31mtion",
            "source": "Wire\x85",
        }
    ]
    (tmp_path / "t.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    frame, _ = _load(tmp_path)
    row = frame.row(0, named=True)
    assert row["title"] == "Clear screen"
    assert row["body"] == "Set title and clipboard red end"
    assert (row["section"], row["source"]) == ("Section", "Wire")
    for value in frame.select(pl.col(pl.String)).row(0):
        assert value is None or not any(ord(c) < 32 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F for c in value)


def test_markup_like_text_is_kept_literally(tmp_path: Path) -> None:
    title = "[bold]x[/] [/] [@click=app.quit]y[/]"
    (tmp_path / "m.txt").write_text(f"{title}\n\nBody with [red]markup[/red].\n", encoding="utf-8")
    frame, _ = _load(tmp_path)
    assert frame["title"].to_list() == [title]
    assert frame["body"].to_list() == ["Body with [red]markup[/red]."]


def test_duplicate_article_across_files_is_one_row_with_copies(tmp_path: Path) -> None:
    text = f"Trams go north\n\n{ENGLISH_BODY}\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_text(text.replace("\n", "\r\n").upper().lower(), encoding="utf-8")
    frame, _ = _load(tmp_path)
    assert frame.height == 1
    assert frame["copies"].to_list() == [2]
    assert frame["path"].to_list() == [str(tmp_path / "a.txt")]
    assert frame["id"][0] == article_id("Trams go north", ENGLISH_BODY)


def test_ids_are_stable_and_content_addressed(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(f"Trams go north\n\n{ENGLISH_BODY}\n", encoding="utf-8")
    first, _ = _load(tmp_path)
    (tmp_path / "a.txt").rename(tmp_path / "renamed.txt")
    second, _ = _load(tmp_path)
    assert first["id"].to_list() == second["id"].to_list()
    assert len(first["id"][0]) == 16 and int(first["id"][0], 16) >= 0


def test_jsonl_csv_json_and_parquet_inputs_map_columns(tmp_path: Path) -> None:
    rows = [
        {"Headline": "Row one", "TEXT": "First body.", "Category": "World", "Date": "2024-03-05", "Link": "https://e.x/1", "Publisher": "Wire", "extra": 1},
        {"Headline": "Row two", "TEXT": "Second body.", "Category": "Sport", "Date": "not a date", "Link": None, "Publisher": None, "extra": 2},
    ]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n{broken\n", encoding="utf-8")
    pl.DataFrame(rows).with_columns(pl.col("Headline") + " csv").write_csv(tmp_path / "b.csv")
    (tmp_path / "c.json").write_text(json.dumps([{**r, "Headline": r["Headline"] + " json"} for r in rows]), encoding="utf-8")
    pl.DataFrame(rows).with_columns(pl.col("Headline") + " pq").write_parquet(tmp_path / "d.parquet")
    frame, skipped = _load(tmp_path)
    assert skipped == []
    assert frame["title"].to_list() == [
        "Row one", "Row two", "Row one csv", "Row two csv", "Row one json", "Row two json", "Row one pq", "Row two pq"
    ]
    first = frame.row(0, named=True)
    assert (first["body"], first["section"], first["source"], first["url"]) == ("First body.", "World", "Wire", "https://e.x/1")
    assert str(first["date"]) == "2024-03-05"
    assert frame.filter(pl.col("title") == "Row two")["date"].to_list() == [None]


def test_jsonl_rows_keep_keys_first_seen_late_and_text_with_unicode_line_separators(tmp_path: Path) -> None:
    lines = [
        json.dumps({"body": "Untitled first line\nand the rest."}),
        json.dumps({"title": "Second", "body": "Body two.", "section": "Late"}),
        json.dumps({"title": "Third"}, ensure_ascii=False),
        # Raw U+2028 and U+2029 are legal inside JSON strings: the line is one record.
        json.dumps({"title": "Fourth", "body": "Before\u2028after\u2029end."}, ensure_ascii=False),
        "",
        "{not json",
    ]
    (tmp_path / "a.jsonl").write_text("\r\n".join(lines), encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\r".join(json.dumps({"title": f"Old Mac {n}"}) for n in range(2)), encoding="utf-8")
    frame, skipped = _load(tmp_path)
    assert skipped == []
    assert frame["title"].to_list() == ["Untitled first line", "Second", "Third", "Fourth", "Old Mac 0", "Old Mac 1"]
    assert frame["section"].to_list() == [None, "Late", None, None, None, None]
    fourth = frame.row(3, named=True)
    assert "Before" in fourth["body"] and "after" in fourth["body"] and "end." in fourth["body"]


def test_table_without_title_or_body_is_skipped_with_reason(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    frame, skipped = _load(tmp_path)
    assert frame.height == 0
    assert skipped == [Skipped(str(tmp_path / "x.csv"), "no title or body column (columns: a, b)")]


def test_html_page_through_the_extractor(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><title>Bridge reopens | Daily</title></head><body>"
        "<nav><a href='/'>Home</a> | <a href='/about'>About us</a></nav>"
        "<article><h1>Bridge reopens after repairs</h1>"
        f"<p>{ENGLISH_BODY}</p><p>Drivers were advised to expect delays during the first week.</p></article>"
        "<footer>Copyright Daily News. All rights reserved.</footer></body></html>"
    )
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    frame, skipped = _load(tmp_path)
    assert skipped == []
    row = frame.row(0, named=True)
    assert "Bridge reopens" in row["title"]
    assert ENGLISH_BODY in row["body"]
    assert "Copyright" not in row["body"] and "About us" not in row["body"]


def test_gzip_of_text_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(f"Trams go north\n\n{ENGLISH_BODY}\n".encode()))
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(json.dumps({"title": "Zipped", "body": "Inside."}).encode()))
    (tmp_path / "c.txt.gz").write_bytes(b"not gzip at all")
    frame, skipped = _load(tmp_path)
    assert frame["title"].to_list() == ["Trams go north", "Zipped"]
    assert [s.path for s in skipped] == [str(tmp_path / "c.txt.gz")]
    assert skipped[0].reason.startswith("not a valid gzip file")


def test_empty_binary_and_unreadable_files_are_skipped_with_reasons(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "good.txt").write_text(f"Trams go north\n\n{ENGLISH_BODY}\n", encoding="utf-8")
    frame, skipped = _load(tmp_path)
    assert frame["title"].to_list() == ["Trams go north"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons == {
        "dangling.txt": "No such file or directory",
        "empty.txt": "empty file",
        "image.png": "binary file (not text in any known encoding)",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied_file_is_skipped(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("Title\n\nBody.\n", encoding="utf-8")
    locked.chmod(0)
    _, skipped = _load(tmp_path)
    assert skipped == [Skipped(str(locked), "Permission denied")]


def test_walk_is_sorted_recursive_and_skips_hidden_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "corpus" / "cache"
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
    root = tmp_path / "corpus"
    for relative, title in [("b/2.txt", "Two"), ("a/1.txt", "One"), ("c.txt", "Three"), (".hidden/x.txt", "Hidden"),
                            ("cache/k.txt", "Cached"), (".dot.txt", "Dotfile")]:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{title}\n\nBody of {title.lower()} is here.\n", encoding="utf-8")
    (root / "a" / "loop").symlink_to(root, target_is_directory=True)
    frame, _ = _load(root)
    assert frame["title"].to_list() == ["One", "Two", "Three"]


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as handle:
        handle.truncate(1024**3)
    _, skipped = _load(tmp_path)
    assert len(skipped) == 1 and skipped[0].reason.startswith("too large (1024 MiB")


def test_symlinked_folders_are_followed_once(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("Outside\n\nA linked article body.\n", encoding="utf-8")
    root = tmp_path / "root"
    root.mkdir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "link2").symlink_to(outside, target_is_directory=True)
    (root / "self").symlink_to(root, target_is_directory=True)
    frame = load_corpus([root], follow_links=True).articles
    assert frame["title"].to_list() == ["Outside"]
    assert frame["copies"].to_list() == [1]


def test_pipes_and_devices_are_skipped_as_not_regular_files(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "ok.txt").write_text("Fine\n\nA fine body.\n", encoding="utf-8")
    skipped: list[Skipped] = []
    corpus = load_corpus([tmp_path, Path("/dev/zero")], on_skip=skipped.append, use_snapshot=False)
    assert corpus.articles["title"].to_list() == ["Fine"]
    assert {s.reason for s in skipped} == {"not a regular file (a pipe, device or socket)"}
    assert len(skipped) == 2
