"""Extraction on a real local Dask cluster (2 worker processes) gives exactly the local keywords."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.corpus import RawArticle, build_corpus
from core.index import run_index

distributed = pytest.importorskip("distributed", reason="Dask distributed (the cluster extra) is not installed")

TOPICS = [
    ("Harbour expansion approved", "The city council approved the harbour expansion after a long debate about costs."),
    ("Wind farm opens offshore", "A new offshore wind farm began supplying power to forty thousand homes this week."),
    ("Rail strike ends", "Train drivers ended their strike after the union accepted a new pay offer from operators."),
    ("Museum returns artefacts", "The national museum returned bronze artefacts to the country they were taken from."),
    ("Drought hits farmers", "Farmers in the southern valleys reported the worst harvest in decades after the drought."),
]


@pytest.fixture(scope="module")
def local_cluster() -> Iterator[str]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def _articles():  # type: ignore[no-untyped-def]
    raws = [
        RawArticle(title=f"{title} ({n})", body=f"{body} Report number {n} followed. " * 3, path="mem.txt")
        for n in range(12)
        for title, body in TOPICS
    ]
    return build_corpus(raws).articles


def test_cluster_keywords_equal_local_keywords(local_cluster: str, tmp_path: Path) -> None:
    articles = _articles()
    local = run_index(articles, processes=1, cache_dir=tmp_path / "local")
    remote = run_index(articles, cluster=local_cluster, cache_dir=tmp_path / "cluster")
    assert remote.progress.extracted == articles.height == 60
    assert remote.keywords.equals(local.keywords)
    warm = run_index(articles, processes=1, cache_dir=tmp_path / "cluster")
    assert warm.progress.cached == 60 and warm.keywords.equals(local.keywords)


def test_cli_index_on_the_cluster_and_an_unreachable_one(local_cluster: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number, (title, body) in enumerate(TOPICS):
        (corpus / f"{number}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    env = {"NEWSDESK_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    repo = Path(__file__).resolve().parents[2]
    ok = subprocess.run(
        [sys.executable, "-m", "core.commands", "index", str(corpus), "--cluster", local_cluster],
        cwd=repo, env=env, capture_output=True, text=True, timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.strip().endswith("docs/s") and "(5 extracted, 0 cached)" in ok.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bad = subprocess.run(
        [sys.executable, "-m", "core.commands", "index", str(corpus), "--cluster", f"tcp://127.0.0.1:{port}"],
        cwd=repo, env={**env, "NEWSDESK_CACHE_DIR": str(tmp_path / "other")}, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode == 1
    assert bad.stderr.startswith(f"newsdesk: cannot reach the cluster at tcp://127.0.0.1:{port}")
    assert len(bad.stderr.strip().splitlines()) == 1
