"""Benchmark of the dashboard (docs/performance.md, "The dashboard"): first paint, filter, cursor, memory.

    uv run python -m bench.tui [--sizes 10000 100000] [--keep DIR] [--write-docs]

Generates JSONL corpora of 10k and 100k articles, then measures, each in a fresh process
driven headless (`App.run(headless=True, auto_pilot=...)`) so that interpreter start and
imports count the same way for every row:

- hello: a hello-world Textual app, spawn to first paint (the baseline), spawned in turn with
  the warm opens of each size, so that both see the machine of the same minutes;
- first paint of newsdesk on the corpus with a cold cache (nothing cached: every file is
  parsed) and a warm cache (the corpus snapshot is reused), spawn to the list showing rows:
  on a warm open, the first screen the session before stored (`core.first_screen`; each
  child ends its session as the `newsdesk` script does, `NewsdeskApp.end_session`), and
  spawn to the paint of the loaded corpus's own rows, which replace it;
- filter: a filter term applied to the 100k list, from the request to the list's paint
  (median of REPEATS runs; the live-typing debounce of 150 ms comes on top of this when
  typing), measured once the app's once-per-corpus search preparation (lower-cased text, in a
  worker after first paint) is done, whose time after first paint is printed too;
- the same with keywords: ~10 synthetic keywords per article (a Zipf-like vocabulary of 50,000
  keys, as in bench/insight.py) are installed, then each filter is timed to the list's paint
  and to the keyword panel's paint (target: both <= 100 ms at 100k);
- cursor: one `j` in the list, key to repaint (mean over 50 presses);
- peak RSS of the process, and its ratio to the corpus text size.

Keyword indexing is off in these runs (`create_app(..., index=False)`): it runs in the
background in real use and would only add noise here; its own numbers are in bench/keywords.py.
A paint is the compositor's update handed to the driver (`PaintClock`), as in bench/insight.py:
what the user sees. First paint (hello) and first rows (newsdesk) are that paint, spawn to
paint; a filter's numbers are the first paint after the list (the panel) was handed the rows.
The waits for them wake at paints, not on a timer: polling with Pilot's `pause` would load the
UI thread and force paints. `--write-docs` puts the table of the run (one column a size) in
docs/performance.md (block `bench:tui`, bench/docs_table.py).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_f28cf99939672350.txt"
SECTIONS = ["World", "Economy", "Energy", "Defense", "Science", "Health", "Culture", "Tech", "Europe", "Asia"]
SOURCES = ["RIAC", "TASS", "UN News", "Reuters", "Policy Review"]
FILTER_TERMS = ["energy", "section:energy", "security -russia"]
REPEATS = 3
"""Each filter is timed this many times; the median is printed (the machine may be shared)."""
OPENS = 5
"""Spawns of the hello-world app and warm opens of newsdesk: first paint is the median of these."""


# -- corpus generation ---------------------------------------------------------------------------


def _vocabulary() -> list[str]:
    return sorted(set(re.findall(r"[A-Za-z][A-Za-z'’-]+", SEED.read_text(encoding="utf-8"))))


def write_jsonl_corpus(directory: Path, articles: int, seed: int = 11) -> tuple[Path, int]:
    """Write `articles` articles as JSONL into `directory`; returns (file, text bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "corpus.jsonl"
    rng = random.Random(seed)
    words = _vocabulary()
    text_bytes = 0
    with target.open("w", encoding="utf-8") as out:
        for number in range(articles):
            title = " ".join(rng.choices(words, k=rng.randint(4, 10))).capitalize() + f" {number}"
            paragraphs = [
                " ".join(rng.choices(words, k=rng.randint(30, 60))).capitalize() + "."
                for _ in range(rng.randint(2, 5))
            ]
            body = "\n\n".join(paragraphs)
            text_bytes += len(title.encode()) + len(body.encode())
            row = {
                "title": title,
                "body": body,
                "section": rng.choice(SECTIONS),
                "source": rng.choice(SOURCES),
                "date": f"2021-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
            out.write(json.dumps(row) + "\n")
    return target, text_bytes


# -- child processes ------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    """This process's peak resident set (MB): VmHWM where Linux has it. ru_maxrss is not used
    there because it keeps the high-water mark of the forked copy of the parent that exec
    replaced, so a child of a large benchmark process reported the parent's size."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            lines = status.read().splitlines()
    except OSError:  # not Linux
        lines = []
    for line in lines:
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PaintClock:
    """When the app painted: its compositor's updates handed to the driver (`App._display`),
    what the user sees. Waiting on it wakes at each paint: Pilot's `pause` makes every widget
    process a message and forces a screen update each time it is called, so polling with it
    loads the UI thread and paints on the poll's schedule, not the app's.
    """

    def __init__(self, app: object, ready: object = None, loaded: object = None) -> None:
        self.first: float | None = None
        """time.time() of the first paint for which `ready()` held (the first paint when no `ready`)."""
        self.first_loaded: float | None = None
        """time.time() of the first paint for which `loaded()` held (None without `loaded`)."""
        self._loaded = loaded
        self.painted: dict[str, float] = {}
        """perf_counter() of the first paint after each `handed(name)`, since `reset`."""
        self._waiting: set[str] = set()
        self._ready = ready
        self._painted = asyncio.Event()
        """Set by each paint (the app's event loop is the one the pilot awaits on)."""
        display = app._display  # type: ignore[attr-defined]

        def display_and_note(screen: object, renderable: object) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            if self.first is None and (self._ready is None or self._ready()):  # type: ignore[operator]
                self.first = time.time()
            if self.first_loaded is None and self._loaded is not None and self._loaded():  # type: ignore[operator]
                self.first_loaded = time.time()
            now = time.perf_counter()
            for name in self._waiting:
                self.painted.setdefault(name, now)
            self._waiting.clear()
            self._painted.set()

        app._display = display_and_note  # type: ignore[attr-defined]

    def handed(self, name: str) -> None:
        """A widget (`name`) was handed new content: the next paint shows it."""
        self._waiting.add(name)

    def reset(self) -> None:
        self.painted.clear()
        self._waiting.clear()

    async def _until(self, done: Callable[[], bool], timeout: float) -> None:
        """Wake at each paint (not on a timer) until `done()`, or `timeout` seconds."""
        deadline = time.perf_counter() + timeout
        while not done() and time.perf_counter() < deadline:
            self._painted.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._painted.wait(), max(0.0, deadline - time.perf_counter()))

    async def wait(self, *names: str, timeout: float = 10.0) -> None:
        """Until each of `names` has painted; a measure that never comes fails the run, rather
        than reporting a figure that is not one."""
        await self._until(lambda: all(name in self.painted for name in names), timeout)
        missing = [name for name in names if name not in self.painted]
        if missing:
            raise RuntimeError(f"no paint of {', '.join(missing)} within {timeout:g} s: the benchmark measures nothing")

    async def wait_first(self, timeout: float = 60.0) -> None:
        await self._until(lambda: self.first is not None, timeout)


def child_hello() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Hello(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Hello, world")

    app = Hello()
    clock = PaintClock(app)

    async def pilot(pilot) -> None:  # type: ignore[no-untyped-def]
        await clock.wait_first()
        print(json.dumps({"painted": clock.first, "rss_mb": _peak_rss_mb()}), flush=True)
        pilot.app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=pilot)


def synthetic_keywords(ids: object, per_article: int = 10, vocabulary: int = 50_000, seed: int = 5) -> object:
    """A KEYWORD_SCHEMA frame for the articles `ids` (a Series): ~`per_article` keys each, drawn
    from a Zipf-like vocabulary (weight 1 / (rank + 10)) by inverse transform, all in Polars."""
    import math

    import polars as pl

    from core.corpus import KEYWORD_SCHEMA

    ids = pl.Series("id", ids)
    draws = pl.int_range(0, ids.len() * per_article, dtype=pl.UInt64, eager=True)
    uniform = draws.hash(seed).cast(pl.Float64) / 2.0**64
    rank = (10 * (uniform * math.log((vocabulary + 10) / 10)).exp() - 10).floor().clip(0, vocabulary - 1).cast(pl.UInt32)
    frame = pl.DataFrame({"id": ids.gather(draws // per_article), "k": rank})
    return (
        frame.unique(["id", "k"], maintain_order=True)
        .with_columns(
            rank=pl.int_range(1, pl.len() + 1).over("id"),
            keyword=pl.format("Keyword {}", "k"),
            key=pl.format("keyword {}", "k"),
            score=pl.col("k").cast(pl.Float64) / vocabulary,
        )
        .select(list(KEYWORD_SCHEMA))
        .cast(KEYWORD_SCHEMA)
    )


def child_newsdesk(corpus: str, measure: bool) -> None:
    # As the `newsdesk` script starts the dashboard: cycle collection off for start-up
    # (core/gc_policy.py), the stored first screen read, or else the snapshot read while the
    # interface is imported; and as it ends (`run_app`): the session's state and first screen saved.
    from core import gc_policy
    from tui.cli import head_start

    gc_policy.defer_start_up()
    first_screen, prefetched = head_start([Path(corpus)])
    from textual.pilot import Pilot

    from tui.app import create_app

    app = create_app([Path(corpus)], index=False, prefetched=prefetched, first_screen=first_screen)
    # First rows: the first paint with rows in the list (the stored first screen's, or those
    # of a large corpus before its load ends). Loaded rows: the first paint of the corpus's own.
    def has_rows() -> bool:
        return app.is_mounted and bool(app.query("ArticleList")) and app.article_list.row_count > 0

    clock = PaintClock(app, ready=has_rows, loaded=lambda: has_rows() and not app.article_list.previewing)

    async def pilot(pilot: Pilot) -> None:
        await clock.wait_first()
        # All rows: every row of the corpus in the list (its languages may still be being
        # detected, as its keywords are), not the rows of a view shown while it loaded.
        while not (app.loader.all_rows and app.article_list.row_count and app.article_list.row_count == app.view.total):
            await asyncio.sleep(0.005)
        result: dict[str, object] = {
            "painted": time.time(),
            "first_rows": clock.first,
            "loaded_rows": clock.first_loaded,
            "from_first_screen": first_screen is not None,
            "rows": app.article_list.row_count,
        }
        # Then the load's end: the languages still to be detected when all rows showed.
        while not app.loaded:
            await asyncio.sleep(0.005)
        result["loaded"] = time.time()
        await pilot.pause()
        if measure:
            painted = time.perf_counter()
            while not app.view.search_ready and time.perf_counter() - painted < 20:
                await asyncio.sleep(0.01)
            result["search_ready_s"] = (time.perf_counter() - painted) if app.view.search_ready else None
            await pilot.pause()
            # Each filter REPEATS times from the unfiltered list; the median is reported.
            panel = app.keyword_panel
            set_view_keywords = panel.set_view_keywords

            def recording(frame: object) -> None:
                set_view_keywords(frame)  # type: ignore[arg-type]
                clock.handed("panel")

            panel.set_view_keywords = recording  # type: ignore[method-assign]
            article_list = app.article_list
            set_frame = article_list.set_frame

            def recording_frame(frame: object, **options: Any) -> None:
                set_frame(frame, **options)  # type: ignore[arg-type]
                clock.handed("list")

            article_list.set_frame = recording_frame  # type: ignore[method-assign]

            async def timed(term: str) -> tuple[float, float]:
                """(ms to the list's paint, ms to the keyword panel's paint) for `term`."""
                await asyncio.sleep(0.05)  # what came before has settled
                clock.reset()
                app.idle_collector.note_input()  # what typing the filter would tell it
                started = time.perf_counter()
                app.request_view(term)
                await clock.wait("list", "panel")
                return tuple((clock.painted.get(name, float("nan")) - started) * 1000 for name in ("list", "panel"))  # type: ignore[return-value]

            def median_of(times: list[tuple[float, float]], which: int) -> float:
                return statistics.median(pair[which] for pair in times)

            filters: dict[str, float] = {}
            for term in FILTER_TERMS:
                times = []
                for _ in range(REPEATS):
                    times.append(await timed(term))
                    result[f"rows[{term}]"] = app.article_list.row_count
                    await timed("")
                filters[term] = median_of(times, 0)
            await pilot.pause()
            result["rss_mb"] = _peak_rss_mb()  # the app's own peak, before the synthetic keywords
            # With keywords: the list's repaint and the keyword panel's refresh.
            app.view.set_keywords(synthetic_keywords(app.view.articles.get_column("id")))  # type: ignore[arg-type]
            result["keyword_rows"] = app.view.keywords.height
            await timed("")
            for term in FILTER_TERMS:
                times = []
                for _ in range(REPEATS):
                    times.append(await timed(term))
                    await timed("")
                result[f"kw_repaint[{term}]"] = median_of(times, 0)
                result[f"kw_panel_paint[{term}]"] = median_of(times, 1)
            while article_list.row_count != result["rows"]:
                await asyncio.sleep(0.005)
            await pilot.pause()
            moves = []
            for _ in range(50):
                started = time.perf_counter()
                await pilot.press("j")
                moves.append((time.perf_counter() - started) * 1000)
            # The work itself: CPU per cursor move (the reader re-wraps, two list lines
            # repaint), net of what an idle pause costs.
            cpu = time.process_time()
            for _ in range(50):
                article_list.cursor += 1
                await pilot.pause()
            moved = time.process_time() - cpu
            cpu = time.process_time()
            for _ in range(50):
                await pilot.pause()
            idle = time.process_time() - cpu
            result["filter_ms"] = filters
            result["cursor_ms"] = statistics.mean(moves)
            result["cursor_cpu_ms"] = max(0.0, moved - idle) / 50 * 1000
        result["rss_keywords_mb" if measure else "rss_mb"] = _peak_rss_mb()
        print(json.dumps(result), flush=True)
        while app.next_first_screen is None:  # the loaded view, which the session stores
            await asyncio.sleep(0.005)
        app.exit()

    try:
        app.run(headless=True, size=(120, 40), auto_pilot=pilot)
    finally:
        app.end_session()


@dataclass
class WarmOpens:
    """OPENS warm opens of a corpus and as many hello-world first paints, spawned in turn."""

    first_rows: list[float] = field(default_factory=list)
    """Seconds to the first paint with rows (the stored first screen's, when there is one)."""
    loaded_rows: list[float] = field(default_factory=list)
    """Seconds to the first paint of the loaded corpus's own rows."""
    hellos: list[float] = field(default_factory=list)
    """Seconds to hello-world's first paint."""
    from_first_screen: int = 0
    """How many of the opens painted a stored first screen first."""


def warm_opens_beside_hello(corpus: Path, cache: Path, hello_cache: Path) -> WarmOpens:
    """OPENS warm opens of `corpus` and the first paints of as many hello-world apps, spawned
    in turn: the machine's speed drifts over minutes, and each ratio is taken against the
    floor of the same minutes."""
    opens = WarmOpens()
    for _ in range(OPENS):
        opens.hellos.append(float(_spawn(["hello"], hello_cache)["first_paint_s"]))  # type: ignore[arg-type]
        result = _spawn(["paint", str(corpus)], cache)
        opens.first_rows.append(float(result["first_rows_s"]))  # type: ignore[arg-type]
        opens.loaded_rows.append(float(result["loaded_rows_s"]))  # type: ignore[arg-type]
        opens.from_first_screen += bool(result["from_first_screen"])
    return opens


def compile_sources() -> None:
    """Write the bytecode of newsdesk's and the benchmarks' modules, as any first run of an
    install does: where PYTHONDONTWRITEBYTECODE is set, a module edited since its .pyc was
    written is compiled again by every spawned child, which hello-world's
    installed Textual never is."""
    for folder in ("core", "tui", "bench"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def _spawn(args: list[str], cache: Path) -> dict[str, object]:
    env = dict(os.environ, NEWSDESK_CACHE_DIR=str(cache), NEWSDESK_STATE_DIR=str(cache / "state"))
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-m", "bench.child", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"child {args} failed:\n{done.stderr[-3000:]}")
    result = json.loads(lines[-1])
    result["first_paint_s"] = float(result["painted"]) - started
    if result.get("loaded") is not None:
        result["loaded_s"] = float(result["loaded"]) - started
    result["first_rows_s"] = float(result.get("first_rows", result["painted"])) - started
    if result.get("loaded_rows") is not None:
        result["loaded_rows_s"] = float(result["loaded_rows"]) - started
    return result


# -- the report -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--keep", type=Path, help="write corpora here (default: a temp dir)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    if args.child:
        if args.child[0] == "hello":
            child_hello()
        else:
            child_newsdesk(args.child[1], measure=args.child[0] == "measure")
        return 0

    compile_sources()
    columns: dict[int, dict[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as scratch:
        base = args.keep or Path(scratch)
        for size in args.sizes:
            t0 = time.perf_counter()
            corpus, text_bytes = write_jsonl_corpus(base / f"corpus-{size}", size)
            print(f"\n{size:,} articles: {text_bytes / 1e6:.0f} MB of text (generated in {time.perf_counter() - t0:.1f} s)")
            cache = base / f"cache-{size}"
            shutil.rmtree(cache, ignore_errors=True)  # cold even in a kept directory
            cold = _spawn(["paint", str(corpus)], cache)
            warm_opens = warm_opens_beside_hello(corpus, cache, base / "hello-cache")
            opens, hello_s = warm_opens.first_rows, statistics.median(warm_opens.hellos)
            loaded_rows = statistics.median(warm_opens.loaded_rows)
            warm = _spawn(["measure", str(corpus)], cache)
            cold_s, warm_s = float(cold["first_paint_s"]), float(warm["first_paint_s"])  # type: ignore[arg-type]
            cold_rows, warm_rows = float(cold["first_rows_s"]), statistics.median(opens)
            print(f"  hello-world Textual app: {hello_s * 1000:8.0f} ms  first paint (median of {OPENS}, spawned in turn with the warm opens)")
            print(f"  first rows, cold cache:  {cold_rows * 1000:8.0f} ms  ({cold_rows / hello_s:.1f}x hello; rows found so far)")
            print(f"  first rows, warm cache:  {warm_rows * 1000:8.0f} ms  ({warm_rows / hello_s:.1f}x hello; target <= 3x; median of {OPENS} opens, {min(opens) * 1000:.0f}–{max(opens) * 1000:.0f}; {warm_opens.from_first_screen} of them the stored first screen)")
            print(f"  loaded rows, warm cache: {loaded_rows * 1000:8.0f} ms  ({loaded_rows / hello_s:.1f}x hello; the corpus's own rows, which replace the first screen)")
            print(f"  loaded, cold cache:      {cold_s * 1000:8.0f} ms  ({cold_s / hello_s:.1f}x hello; every file parsed)")
            print(f"  loaded, warm cache:      {warm_s * 1000:8.0f} ms  ({warm_s / hello_s:.1f}x hello; folder walked and checked)")
            ready = warm.get("search_ready_s")
            print(f"  search prepared:         {'never' if ready is None else f'{ready * 1000:8.0f} ms'} after first paint (lower-cased text, in a worker)")
            for term, ms in warm["filter_ms"].items():  # type: ignore[union-attr]
                rows = warm[f"rows[{term}]"]
                print(f"  filter {term!r:20} -> {rows:>7,} rows: list painted at {ms:5.1f} ms (target <= 100 ms)")
            print(f"  with {warm['keyword_rows']:,} keyword rows:")
            for term in FILTER_TERMS:
                print(
                    f"  filter {term!r:20} -> list painted at {warm[f'kw_repaint[{term}]']:5.1f} ms, keyword panel painted at"
                    f" {warm[f'kw_panel_paint[{term}]']:5.1f} ms (target <= 100 ms each)"
                )
            print(f"  cursor move (j):         {warm['cursor_ms']:8.1f} ms per key via Pilot.press (key to repaint, incl. Pilot's waits)")
            print(f"  cursor move, CPU:        {warm['cursor_cpu_ms']:8.1f} ms of work per move")
            rss = max(float(cold["rss_mb"]), float(warm["rss_mb"]))  # type: ignore[arg-type]
            print(f"  peak RSS:                {rss:8.0f} MB  ({rss * 1e6 / text_bytes:.1f}x the corpus text; hello {hello_rss(base):.0f} MB)")
            rss_kw = float(warm["rss_keywords_mb"])  # type: ignore[arg-type]
            print(f"  peak RSS with keywords:  {rss_kw:8.0f} MB  ({rss_kw * 1e6 / text_bytes:.1f}x; after the keyword runs above)")
            column = {
                "text": f"{text_bytes / 1e6:.0f} MB",
                "hello": f"{hello_s * 1000:.0f} ms",
                "cold rows": f"{cold_rows:.2f} s",
                "warm rows": f"{warm_rows:.2f} s, **{warm_rows / hello_s:.1f}x** ({warm_opens.from_first_screen} of {OPENS} stored)",
                "loaded rows": f"{loaded_rows:.2f} s, {loaded_rows / hello_s:.1f}x",
                "loaded cold": f"{cold_s:.2f} s",
                "loaded warm": f"{warm_s:.2f} s",
                "search": "never" if ready is None else f"{ready * 1000:.0f} ms",
                "filter": " / ".join(f"{ms:.0f}" for ms in warm["filter_ms"].values()) + " ms",  # type: ignore[union-attr]
                "kw rows": f"{warm['keyword_rows']:,}",
                "kw filter": " / ".join(f"{warm[f'kw_repaint[{t}]']:.0f}" for t in FILTER_TERMS) + " ms",
                "kw panel": " / ".join(f"{warm[f'kw_panel_paint[{t}]']:.0f}" for t in FILTER_TERMS) + " ms",
                "cursor": f"{warm['cursor_cpu_ms']:.0f} ms of work ({warm['cursor_ms']:.0f} ms through Pilot)",
                "rss": f"{rss:.0f} MB, **{rss * 1e6 / text_bytes:.1f}x** (hello-world {hello_rss(base):.0f} MB)",
                "rss kw": f"{rss_kw:.0f} MB, {rss_kw * 1e6 / text_bytes:.1f}x",
            }
            columns[size] = column
    if args.write_docs:
        from bench.docs_table import machine_line, write_block

        command = "uv run python -m bench.tui --sizes " + " ".join(str(size) for size in args.sizes) + " --write-docs"
        size_note = ", ".join(f"{size:,} articles" for size in args.sizes) + ", one JSONL file each"
        write_block("tui", "## The dashboard", f"{docs_table(columns)}\n\n{machine_line(command, size_note)}")
    return 0


DOCS_ROWS = [
    ("text", "article text", ""),
    ("hello", f"floor: hello-world Textual app, spawn to its paint (median of {OPENS})", ""),
    ("cold rows", "first rows, cold cache (rows found so far)", ""),
    ("warm rows", f"first rows, warm cache, x hello (median of {OPENS} opens; how many painted the stored first screen)", "<= 3x at 100k"),
    ("loaded rows", "the loaded corpus's own rows, warm, x hello", ""),
    ("loaded cold", "loaded, cold: every file parsed", ""),
    ("loaded warm", "loaded, warm: folder walked and checked", ""),
    ("search", "search copy made, after first paint", ""),
    ("filter", "filter to the list's paint: " + ", ".join(f"`{t}`" for t in FILTER_TERMS), "<= 100 ms at 100k"),
    ("kw rows", "keyword rows installed", ""),
    ("kw filter", "same with keywords: the list's paint", "<= 100 ms at 100k"),
    ("kw panel", "same with keywords: the keyword panel's paint", "<= 100 ms at 100k"),
    ("cursor", "cursor move (`j`)", ""),
    ("rss", "peak RSS, cold or warm, x the text", "<= 3x at 100k"),
    ("rss kw", "peak RSS with the keyword rows, x the text", ""),
]
"""The docs table's rows: (column key, what is measured, target)."""


def docs_table(columns: dict[int, dict[str, str]]) -> str:
    """One row a measure, one column a size, then the target."""
    from bench.docs_table import markdown_table

    sizes = sorted(columns)
    rows = [[label, *(columns[size][key] for size in sizes), target] for key, label, target in DOCS_ROWS]
    return markdown_table(["measure", *(f"{size:,} articles" for size in sizes), "target"], rows)


_HELLO_RSS: list[float] = []


def hello_rss(base: Path) -> float:
    if not _HELLO_RSS:
        _HELLO_RSS.append(float(_spawn(["hello"], base / "hello-cache")["rss_mb"]))  # type: ignore[arg-type]
    return _HELLO_RSS[0]


if __name__ == "__main__":
    sys.exit(main())
