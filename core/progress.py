"""How far a load is: the report a load's `progress` handler hears about every file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.corpus import Corpus


@dataclass(frozen=True, slots=True)
class LoadProgress:
    """Where a load is: files and bytes done of the total, and the corpus found so far."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int
    elapsed: float
    partial: Corpus | None
    """The articles found so far (None when this report carries no new rows)."""
    languages_due: bool = False
    """Every row is in (`partial` holds them all), but the languages of some are still to
    come (null until then): the load's result has them."""

    @property
    def bytes_per_second(self) -> float:
        return self.bytes_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        rate = self.bytes_per_second
        return (self.bytes_total - self.bytes_done) / rate if rate > 0 else None


ProgressHandler = Callable[[LoadProgress], None]
PARTIAL_EVERY_SECONDS = 0.5
"""While a load runs, how often the corpus found so far is reported."""
