"""core.read_ahead: items in order, a failure where it happened, and an early stop that closes the source."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from core.read_ahead import read_ahead


def test_items_come_in_order_and_all_of_them() -> None:
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))


def test_the_items_are_made_on_another_thread() -> None:
    def source() -> Iterator[str]:
        yield threading.current_thread().name

    assert list(read_ahead(source(), name="reader")) == ["reader"]


def test_a_failure_is_raised_where_its_item_would_have_come() -> None:
    def source() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("bad batch")

    seen: list[int] = []
    with pytest.raises(ValueError, match="bad batch"):
        for item in read_ahead(source()):
            seen.append(item)
    assert seen == [1, 2]


def test_an_early_stop_ends_the_producer_and_closes_the_source() -> None:
    closed = threading.Event()
    made: list[int] = []

    def source() -> Iterator[int]:
        try:
            for number in range(1_000_000):
                made.append(number)
                yield number
        finally:
            closed.set()

    items = read_ahead(source())
    assert next(items) == 0
    items.close()
    assert closed.wait(5)
    time.sleep(0.3)  # the producer made at most the items the queue held, then stopped
    assert len(made) <= 4
