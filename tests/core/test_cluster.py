"""Extraction on a real local Dask cluster (2 worker processes) gives exactly the local keywords."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cluster import ClusterError
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


def test_unreachable_cluster_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ClusterError, match=f"cannot reach the cluster at tcp://127.0.0.1:{port}"):
        run_index(_articles(), cluster=f"tcp://127.0.0.1:{port}", cache_dir=tmp_path)
