"""Pages for the live tests: JSONL records of human-written news text, one file a page."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tui.corpus import ROWS


def write_page(path: Path, *titles: str) -> None:
    """A page of one article per title, each with a body of its own taken from ROWS."""
    lines = []
    for at, title in enumerate(titles):
        row = ROWS[at % len(ROWS)]
        lines.append(json.dumps({"title": title, "body": f"{row['body']}\n\n{title}.", "section": row.get("section")}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
