"""Keyword extraction on a Dask distributed cluster (the optional `newsdesk[cluster]` extra).

`cluster_executor(address)` connects to a running scheduler and returns its
`concurrent.futures` executor, so `core.index` drives a cluster exactly like its local
process pool: chunks go out, finished chunks come back and are written to the same cache
the app reads. Every worker needs newsdesk installed (`pip install 'newsdesk[cluster]'`),
at the same version as the machine that submits.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager

CONNECT_TIMEOUT = "10s"


class ClusterError(Exception):
    """The cluster cannot be used; the message is the one-line reason."""


@contextmanager
def cluster_executor(address: str) -> Iterator[Executor]:
    """A `concurrent.futures` executor backed by the Dask scheduler at `address`."""
    try:
        from distributed import Client
    except ImportError as error:
        raise ClusterError("cluster support is not installed: install newsdesk[cluster] (Dask distributed)") from error
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ClusterError(f"cannot reach the cluster at {address}: {error}") from error
    try:
        with client.get_executor(pure=False) as executor:
            yield executor
    finally:
        client.close()


def cluster_workers(executor: Executor) -> int:
    """How many worker threads the cluster has (at least 1), to size the chunks."""
    client = getattr(executor, "_client", None)
    if client is None:
        return 1
    return max(1, sum(client.nthreads().values()))
