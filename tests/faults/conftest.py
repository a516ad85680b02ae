"""Fixtures for the fault tests: every process a test starts is killed (its whole group) at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.faults.harness import Runs


@pytest.fixture
def runs() -> Iterator[Runs]:
    """Start `newsdesk` processes with `runs.start(...)`; their process groups die with the test."""
    started = Runs()
    try:
        yield started
    finally:
        started.close()
