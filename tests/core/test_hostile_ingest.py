"""Ingest of the hostile corpus: nothing raises, nothing unsafe survives, nothing is lost."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from core.errors import Skipped
from core.ingest import load_corpus
from tests.data.hostile import write_hostile_corpus

UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[pl.DataFrame, list[Skipped], list]:
    root = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_corpus(root)
    skipped: list[Skipped] = []
    corpus = load_corpus([root], on_skip=skipped.append, use_snapshot=False)
    return corpus.articles, skipped, expected


def test_every_hostile_article_survives_with_its_title(hostile) -> None:  # type: ignore[no-untyped-def]
    articles, _, expected = hostile
    titles = set(articles["title"].to_list())
    for item in expected:
        assert item.expected_title in titles, item.file


def test_no_string_field_holds_a_control_character_or_escape(hostile) -> None:  # type: ignore[no-untyped-def]
    articles, _, _ = hostile
    for row in articles.iter_rows(named=True):
        for name, value in row.items():
            values = value if isinstance(value, list) else [value]
            for text in values:
                if isinstance(text, str):
                    assert UNSAFE.search(text) is None, (name, row["title"])


def test_unusable_files_are_skipped_with_reasons(hostile) -> None:  # type: ignore[no-untyped-def]
    _, skipped, _ = hostile
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["sparse-gigabyte.txt"].startswith("too large")
    assert reasons["binary.dat"].startswith("binary file")
    assert reasons["dangling.txt"] == "No such file or directory"
    assert reasons["markers.txt"] == "no articles found"


def test_a_file_vanishing_during_the_walk_is_skipped(tmp_path: Path) -> None:
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"{name}\n\nBody of {name}.\n", encoding="utf-8")
    skipped: list[Skipped] = []

    def vanish(report) -> None:  # type: ignore[no-untyped-def]
        (tmp_path / "b.txt").unlink(missing_ok=True)

    corpus = load_corpus([tmp_path], on_skip=skipped.append, progress=vanish, use_snapshot=False)
    assert corpus.articles["title"].to_list() == ["a.txt"]
    assert skipped == [Skipped(str(tmp_path / "b.txt"), "No such file or directory")]


def test_parquet_footers_that_do_not_fit_the_file_are_refused_before_any_native_read() -> None:
    from core.errors import UnreadableFile
    from core.parquet_check import check_parquet
    from tests.faults.parquet_damage import valid_parquet, with_column_field, with_footer_length

    good = valid_parquet()
    assert check_parquet(good).rows == 40
    damaged = {
        "no-magic": (b"XXXX" + good[4:], "not a Parquet file (no PAR1 marker at both ends)"),
        "footer-length": (with_footer_length(good, 2**31 - 1), "damaged Parquet file (footer length 2,147,483,647 bytes"),
        "values": (with_column_field(good, 5, 2**61), "damaged Parquet file (2,305,843,009,213,693,952 values in a column of 40 rows)"),
        "compressed-size": (with_column_field(good, 7, 2**40), "damaged Parquet file (column chunk of 1,099,511,627,776 bytes"),
        "truncated": (good[: len(good) // 2] + good[-8:], "damaged Parquet file (footer"),
    }
    for name, (data, reason) in damaged.items():
        with pytest.raises(UnreadableFile) as caught:
            check_parquet(data)
        assert str(caught.value).startswith(reason), (name, str(caught.value))


def _gz_page(path: Path, title: str, size: int, seed: int) -> None:
    import gzip
    import random

    words = "harbour ferry council storm winter lighthouse keeper timetable board crossing north cape".split()
    generator = random.Random(seed)
    body = " ".join(generator.choice(words) for _ in range(size // 6))[:size]
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(f"{title}\n\n{body}\n")


def test_the_decompression_cap_is_spent_in_walk_order_with_or_without_a_parse_pool(tmp_path: Path) -> None:
    """Compressed files are read by the process that holds the corpus's budget, so which
    file crosses the cap does not depend on how the other files were shared out."""
    for number in range(300):  # two batches of plain pages for the pool
        (tmp_path / f"p{number:03}.txt").write_text(f"Plain page {number}\n\nBody {number}.\n", encoding="utf-8")
    for number in (0, 100, 200, 299):
        _gz_page(tmp_path / f"p{number:03}z.txt.gz", f"Compressed page {number}", 300_000, number)
    results = []
    for workers in (1, 2):
        skipped: list[Skipped] = []
        corpus = load_corpus(
            [tmp_path], on_skip=skipped.append, use_snapshot=False, workers=workers, pool_min_bytes=0,
            max_decompressed=700_000,
        )
        results.append((sorted(corpus.articles["title"].to_list()), skipped))
    assert results[0] == results[1]
    titles, skipped = results[0]
    assert [Path(s.path).name for s in skipped] == ["p200z.txt.gz", "p299z.txt.gz"]
    assert {s.reason for s in skipped} == {
        "over the corpus decompression cap (0.667572 MiB; setting max_decompressed_mib or NEWSDESK_MAX_DECOMPRESSED_MIB)"
    }
    assert {"Compressed page 0", "Compressed page 100"} <= set(titles) and len(titles) == 302


def test_links_out_of_the_given_paths_are_skipped_unless_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("Outside title\n\nOutside body.\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "inside.txt").write_text("Inside title\n\nInside body.\n", encoding="utf-8")
    (corpus / "leak.txt").symlink_to(outside)
    (corpus / "again.txt").symlink_to(corpus / "sub" / "inside.txt")  # inside: read
    skipped: list[Skipped] = []
    corpus_titles = load_corpus([corpus], on_skip=skipped.append, use_snapshot=False).articles["title"].to_list()
    assert corpus_titles == ["Inside title"]
    assert skipped == [Skipped(str(corpus / "leak.txt"), "link to a file outside the given paths (use --follow-links)")]
    followed = load_corpus([corpus], use_snapshot=False, follow_links=True).articles["title"].to_list()
    assert sorted(followed) == ["Inside title", "Outside title"]


def test_a_followed_link_to_the_disk_root_a_folder_above_or_the_kernel_files_is_not_walked(tmp_path: Path) -> None:
    """`--follow-links` on a corpus holding `root -> /` walked the whole disk and /proc (over
    100 s here, and never ending on a large disk)."""
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "inside.txt").write_text("Inside title\n\nInside body.\n", encoding="utf-8")
    (tmp_path / "sibling.txt").write_text("Sibling title\n\nSibling body.\n", encoding="utf-8")
    (corpus / "sub" / "root").symlink_to("/")
    (corpus / "sub" / "above").symlink_to(tmp_path)
    (corpus / "sub" / "proc").symlink_to("/proc/self")
    (corpus / "sub" / "itself").symlink_to(corpus)  # the corpus again: walked once, silently
    skipped: list[Skipped] = []
    corpus_titles = load_corpus([corpus], on_skip=skipped.append, use_snapshot=False, follow_links=True)
    assert corpus_titles.articles["title"].to_list() == ["Inside title"]
    assert sorted(skipped, key=lambda skip: skip.path) == [
        Skipped(str(corpus / "sub" / "above"), "link to a folder above the given paths (not followed, even with --follow-links)"),
        Skipped(str(corpus / "sub" / "proc"), "link to the system's own files (not followed, even with --follow-links)"),
        Skipped(str(corpus / "sub" / "root"), "link to a folder above the given paths (not followed, even with --follow-links)"),
    ]
