"""JSON lines read by Polars' native reader give the columns Python's json gives, field by
field, or are left to Python's json: every tricky line is checked both ways."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from core import table_stream, tables

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_f28cf99939672350.txt"


def _plain_lines() -> list[bytes]:
    """Real text from the seed page, one article a line, as a scraper's export writes it."""
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    lines = []
    for number, paragraph in enumerate(paragraphs):
        row = {"title": paragraph[:60], "body": paragraph, "section": "World", "date": "2021-03-04",
               "url": f"https://example.org/{number}", "tags": ["a", "b"], "views": number, "meta": {"x": [1]}}
        lines.append(json.dumps(row, ensure_ascii=number % 2 == 0).encode("utf-8"))
    return lines


def _python(data: bytes) -> pl.DataFrame:
    return tables.raw_frame(tables._read_json(data.decode("utf-8", "surrogatepass")))


# Lines the native reader must read as Python's json does.
SAME = [
    rb'{"title": "Quote \" backslash \\ tab \t newline \n", "body": "x"}',
    rb'{"title": "\u00e9\u2028\u2029 sep", "body": "\u201ccurly\u201d"}',
    rb'{"title": "pair \ud83d\ude00", "body": "y"}',
    rb'{"title": null, "body": "only a body\nwith lines"}',
    rb'{"headline": "an alias", "content": "another"}',
    rb'  {"title" :  "spaced colon" , "body":"b"}  ',
    rb'{"title": "\/slash \u001f unit separator", "body": "z"}',
    rb'{"title": "big number elsewhere", "n": 123456789012345678901234567890}',
    rb'{}',
    b'{"title": "raw UTF-8 \xe2\x80\x9c\xc3\xa9\xe2\x80\x9d", "body": "\xe4\xb8\xad\xe6\x96\x87"}',
    b'{"title": "raw DEL \x7f and C1 \xc2\x85\xc2\x9b controls", "body": "\xe2\x80\xa8 raw separator"}',
]
# Lines on which the native reader would differ: the batch is left to Python's json.
DIFFERENT = {
    "duplicate key": rb'{"title": "first", "title": "last"}',
    "lone surrogate": rb'{"title": "lone \ud800 x", "body": "y"}',
    "lone low surrogate": rb'{"title": "lone \udc00 x", "body": "y"}',
    "zero character": rb'{"title": "\u0000 read as a lone surrogate is", "body": "z"}',
    "number": rb'{"title": 5, "body": "x"}',
    "float": rb'{"title": "a", "body": 1e5}',
    "boolean": rb'{"title": true}',
    "list": rb'{"title": "a", "body": ["one", "two"]}',
    "object": rb'{"title": "a", "body": {"x": 1}}',
    "two spellings": rb'{"title": "a"}' + b"\n" + rb'{"Title": "b"}',
    "escaped key": rb'{"ti\u0074le": "escaped key", "body": "x"}',
    "escaped key, then the plain one": rb'{"ti\u0074le": "first", "title": "last", "body": "x"}',
    "plain key, then the escaped one": rb'{"title": "first", "ti\u0074le": "last", "body": "x"}',
    "duplicate key, the last null": rb'{"title": "first", "title": null, "body": "x"}',
    "duplicate key, the first null": rb'{"title": null, "title": "last", "body": "x"}',
    "nested title": rb'{"title": "a", "meta": {"title": "b"}}',
    "bad line": b"{not json",
    "null line": b"null",
    "array line": b"[1, 2]",
    "NaN": rb'{"title": "a", "body": NaN}',
    "5,000 digits": b'{"title": "a", "views": ' + b"9" * 5000 + b"}",
    "deep": b'{"title": "a", "x": ' + b"[" * 100 + b"]" * 100 + b"}",
    "very deep": b'{"title": "a", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "invalid UTF-8": b'{"title": "caf\xe9"}',
    "encoded surrogate": b'{"title": "x \xed\xa0\x80"}',
    "raw control": b'{"title": "a\tb"}',
    "vertical tab": b'\x0b{"title": "a"}',
    "CR inside": b'{"title": "a"}\r{"title": "b"}',
}


@pytest.mark.parametrize("spelled", [lambda line: line, lambda line: line.replace(b'"title"', b'"Title"').replace(b'"body"', b'"BODY"')])
def test_plain_lines_are_read_natively_as_python_reads_them(spelled: Callable[[bytes], bytes]) -> None:
    lines = [spelled(line) for line in _plain_lines() + SAME]
    data = b"\n".join(lines[:7]) + b"\r\n" + b"\n\n".join(lines[7:]) + b"\n  \n"
    native = tables.json_lines_natively(data)
    assert native is not None
    got, expected = tables.raw_frame(native), _python(data)
    assert got.height == expected.height == len(lines)
    assert got.schema == expected.schema
    for name in expected.columns:
        assert got[name].to_list() == expected[name].to_list(), name


@pytest.mark.parametrize("name", list(DIFFERENT))
def test_a_line_the_native_reader_could_read_otherwise_leaves_the_batch_to_python(name: str) -> None:
    data = b"\n".join([*_plain_lines()[:5], DIFFERENT[name], *SAME[:3]]) + b"\n"
    assert tables.json_lines_natively(data) is None


def test_a_streamed_table_gives_the_rows_of_a_whole_read_whatever_reads_each_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.ingest import decode

    plain, odd = _plain_lines(), [line.split(b"\n")[0] for line in DIFFERENT.values()]
    lines = []
    for number in range(12_000):  # early batches read natively, later ones each with an odd line
        lines.append(plain[number % len(plain)])
        if number >= 4_000 and number % 1_000 == 0:
            lines.append(odd[number // 1_000 % len(odd)])
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / "export.jsonl"
    path.write_bytes(data)
    native: list[bool] = []
    reader = tables.json_lines_natively
    monkeypatch.setattr(tables, "json_lines_natively", lambda batch: native.append(reader(batch) is not None) or reader(batch))
    streamed = pl.concat([frame for frame, _ in table_stream.stream_text_table(path, ".jsonl", "x", decode, 2**30)])
    assert True in native and False in native
    whole = _python(data)
    assert streamed.height == whole.height
    for name in whole.columns:
        assert streamed[name].to_list() == whole[name].to_list(), name


def test_a_lone_surrogate_becomes_a_replacement_character_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(rb'{"title": "lone \ud800 here", "body": "pair \ud83d\ude00"}' + b"\n")
    rows = tables.read_text_table(path.read_text(encoding="utf-8"), ".jsonl", str(path))
    assert [(row.title, row.body) for row in rows] == [("lone \ufffd here", "pair \U0001f600")]
