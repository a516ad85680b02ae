"""How newsdesk scales: 10k, 30k and 100k-article corpora in the listing template.

    uv run python -m bench.scale [--sizes 10000 30000 100000] [--keep DIR] [--write-docs]

For each size, a corpus of scraped listing pages is generated (bench/corpus_gen.py) and
measured, each number next to its floor from the same run:

- parse: a cold `load_corpus` (decode, parse, clean, language, de-duplicate; median of 3,
  each in a fresh process) against the floor of reading and splitting every file into
  lines, until the corpus is handed over,
  as the dashboard and the commands load (the snapshot's articles file is then written on
  a thread of its own); and until that write has ended;
- snapshot load: a warm `load_corpus` of the unchanged corpus (median of 3, each in a fresh
  process); and one with a file changed (that file parsed again, the others' rows from the
  snapshot; until the corpus is handed over, as for the parse);
- first rows on screen, cold and warm cache (warm: median of bench.tui.OPENS opens), against a
  hello-world Textual app (median of as many, spawned in turn with the warm opens, so both
  see the machine of the same minutes; spawn to the paint showing the list's rows;
  bench/tui.py's child processes, so imports count the same way; a warm open's first rows
  are the first screen the session before stored, then the loaded rows replace them, also
  timed), and when the load has finished (cold: every file parsed; warm: the folder walked
  and checked);
- filter and keyword panel: request to repaint at the size, with ~10 keywords an article;
- the insight screens in the app: `t`, `o` and `d` from the key's action to the first paint
  with their numbers (bench/insight.py's `app_open_times`, 5 opens each: median and range),
  next to the 300 ms target, and the statistics their workers compute alone;
- peak RSS of the app against the corpus's text size.

The last table gives the growth from the smallest to the largest size next to the growth
of the corpus itself: linear cost means a ratio near 1. `--write-docs` puts the table of
the run in docs/performance.md (block `bench:scale`, bench/docs_table.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus_gen import write_corpus  # noqa: E402
from bench.docs_table import machine_line, markdown_table, write_block  # noqa: E402
from bench.insight import app_open_times  # noqa: E402
from bench.tui import FILTER_TERMS, OPENS, _spawn, compile_sources, synthetic_keywords, warm_opens_beside_hello  # noqa: E402

Row = dict[str, float]


def _seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _median_ms(work: Callable[[], object], repeat: int = 3) -> float:
    return statistics.median(_seconds(work) for _ in range(repeat)) * 1000


APP_RUNS = 5
"""Opens of each insight screen in the app, per size."""


def _seconds_with_one_file_changed(page: Path, work: Callable[[], object]) -> float:
    """Seconds of `work` with `page` changed (a new mtime); then `page` is as it was, and
    `work` is run again so the snapshot is of the corpus as generated."""
    status = page.stat()
    try:
        os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
        return _seconds(work)
    finally:
        os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
        work()


def _load_in_a_fresh_process(pages: Path, cache: Path) -> float:
    """Seconds of a warm `load_corpus` of `pages` in a new Python process (imports not counted)."""
    return _in_a_fresh_process(pages, cache, "load_corpus([pages])")[0]


def _cold_parse_in_a_fresh_process(pages: Path, cache: Path) -> tuple[float, float]:
    """Seconds of a cold `load_corpus` of `pages` in a new Python process (imports not
    counted), as the dashboard and the commands load: until the corpus is handed over, and
    until its snapshot (written on a thread of its own) is too."""
    shutil.rmtree(cache, ignore_errors=True)
    handed, written = _in_a_fresh_process(
        pages, cache, "load_corpus([pages], save_in_background=True)", "wait_for_save(snapshot_path([pages]))"
    )
    return handed, written


def _in_a_fresh_process(pages: Path, cache: Path, *steps: str) -> list[float]:
    """Seconds from the start of `steps` (Python statements on `pages`) to the end of each."""
    script = (
        "import sys, time; from pathlib import Path; from core.ingest import load_corpus\n"
        "from core.snapshot import snapshot_path, wait_for_save\n"
        "pages = Path(sys.argv[1]); started = time.perf_counter()\n"
        + "".join(f"{step}; print(time.perf_counter() - started)\n" for step in steps)
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(pages)],
        cwd=ROOT,
        env=dict(os.environ, NEWSDESK_CACHE_DIR=str(cache)),
        capture_output=True,
        text=True,
        check=True,
    )
    return [float(line) for line in done.stdout.split()[-len(steps) :]]


def measure_core(pages: Path, cache: Path) -> Row:
    """Parse, snapshot load, insight statistics and the insight screens in the app, in this
    process."""
    os.environ["NEWSDESK_CACHE_DIR"] = str(cache)
    from core.aggregate import aggregate_keywords
    from core.corpus import Corpus
    from core.ingest import load_corpus
    from core.keyness import distinctive_keywords
    from core.keyword_index import KeywordIndex
    from core.snapshot import snapshot_path, wait_for_save
    from tui.screens.overview import compute_overview
    from tui.screens.trends import compute_trends

    shutil.rmtree(cache, ignore_errors=True)  # a kept directory from an earlier run: parse cold
    files = sorted(pages.iterdir())
    floor_s = _seconds(lambda: [f.read_bytes().decode("utf-8").split("\n") for f in files])
    # In fresh processes, as a user opens a corpus: in this one, after its cold parses, a warm
    # read is slower than a user's would be. Medians of 3: the machine's speed drifts.
    parses = [_cold_parse_in_a_fresh_process(pages, cache) for _ in range(3)]
    parse_s = statistics.median(handed for handed, _ in parses)
    saved_s = statistics.median(written for _, written in parses)
    warm_s = statistics.median(_load_in_a_fresh_process(pages, cache) for _ in range(3))
    loaded = [load_corpus([pages])]
    changed_s = _seconds_with_one_file_changed(files[len(files) // 2], lambda: load_corpus([pages], save_in_background=True))
    wait_for_save(snapshot_path([pages]))  # the app's opens below read it from other processes
    articles = loaded[0].articles  # type: ignore[attr-defined]
    keywords = synthetic_keywords(articles.get_column("id"))
    top_key = aggregate_keywords(keywords, top=1).get_column("key")[0]  # type: ignore[arg-type]
    subset = articles.filter(articles.get_column("section") == "Energy").get_column("id")
    opened = asyncio.run(app_open_times(Corpus(articles, keywords), "Energy", APP_RUNS))  # type: ignore[arg-type]
    index = KeywordIndex(articles.get_column("id"), keywords)  # type: ignore[arg-type]
    index.aggregate(None, top=200)
    return {
        **{f"app_{name}_ms": statistics.median(opened[name]) for name in ("t", "o", "d")},
        **{f"app_{name}_min": min(opened[name]) for name in ("t", "o", "d")},
        **{f"app_{name}_max": max(opened[name]) for name in ("t", "o", "d")},
        "megabytes": sum(f.stat().st_size for f in files) / 1e6,
        "text_mb": (articles.get_column("title").str.len_bytes().sum() + articles.get_column("body").str.len_bytes().sum()) / 1e6,
        "articles": float(articles.height),
        "floor_s": floor_s,
        "parse_s": parse_s,
        "saved_s": saved_s,
        "snapshot_s": warm_s,
        "changed_s": changed_s,
        # What the screens' workers compute, with the keyword index the app's view builds.
        "trends_ms": _median_ms(lambda: compute_trends(articles, keywords, top_key, index)),  # type: ignore[arg-type]
        "overview_ms": _median_ms(lambda: compute_overview(articles, keywords, index)),  # type: ignore[arg-type]
        "distinctive_ms": _median_ms(lambda: distinctive_keywords(articles, keywords, subset, top=50)),  # type: ignore[arg-type]
    }


def measure_app(pages: Path, base: Path, size: int) -> Row:
    """First paint (cold, warm), filter, keyword panel and peak RSS of the app, in children."""
    cache = base / f"app-cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)  # the first open is cold even in a kept directory
    cold = _spawn(["paint", str(pages)], cache)
    opens = warm_opens_beside_hello(pages, cache, base / "hello")
    warm_rows = opens.first_rows
    warm = _spawn(["measure", str(pages)], cache)
    row: Row = {
        "hello_s": statistics.median(opens.hellos),
        "cold_rows_s": float(cold["first_rows_s"]),  # type: ignore[arg-type]
        "warm_rows_s": statistics.median(warm_rows),
        "warm_rows_min": min(warm_rows),
        "warm_rows_max": max(warm_rows),
        "loaded_rows_s": statistics.median(opens.loaded_rows),
        "from_first_screen": opens.from_first_screen,
        "cold_paint_s": float(cold["first_paint_s"]),  # type: ignore[arg-type]
        "warm_paint_s": float(warm["first_paint_s"]),  # type: ignore[arg-type]
        "rss_mb": max(float(cold["rss_mb"]), float(warm["rss_mb"]), float(warm["rss_keywords_mb"])),  # type: ignore[arg-type]
    }
    # What the user waits for: the request to the list's and the panel's paint (medians per
    # term; the worst term).
    row["filter_ms"] = max(float(warm[f"kw_repaint[{term}]"]) for term in FILTER_TERMS)  # type: ignore[arg-type]
    row["panel_ms"] = max(float(warm[f"kw_panel_paint[{term}]"]) for term in FILTER_TERMS)  # type: ignore[arg-type]
    return row


Line = tuple[str, Callable[[Row], str], str]
"""(what is measured, its cell for a size's row, the target)."""

LINES: list[Line] = [
    ("pages / article text (MB)", lambda r: f"{r['megabytes']:.0f} / {r['text_mb']:.0f}", ""),
    ("floor: read + split lines (s)", lambda r: f"{r['floor_s']:.2f}", ""),
    ("parse, cold, to the corpus handed over (s)", lambda r: f"{r['parse_s']:.1f}", ""),
    ("  parse, cold: MB/s (x floor)", lambda r: f"{r['megabytes'] / r['parse_s']:.1f} ({r['parse_s'] / r['floor_s']:.0f}x)", ">= 30 MB/s at 100k"),
    ("  parse, cold, and its snapshot written (s)", lambda r: f"{r['saved_s']:.1f}", ""),
    ("snapshot load, warm (s)", lambda r: f"{r['snapshot_s']:.2f}", ""),
    ("re-open, one file changed (s)", lambda r: f"{r['changed_s']:.2f}", ""),
    ("floor: hello-world first paint (s)", lambda r: f"{r['hello_s']:.2f}", ""),
    ("first rows, cold (s; x hello)", lambda r: f"{r['cold_rows_s']:.1f} ({r['cold_rows_s'] / r['hello_s']:.0f}x)", ""),
    ("first rows, warm (s; x hello)", lambda r: f"{r['warm_rows_s']:.2f} ({r['warm_rows_s'] / r['hello_s']:.1f}x)", "<= 3x at 100k"),
    ("  first rows, warm: fastest–slowest open (s)", lambda r: f"{r['warm_rows_min']:.2f}–{r['warm_rows_max']:.2f}", ""),
    ("  first rows, warm: from the stored first screen", lambda r: f"{r['from_first_screen']:.0f} of {OPENS}", ""),
    ("loaded rows, warm (s; x hello)", lambda r: f"{r['loaded_rows_s']:.2f} ({r['loaded_rows_s'] / r['hello_s']:.1f}x)", ""),
    ("loaded, cold: every file parsed (s)", lambda r: f"{r['cold_paint_s']:.1f}", ""),
    ("loaded, warm: folder checked (s)", lambda r: f"{r['warm_paint_s']:.2f}", ""),
    ("filter to list painted, worst term (ms)", lambda r: f"{r['filter_ms']:.0f}", "<= 100 ms at 100k"),
    ("keyword panel painted, worst term (ms)", lambda r: f"{r['panel_ms']:.0f}", "<= 100 ms at 100k"),
    *[
        (f"{label} in app (ms: median (range))",
         lambda r, n=name: f"{r[f'app_{n}_ms']:.0f} ({r[f'app_{n}_min']:.0f}–{r[f'app_{n}_max']:.0f})", "<= 300 ms at 100k")
        for name, label in (("t", "t: trends"), ("o", "o: overview"), ("d", "d: distinctive"))
    ],
    ("  trends stats, worker only (ms)", lambda r: f"{r['trends_ms']:.0f}", ""),
    ("  overview stats, worker only (ms)", lambda r: f"{r['overview_ms']:.0f}", ""),
    ("  distinctive stats, worker only (ms)", lambda r: f"{r['distinctive_ms']:.0f}", ""),
    ("peak RSS (MB; x text)", lambda r: f"{r['rss_mb']:.0f} ({r['rss_mb'] / r['text_mb']:.1f}x)", "<= 3x at 100k"),
]
"""The table's rows, printed and written to the docs alike."""

GROWTH = [("parse_s", "parse"), ("snapshot_s", "snapshot load"), ("warm_rows_s", "warm first rows"),
          ("filter_ms", "filter"), ("panel_ms", "keyword panel"), ("rss_mb", "peak RSS")]


def _growth(rows: dict[int, Row]) -> list[tuple[str, float, float]]:
    """(measure, cost ratio, that ratio over the article ratio) from the smallest size to the largest."""
    sizes = sorted(rows)
    small, large = rows[sizes[0]], rows[sizes[-1]]
    grown = large["articles"] / small["articles"]
    return [(label, large[key] / small[key], large[key] / small[key] / grown) for key, label in GROWTH]


def _print_table(rows: dict[int, Row]) -> None:
    sizes = sorted(rows)
    print(f"{'':50}" + "".join(f"{size:>14,}" for size in sizes) + "  target")
    for label, cell, target in LINES:
        print(f"{label:50}" + "".join(f"{cell(rows[size]):>14}" for size in sizes) + f"  {target}")
    if len(sizes) > 1:
        grown = rows[sizes[-1]]["articles"] / rows[sizes[0]]["articles"]
        print(f"\ngrowth from {sizes[0]:,} to {sizes[-1]:,} articles ({grown:.1f}x the articles); cost ratio / article ratio:")
        for label, ratio, linear in _growth(rows):
            print(f"  {label:18} {ratio:6.1f}x  ({linear:.2f} of linear)")


def docs_table(rows: dict[int, Row]) -> str:
    """The printed table in Markdown, and the growth line when more than one size was run."""
    sizes = sorted(rows)
    table = markdown_table(
        ["measure", *(f"{size:,} articles" for size in sizes), "target"],
        [[label.strip(), *(cell(rows[size]) for size in sizes), target] for label, cell, target in LINES],
    )
    if len(sizes) < 2:
        return table
    growth = ", ".join(f"{label} {ratio:.1f}x" for label, ratio, _ in _growth(rows))
    grown = rows[sizes[-1]]["articles"] / rows[sizes[0]]["articles"]
    return f"{table}\n\nGrowth from {sizes[0]:,} to {sizes[-1]:,} articles ({grown:.1f}x the articles): {growth}."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--keep", type=Path, help="write corpora here (default: a temp dir)")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="newsdesk-scale-") as scratch:
        base = args.keep or Path(scratch)
        rows: dict[int, Row] = {}
        for size in args.sizes:
            pages = base / f"pages-{size}"
            if not pages.exists():
                write_corpus(pages, size)
            row = measure_core(pages, base / f"core-cache-{size}")
            row.update(measure_app(pages, base, size))
            rows[size] = row
            print(f"measured {size:,} articles", file=sys.stderr, flush=True)
        _print_table(rows)
    if args.write_docs:
        command = "uv run python -m bench.scale --sizes " + " ".join(str(size) for size in args.sizes) + " --write-docs"
        size_note = ", ".join(f"{size:,}" for size in sorted(rows)) + " articles in listing pages"
        write_block("scale", "## Scale", f"{docs_table(rows)}\n\n{machine_line(command, size_note)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
