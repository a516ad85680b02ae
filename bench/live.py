"""Benchmark of the live folder (docs/performance.md, "Following the folder"): a page written
into the folder of an open 100k-article corpus, to its articles in the list.

    uv run python -m bench.live [--articles 100000] [--pages 5] [--keep DIR] [--write-docs]

Writes a corpus of listing pages (`bench/corpus_gen.py`, five articles a page), loads it once
so its snapshot is warm, then opens the dashboard on it in this process (Pilot, keyword
indexing off: its numbers are in bench/keywords.py), sorted by title with the cursor deep in
the list, and once the folder is watched writes `--pages` new pages one after another. For
each it measures:

- latency: from the new file's close to the batch's rows swapped into the list (the list's
  `set_frame` returned, its articles among the rows; target <= 2 s at 100k);
- the longest stall of the UI thread while the batch is merged: the lateness of a 5 ms timer
  task on the app's event loop, from the write to 200 ms after the rows are in (target <=
  100 ms), next to the same measure over as long a time with the app idle;
- that the cursor stayed on its article.

`--write-docs` writes the table into docs/performance.md (block `bench:live`).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.corpus_gen import make_page, make_sidebar, vocabulary, write_corpus

TICK_S = 0.005
AFTER_S = 0.2


class LagProbe:
    """A timer task on the event loop: how late each 5 ms sleep wakes is how long the loop
    was kept busy."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(TICK_S)
            self.worst = max(self.worst, time.perf_counter() - start - TICK_S)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def take(self) -> float:
        """The worst lateness since the last take."""
        worst, self.worst = self.worst, 0.0
        return worst

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def _until(pilot: object, done: object, timeout: float, what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not done():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await pilot.pause(0.01)  # type: ignore[attr-defined]


def measure(folder: Path, pages: int) -> dict[str, object]:
    """Open the dashboard on `folder` and time `pages` new pages (see the module's docstring)."""
    from tui.app import create_app

    app = create_app([folder], index=False)
    rng = random.Random(3)
    words = vocabulary()
    sidebar = make_sidebar(rng, words)
    result: dict[str, object] = {}

    async def run(pilot: object) -> None:
        await _until(pilot, lambda: app.loaded and app.article_list.row_count > 0, 600, "the corpus")
        await _until(pilot, lambda: app.view.search_ready and app.live.watching.is_set(), 600, "search and watch")
        app.set_sort("title")
        await _until(pilot, lambda: app.status_bar.status.sort == "title" and app.filtering.applied == "", 60, "sort")
        await pilot.pause(0.5)  # type: ignore[attr-defined]
        result["rows"] = app.view.total
        app.article_list.cursor = app.article_list.row_count // 2
        await pilot.pause(0.2)  # type: ignore[attr-defined]
        cursor_id = app.article_list.article_id_at(app.article_list.cursor)
        applied: list[float] = []
        swaps: list[float] = []
        apply = app.live.apply

        def timed_apply(message: object) -> None:
            start = time.perf_counter()
            apply(message)  # type: ignore[arg-type]
            applied.append(time.perf_counter())
            swaps.append(applied[-1] - start)

        app.live.apply = timed_apply  # type: ignore[method-assign]
        probe = LagProbe()
        probe.start()
        latencies, stalls, idle, kept = [], [], [], 0
        for number in range(pages):
            await asyncio.sleep(1.0)
            probe.take()
            await asyncio.sleep(1.0)
            idle.append(probe.take())
            target = folder / f"live-{number:03}.txt"
            before = len(applied)
            with target.open("w", encoding="utf-8") as out:
                out.write(make_page(rng, words, 5, sidebar))
            closed = time.perf_counter()
            await _until(pilot, lambda: len(applied) > before, 60, f"page {number}")
            latencies.append(applied[-1] - closed)
            await asyncio.sleep(AFTER_S)
            stalls.append(probe.take())
            kept += app.article_list.article_id_at(app.article_list.cursor) == cursor_id
            print(
                f"  page {number + 1}: in the list {latencies[-1] * 1000:6.0f} ms after its close;"
                f" longest UI stall {stalls[-1] * 1000:5.1f} ms (idle: {idle[-1] * 1000:5.1f} ms);"
                f" the swap on the UI thread {swaps[-1] * 1000:5.1f} ms"
            )
        probe.stop()
        result.update(latencies=latencies, stalls=stalls, idle=idle, kept=kept, new=len(app.live.new_ids), swaps=swaps)
        app.exit()

    asyncio.run(_drive(app, run))
    return result


async def _drive(app: object, run: object) -> None:
    async with app.run_test(size=(120, 40)) as pilot:  # type: ignore[attr-defined]
        await run(pilot)  # type: ignore[operator]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the corpus here (default: a temp dir)")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-live-") as scratch:
        base = args.keep or Path(scratch)
        folder = base / f"pages-{args.articles}"
        for old in folder.glob("live-*.txt"):
            old.unlink()
        if not folder.is_dir():
            started = time.perf_counter()
            write_corpus(folder, args.articles)
            print(f"{args.articles:,} articles written in {time.perf_counter() - started:.1f} s")
        from core.ingest import load_corpus
        from core.snapshot import wait_for_saves

        started = time.perf_counter()
        load_corpus([folder])
        wait_for_saves()
        print(f"snapshot made warm in {time.perf_counter() - started:.1f} s")
        result = measure(folder, args.pages)
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    latencies, stalls, idle = result["latencies"], result["stalls"], result["idle"]
    rows = [
        ("rows in the list", f"{result['rows']:,}", ""),
        (
            "new page's close to its articles in the list: median / worst",
            f"{statistics.median(latencies) * 1000:.0f} / **{max(latencies) * 1000:.0f} ms**",  # type: ignore[arg-type]
            "<= 2 s at 100k",
        ),
        (
            "longest UI stall while a batch merges (5 ms timer's lateness): median / worst",
            f"{statistics.median(stalls) * 1000:.0f} / **{max(stalls) * 1000:.0f} ms**",  # type: ignore[arg-type]
            "<= 100 ms at 100k",
        ),
        ("same, the app idle, as long", f"{statistics.median(idle) * 1000:.0f} / {max(idle) * 1000:.0f} ms", ""),  # type: ignore[arg-type]
        ("the swap of the rows on the UI thread: median / worst", f"{statistics.median(result['swaps']) * 1000:.0f} / {max(result['swaps']) * 1000:.0f} ms", ""),  # type: ignore[arg-type]
        ("cursor kept on its article (sorted by title)", f"{result['kept']} of {len(latencies)} pages", ""),  # type: ignore[arg-type]
        ("`+N new` after the pages", f"+{result['new']}", ""),
    ]
    for label, value, target in rows:
        print(f"  {label}: {value}{f'  (target {target})' if target else ''}")
    if args.write_docs:
        from bench.docs_table import machine_line, markdown_table, write_block

        command = f"uv run python -m bench.live --articles {args.articles} --pages {args.pages} --write-docs"
        table = markdown_table(["measure", f"{args.articles:,} articles", "target"], rows)
        size = f"{args.articles:,} articles in pages of five, {args.pages} new pages"
        write_block("live", "## Following the folder", f"{table}\n\n{machine_line(command, size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
