"""The audit of a JSONL file whose every row brings keys of its own (a log of events, or a
file made to exhaust memory) costs memory linear in the file, and still names every word.

Every key used to become a column padded to every row: 5,000 rows of one new key each held
25 million cells (the square of the file) before a word was counted."""

from __future__ import annotations

import json
import tracemalloc

from core.audit_model import EMPTY_ROW, FileAudit
from core.audit_tables import audit_table
from core.corpus import RawArticle

ROWS = 5_000


def test_rows_with_keys_of_their_own_are_audited_in_linear_memory() -> None:
    lines = [json.dumps({"title": f"Ferry crossing {n} resumes", f"note{n}": "tide table checked twice"}) for n in range(ROWS)]
    lines.append(json.dumps({"extra": "a row without title or body"}))
    records = [RawArticle(title=f"Ferry crossing {n} resumes", body="", path="wide.jsonl") for n in range(ROWS)]
    result = FileAudit("wide.jsonl")
    tracemalloc.start()
    try:
        audit_table("\n".join(lines), "wide.jsonl", records, set(), result)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert result.kept.lines == ROWS and result.kept.words == 4 * ROWS
    assert result.dropped["unmapped column note0"].words == 4
    assert result.dropped[f"unmapped column note{ROWS - 1}"].words == 4
    assert result.dropped[EMPTY_ROW].lines == 1 and result.dropped[EMPTY_ROW].words == 6
    assert sum(tally.words for tally in result.dropped.values()) == 4 * ROWS + 6
    assert not result.blocks
