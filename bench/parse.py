"""Parse throughput on a generated corpus in the listing template, next to a read-and-split floor.

    uv run python -m bench.parse [--articles 20000] [--runs 5] [--write-docs]

Prints MB/s and articles/s for: the floor (read every file and split it into lines), the
page parser alone (core.scrape.parse_page over decoded text), the whole ingest
(decode, parse, clean, detect language, de-duplicate, build the Polars frame) in one
process and with a worker process per CPU (when the corpus is large enough to start them),
and a re-open of the unchanged corpus from its snapshot.
Target: the page parser >= 30 MB/s on one core; the full cold ingest's rate is shown against
the same 30 MB/s. With --runs N each of those is timed N times (median, and the range).
`--write-docs` puts the table of the run in docs/performance.md (block `bench:parse`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus_gen import write_corpus  # noqa: E402
from bench.docs_table import machine_line, markdown_table, write_block  # noqa: E402
from core.ingest import load_corpus  # noqa: E402
from core.scrape import parse_page  # noqa: E402


TARGET_MB_S = 30.0
Timing = tuple[str, float, float, float]
"""(label, median seconds, slowest and fastest MB/s)."""
TIMINGS: list[Timing] = []
"""Every `_timed` of this run, in order, for the docs table."""


def _timed(label: str, megabytes: float, work, runs: int = 1, before=None) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Time `work` `runs` times (calling `before` ahead of each, untimed); prints the median
    and, over several runs, the range of MB/s. Returns the median seconds and the count."""
    times: list[float] = []
    count = 0
    for _ in range(runs):
        if before is not None:
            before()
        started = time.perf_counter()
        count = work()
        times.append(time.perf_counter() - started)
    seconds = statistics.median(times)
    spread = f"  ({megabytes / max(times):.1f}-{megabytes / min(times):.1f} MB/s over {runs} runs)" if runs > 1 else ""
    print(f"{label:<34} {seconds:8.2f} s {megabytes / seconds:9.1f} MB/s {count / seconds:12,.0f} articles/s{spread}")
    TIMINGS.append((label, seconds, megabytes / max(times), megabytes / min(times)))
    return seconds, count


TARGETS = {
    "page parser (parse_page)": f">= {TARGET_MB_S:.0f} MB/s on one core",
    "full ingest, cold (load_corpus)": f"shown against {TARGET_MB_S:.0f} MB/s",
}


def docs_table(timings: list[Timing], floor_s: float) -> str:
    """Each stage: median time, MB/s (the range over several runs), time against the floor's."""
    rows = []
    for label, seconds, slowest, fastest in timings:
        rate = f"{slowest:.1f}" if abs(fastest - slowest) < 0.05 else f"{slowest:.1f}–{fastest:.1f}"
        rows.append([label, f"{seconds:.2f} s", rate, f"{seconds / floor_s:.1f}x", TARGETS.get(label, "")])
    return markdown_table(["stage", "time (median)", "MB/s", "x floor", "target"], rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1, help="time the parser and the cold ingests this many times")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    TIMINGS.clear()
    with tempfile.TemporaryDirectory() as scratch:
        files = write_corpus(Path(scratch) / "corpus", args.articles)
        megabytes = sum(f.stat().st_size for f in files) / 1e6
        print(f"corpus: {len(files)} pages, {megabytes:.1f} MB, ~{args.articles:,} articles + sidebars\n")
        texts = [f.read_text(encoding="utf-8") for f in files]
        records = sum(len(parse_page(t, "x")) for t in texts)

        def floor() -> int:
            """Read and split every file; counts as many articles as the parser finds."""
            for f in files:
                f.read_bytes().decode("utf-8").split("\n")
            return records

        floor_s, _ = _timed("floor: read + split lines", megabytes, floor)
        parse_s, _ = _timed(
            "page parser (parse_page)", megabytes, lambda: sum(len(parse_page(t, "x")) for t in texts), args.runs
        )
        corpus = Path(scratch) / "corpus"
        cache = Path(scratch) / "cache"
        os.environ["NEWSDESK_CACHE_DIR"] = str(cache)
        _timed(
            "ingest, cold, 1 proc, no snapshot", megabytes,
            lambda: len(load_corpus([corpus], use_snapshot=False, workers=1)), args.runs,
        )
        ingest_s, _ = _timed(
            "full ingest, cold (load_corpus)", megabytes, lambda: len(load_corpus([corpus])), args.runs,
            before=lambda: shutil.rmtree(cache, ignore_errors=True),
        )
        warm_s, _ = _timed("re-open, snapshot (load_corpus)", megabytes, lambda: len(load_corpus([corpus])))
        print(f"\nparser / floor: {parse_s / floor_s:.1f}x   cold ingest / floor: {ingest_s / floor_s:.1f}x   "
              f"snapshot re-open / floor: {warm_s / floor_s:.1f}x   cold / snapshot: {ingest_s / warm_s:.1f}x")
        print(f"target: page parser >= 30 MB/s -> {'met' if megabytes / parse_s >= TARGET_MB_S else 'NOT met'}")
        print(f"        full cold ingest >= 30 MB/s -> {'met' if megabytes / ingest_s >= 30 else 'NOT met'}")
        if args.write_docs:
            command = f"uv run python -m bench.parse --articles {args.articles} --runs {args.runs} --write-docs"
            size = f"{len(files):,} pages, {megabytes:.1f} MB, {records:,} records"
            write_block("parse", "## Parsing", f"{docs_table(TIMINGS, floor_s)}\n\n{machine_line(command, size)}")


if __name__ == "__main__":
    main()
