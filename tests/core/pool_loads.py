"""Loads in worker processes, as the pool tests watch them: one cold load and all it reported,
the worker processes alive, and a large table of real articles to load."""

from __future__ import annotations

import json
import os
import random
import signal
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from core.corpus import SIGHTING_ORDER, Corpus
from core.errors import Skipped
from core.ingest import load_corpus
from core.progress import LoadProgress
from core.snapshot import snapshot_path

REALTEXT = Path(__file__).resolve().parents[1] / "data" / "realtext"


def realtext_rows(count: int) -> list[dict[str, object]]:
    """Real Wikinews articles, English and Russian in turn, each once under a new number."""
    articles = [
        article
        for language in ("en", "ru")
        for article in json.loads((REALTEXT / f"wikinews-{language}.json").read_text(encoding="utf-8"))
    ]
    rng = random.Random(11)
    rows: list[dict[str, object]] = []
    for number in range(count):
        article = articles[number % len(articles)]
        paragraphs = article["paragraphs"][: rng.randint(1, len(article["paragraphs"]))]
        rows.append({
            "title": f"{article['title']} ({number})",
            "text": "\n\n".join(paragraphs),
            "section": rng.choice(["World", "Мир", None]),
            "url": article["source"],
            "date": f"2015-0{number % 9 + 1}-1{number % 9}",
        })
    return rows


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    """`rows` as JSON lines (every third ASCII-escaped), one line in the middle no reader parses."""
    lines = [json.dumps(row, ensure_ascii=number % 3 == 0) for number, row in enumerate(rows)]
    lines[len(lines) // 2] = "{a line no reader parses"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Load:
    """One cold load of `root` with its own cache: the corpus and everything it reported."""

    def __init__(self, root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> None:
        monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
        self.skipped: list[Skipped] = []
        self.reports: list[LoadProgress] = []
        self.warnings: list[str] = []
        self.corpus = load_corpus(
            [root], on_skip=self.skipped.append, progress=self.reports.append, warn=self.warnings.append, **options
        )
        articles = snapshot_path([root])
        self.stored_articles = pl.read_parquet(articles)
        sightings = articles.with_name(articles.name.replace(".parquet", ".sightings.parquet"))
        self.stored_sightings = pl.read_parquet(sightings).sort(SIGHTING_ORDER)


def spawned_workers() -> list[int]:
    """Live processes this process started with multiprocessing's spawn."""
    mine = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes()
        except OSError:  # it exited while we looked
            continue
        state, parent = fields[0], int(fields[1])
        if parent == mine and state != "Z" and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def load_killing_a_worker(
    root: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, when: Callable[[LoadProgress], bool] = lambda report: True
) -> tuple[Corpus, list[str]]:
    """A pooled load of `root` in which the first worker seen at a report `when` accepts is
    killed: the corpus and the warnings (a worker was killed, or the load fails)."""
    monkeypatch.setenv("NEWSDESK_CACHE_DIR", str(cache))
    killed: list[int] = []

    def kill_a_worker(report: LoadProgress) -> None:
        workers = spawned_workers()
        if not killed and workers and when(report):
            os.kill(workers[0], signal.SIGKILL)
            killed.append(workers[0])

    warnings: list[str] = []
    corpus = load_corpus([root], progress=kill_a_worker, warn=warnings.append, workers=2, pool_min_bytes=0)
    assert killed, "no worker was seen to kill"
    return corpus, warnings
