"""How the HTML reader's article text compares with a benchmark's ground truth, next to trafilatura's.

    uv run python -m bench.html --pages DIR [--worst 10]

DIR is a checkout of scrapinghub's article-extraction-benchmark (181 real news pages, each
`html/<key>.html.gz`, and `ground-truth.json` with each page's `articleBody`); the pages are
not openly licensed, so they are never kept here (`fetch github:scrapinghub/article-extraction-benchmark`
mirrors them). Each page is read as `newsdesk` reads an HTML file (`core.read.read_bytes`),
and by `trafilatura.extract` alone. The score is the benchmark's own: shingles of four word
tokens, true and false positives and false negatives per page, normalised so a long page
weighs as much as a short one, then averaged into precision, recall and F1. The pages with
the lowest recall are listed: text the reader lost, or (as often) links and teasers the
ground truth counts as the article.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
from collections import Counter
from pathlib import Path

from core.read import read_bytes

_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match(true: str, predicted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of `predicted` against `true`, normalised to sum to 1 (the benchmark's way)."""
    want, got = _shingles(true), _shingles(predicted)
    tp = float(sum((want & got).values()))
    fp = float(sum((got - want).values()))
    fn = float(sum((want - got).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision, recall and F1 from per-page (tp, fp, fn)."""
    tp, fp, fn = (statistics.fmean(values) for values in zip(*rows, strict=True))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 2 * precision * recall / (precision + recall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True, help="a checkout of the article-extraction-benchmark")
    parser.add_argument("--worst", type=int, default=10, help="pages of lowest recall to list")
    args = parser.parse_args(argv)
    import trafilatura

    truth = json.loads((args.pages / "ground-truth.json").read_text(encoding="utf-8"))
    ours: list[tuple[float, float, float]] = []
    theirs: list[tuple[float, float, float]] = []
    recall_by_page: list[tuple[float, str]] = []
    for key, page in truth.items():
        data = gzip.decompress((args.pages / "html" / f"{key}.html.gz").read_bytes())
        body = "\n".join(article.body for article in read_bytes(data, "page.html", "page.html"))
        ours.append(match(page["articleBody"], body))
        theirs.append(match(page["articleBody"], trafilatura.extract(data.decode("utf-8", "replace")) or ""))
        tp, _, fn = ours[-1]
        recall_by_page.append((tp / (tp + fn) if tp + fn else 1.0, page.get("url", key)))
    commit = subprocess.run(["git", "-C", str(args.pages), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip() or "?"
    print(f"{len(truth)} pages (article-extraction-benchmark {commit})")
    for name, rows in (("newsdesk", ours), ("trafilatura.extract", theirs)):
        precision, recall, f1 = scores(rows)
        print(f"  {name:20s} F1 {f1:.3f}  precision {precision:.3f}  recall {recall:.3f}")
    print(f"lowest recall (newsdesk), {args.worst} pages:")
    for recall, url in sorted(recall_by_page)[: args.worst]:
        print(f"  {recall:.2f}  {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
