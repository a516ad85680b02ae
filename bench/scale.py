"""How newsdesk scales: 10k, 30k and 100k-article corpora in the listing template.

    uv run python -m bench.scale [--sizes 10000 30000 100000] [--keep DIR]

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
of the corpus itself: linear cost means a ratio near 1.
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


def _print_table(rows: dict[int, Row]) -> None:
    sizes = sorted(rows)
    head = f"{'':34}" + "".join(f"{size:>14,}" for size in sizes)
    print(head)

    def line(label: str, cell: Callable[[Row], str]) -> None:
        print(f"{label:34}" + "".join(f"{cell(rows[size]):>14}" for size in sizes))

    line("pages (MB) / article text (MB)", lambda r: f"{r['megabytes']:.0f} / {r['text_mb']:.0f}")
    line("floor: read + split lines (s)", lambda r: f"{r['floor_s']:.2f}")
    line("parse, cold (s)", lambda r: f"{r['parse_s']:.1f}")
    line("  MB/s (vs floor)", lambda r: f"{r['megabytes'] / r['parse_s']:.1f} ({r['parse_s'] / r['floor_s']:.0f}x)")
    line("  and its snapshot written (s)", lambda r: f"{r['saved_s']:.1f}")
    line("snapshot load, warm (s)", lambda r: f"{r['snapshot_s']:.2f}")
    line("re-open, one file changed (s)", lambda r: f"{r['changed_s']:.2f}")
    line("floor: hello-world first paint (s)", lambda r: f"{r['hello_s']:.2f}")
    line("first rows, cold (s; x hello)", lambda r: f"{r['cold_rows_s']:.1f} ({r['cold_rows_s'] / r['hello_s']:.0f}x)")
    line("first rows, warm (s; target 3x)", lambda r: f"{r['warm_rows_s']:.2f} ({r['warm_rows_s'] / r['hello_s']:.1f}x)")
    line("  fastest–slowest of the opens (s)", lambda r: f"{r['warm_rows_min']:.2f}–{r['warm_rows_max']:.2f}")
    line("  opens from the stored first screen", lambda r: f"{r['from_first_screen']} of {OPENS}")
    line("loaded rows, warm (s; x hello)", lambda r: f"{r['loaded_rows_s']:.2f} ({r['loaded_rows_s'] / r['hello_s']:.1f}x)")
    line("loaded, cold: every file parsed (s)", lambda r: f"{r['cold_paint_s']:.1f}")
    line("loaded, warm: folder checked (s)", lambda r: f"{r['warm_paint_s']:.2f}")
    line("filter to list painted, worst (ms; <= 100)", lambda r: f"{r['filter_ms']:.0f}")
    line("keyword panel painted, worst (ms; <= 100)", lambda r: f"{r['panel_ms']:.0f}")
    for name, label in (("t", "t: trends"), ("o", "o: overview"), ("d", "d: distinctive")):
        line(f"{label} in app (ms; <= 300)", lambda r, n=name: f"{r[f'app_{n}_ms']:.0f} ({r[f'app_{n}_min']:.0f}–{r[f'app_{n}_max']:.0f})")
    line("  trends stats, worker only (ms)", lambda r: f"{r['trends_ms']:.0f}")
    line("  overview stats, worker only (ms)", lambda r: f"{r['overview_ms']:.0f}")
    line("  distinctive stats, worker only", lambda r: f"{r['distinctive_ms']:.0f}")
    line("peak RSS (MB; x text; target 3x)", lambda r: f"{r['rss_mb']:.0f} ({r['rss_mb'] / r['text_mb']:.1f}x)")
    if len(sizes) > 1:
        small, large = rows[sizes[0]], rows[sizes[-1]]
        grown = large["articles"] / small["articles"]
        print(f"\ngrowth from {sizes[0]:,} to {sizes[-1]:,} articles ({grown:.1f}x the articles); cost ratio / article ratio:")
        for key, label in [("parse_s", "parse"), ("snapshot_s", "snapshot load"), ("warm_rows_s", "warm first rows"),
                           ("filter_ms", "filter"), ("panel_ms", "keyword panel"), ("rss_mb", "peak RSS")]:
            ratio = large[key] / small[key]
            print(f"  {label:18} {ratio:6.1f}x  ({ratio / grown:.2f} of linear)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    parser.add_argument("--keep", type=Path, help="write corpora here (default: a temp dir)")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
