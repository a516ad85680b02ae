"""The keyword benchmark's pieces that need no gold set: its docs block and its LIAAD reader."""

from __future__ import annotations

import zipfile
from pathlib import Path

from bench.keywords import BLOCK_END, BLOCK_START, load_sets, write_docs


def test_docs_block_is_created_then_replaced(tmp_path: Path) -> None:
    docs = tmp_path / "performance.md"
    docs.write_text("# Performance\n\n## Keywords\n\nProse stays.\n\n## Later\n\nkept\n", encoding="utf-8")
    write_docs("| first |", docs)
    write_docs("| second |", docs)
    text = docs.read_text(encoding="utf-8")
    assert text.count(BLOCK_START) == 1 and text.count(BLOCK_END) == 1
    assert "| second |" in text and "| first |" not in text
    assert text.index("## Keywords") < text.index(BLOCK_START) < text.index("Prose stays.") < text.index("## Later")
    missing = tmp_path / "none.md"
    write_docs("| only |", missing)
    assert "## Keywords" in missing.read_text(encoding="utf-8")


def test_liaad_zip_is_read_as_it_is(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "WikiNews.zip", "w") as archive:
        archive.writestr("WKC/docsutf8/1.txt", "\n\tTitre : essai\n\n\tTitre : essai\n\n\tLe corps du texte.\n")
        archive.writestr("WKC/keys/1.key", "essai\ncorps\n")
        archive.writestr("WKC/keys/2.key", "sans texte\n")
    [gold_set] = load_sets([tmp_path], ["wikinews-fr"])
    [document] = gold_set.documents
    assert (document.title, document.body, document.keyphrases) == ("Titre : essai", "Le corps du texte.", ("essai", "corps"))
