"""A legacy-encoded (cp1251) table whose later batches are mostly ASCII, as JSONL or CSV: judged
on its own, such a batch reads as cp1250 (`Ďóňčí` for `Путин`)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

LAST_TITLE = "Путин прибыл в Сочи"


def write_legacy_table(folder: Path, suffix: str, ferries: int) -> tuple[Path, list[dict[str, str]]]:
    """4,000 Russian rows, `ferries` English ones, then one Russian row, written in cp1251
    as `export<suffix>`; the file and its rows."""
    russian = "Посольство России в США призвало прекратить русофобские измышления о выборах"
    rows = [{"title": f"Новость {i}", "body": f"{russian}, сообщение {i}."} for i in range(4_000)]
    rows += [{"title": f"Ferry report {i}", "body": "The harbour board met again about the night ferries."} for i in range(ferries)]
    rows.append({"title": LAST_TITLE, "body": "Short line in plain words about the ferry timetable."})
    if suffix == ".csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["title", "body"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = out.getvalue()
    else:
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path = folder / f"export{suffix}"
    path.write_bytes(text.encode("cp1251"))
    return path, rows
