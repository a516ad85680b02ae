"""An iterator advanced on a thread of its own, one item ahead of its consumer.

A large table is read in batches, and each batch is then cleaned and identified: while the
consumer works on one batch (mostly Python, holding the interpreter), the next is read and
parsed (mostly native code that lets go of it), so on a second core the two overlap.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from queue import Empty, Full, Queue
from typing import TypeVar

T = TypeVar("T")

_ITEM, _ERROR, _END = range(3)
_POLL_SECONDS = 0.1
"""How often a producer waiting on a full queue looks whether its consumer has gone."""


def read_ahead(items: Iterator[T], name: str = "read-ahead") -> Iterator[T]:
    """The items of `items`, in order, the next one made while the consumer holds the last.

    An exception `items` raises is raised here, where its item would have come. When the
    consumer stops early (closes this generator, or fails), the producer stops at its next
    item and closes `items` on its own thread."""
    queue: Queue[tuple[int, object]] = Queue(maxsize=1)
    stop = threading.Event()

    def put(entry: tuple[int, object]) -> bool:
        while not stop.is_set():
            try:
                queue.put(entry, timeout=_POLL_SECONDS)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((_ITEM, item)):
                    return
            put((_END, None))
        except BaseException as error:  # handed to the consumer, which raises it
            put((_ERROR, error))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            try:
                kind, value = queue.get(timeout=_POLL_SECONDS)
            except Empty:
                if not thread.is_alive() and queue.empty():
                    return  # the producer ended without a word (it cannot, but never wait forever)
                continue
            if kind == _END:
                return
            if kind == _ERROR:
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]
    finally:
        stop.set()
