"""Insight benchmark: each statistic, and what each insight screen computes when it opens, on a
synthetic 100k-article corpus, next to the 300 ms budget.

    uv run python -m bench.insight [--articles 100000] [--per-article 10] [--repeat 5]
                                   [--app-runs 5] [--no-app] [--write-docs]

Three groups of numbers: each keyword statistic (core.keyness, core.trends,
core.cooccurrence, core.overview); the whole computation each screen (and the keyword
panel's distinctive mode) runs in its worker when it opens (`compute_trends` with the
keyword index the app's view builds, and without it; `compute_overview`; the keyword panel's
`compute_distinctive` at the panel's top, through the view's index at row positions as the
app hands it over, and over the ids); and, unless `--no-app`, the wall time in the real
app (headless, 120x40) from the action (what `t`, `o`, `d` run; Pilot's `press` itself waits
for the app to go idle, which would add its own delay) to the first paint that shows the
screen's numbers (`app_open_times`, which bench/scale.py uses too): trends with the cursor on
the panel's first keyword, the overview, and the distinctive mode after a section filter;
median, range and the first open of `--app-runs`. For scale it also times an empty
ModalScreen's first paint: the cost of pushing any screen in this app, which the worker's
computation overlaps.

The corpus is generated as frames, not parsed: ids, 40 sections, 200 sources (a third of rows
without one), 5% teasers, 5% repeated rows, 80% dated over two years, three languages; about
`--per-article` keywords per article drawn from a Zipf-like vocabulary of 50,000 keys (so the
head keys are in tens of thousands of articles and the tail in a handful). Times are the
median of `--repeat` runs after one warm-up, in milliseconds. Keys measured: the most common
key (the worst case for co-occurrence), one ranked 100th, and one ranked 10,000th.
`--write-docs` puts the table of the run in docs/performance.md (block `bench:insight`,
bench/docs_table.py).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402

from bench.docs_table import machine_line, markdown_table, write_block  # noqa: E402
from core.corpus import ARTICLE_SCHEMA, KEYWORD_SCHEMA, Corpus  # noqa: E402
from core.cooccurrence import cooccurring_keywords  # noqa: E402
from core.keyness import distinctive_keywords  # noqa: E402
from core.keyword_index import KeywordIndex  # noqa: E402
from core.overview import corpus_overview  # noqa: E402
from core.trends import keyword_trend  # noqa: E402

BUDGET_MS = 300.0
VOCABULARY = 50_000


def make_corpus(articles: int, per_article: int, seed: int = 8) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(articles frame, keywords frame) with the shapes described in the module docstring."""
    rng = random.Random(seed)
    sections = [f"Section {n}" for n in range(40)]
    sources = [f"Partner {n}" for n in range(200)]
    start = dt.date(2022, 1, 1)
    ids = [f"{n:016x}" for n in range(articles)]
    frame = pl.DataFrame(
        {
            "id": ids,
            "kind": ["teaser" if rng.random() < 0.05 else "article" for _ in ids],
            "section": [rng.choice(sections) for _ in ids],
            "title": [f"Title {n}" for n in range(articles)],
            "body": ["" for _ in ids],
            "source": [rng.choice(sources) if rng.random() < 0.66 else None for _ in ids],
            "author_bio": [None] * articles,
            "caption": [None] * articles,
            "subheadings": [[] for _ in ids],
            "age": [None] * articles,
            "date": [start + dt.timedelta(days=rng.randrange(730)) if rng.random() < 0.8 else None for _ in ids],
            "url": [None] * articles,
            "language": [rng.choices(["en", "ru", "de"], weights=[90, 7, 3])[0] for _ in ids],
            "words": [rng.randrange(50, 2000) for _ in ids],
            "path": ["bench"] * articles,
            "copies": [rng.randrange(2, 5) if rng.random() < 0.05 else 1 for _ in ids],
        },
        schema=ARTICLE_SCHEMA,
    )
    # Zipf-like: weight 1 / (rank + 10); drawn all at once (one cumulative table).
    cumulative, total = [], 0.0
    for rank in range(VOCABULARY):
        total += 1 / (rank + 10)
        cumulative.append(total)
    drawn = rng.choices(range(VOCABULARY), cum_weights=cumulative, k=articles * per_article)
    rows_id: list[str] = []
    rows_rank: list[int] = []
    rows_key: list[str] = []
    for index, ident in enumerate(ids):
        chosen = sorted(set(drawn[index * per_article : (index + 1) * per_article]))
        for rank, number in enumerate(chosen, start=1):
            rows_id.append(ident)
            rows_rank.append(rank)
            rows_key.append(f"key {number}")
    keywords = pl.DataFrame(
        {"id": rows_id, "rank": rows_rank, "keyword": rows_key, "key": rows_key, "score": [0.1] * len(rows_id)},
        schema=KEYWORD_SCHEMA,
    )
    return frame, keywords


def measure(function: Callable[[], object], repeat: int) -> float:
    """Median milliseconds of `repeat` calls after one warm-up call."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


REPORTED: list[tuple[str, float, str]] = []
"""Every `report` of this run, in order, for the docs table: (name, ms, note)."""


def report(name: str, ms: float, note: str = "") -> None:
    ratio = ms / BUDGET_MS
    verdict = "ok" if ms <= BUDGET_MS else "OVER"
    print(f"{name:<52} {ms:8.1f} ms  {ratio:5.2f}x of {BUDGET_MS:.0f} ms  {verdict:4}  {note}".rstrip())
    REPORTED.append((name, ms, note))


def docs_table(reported: list[tuple[str, float, str]]) -> str:
    """Each measure: median ms, its share of the budget, and the note (the app's range)."""
    rows = [[name.strip(), f"{ms:.1f}", f"{ms / BUDGET_MS:.2f}x", note] for name, ms, note in reported]
    return markdown_table(["measure", "ms (median)", f"of the {BUDGET_MS:.0f} ms budget", "in the app: range, first open"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--per-article", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-app", action="store_true", help="skip the timings in the running app")
    parser.add_argument("--app-runs", type=int, default=5, help="opens of each screen in the app")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    REPORTED.clear()

    started = time.perf_counter()
    articles, keywords = make_corpus(args.articles, args.per_article)
    print(
        f"corpus: {articles.height:,} rows, {keywords.height:,} keyword rows, "
        f"{keywords.get_column('key').n_unique():,} keys (generated in {time.perf_counter() - started:.1f} s)"
    )
    docs = keywords.group_by("key").len().sort("len", descending=True)
    keys = {
        "top": docs.item(0, "key"),
        "100th": docs.item(min(99, docs.height - 1), "key"),
        "10000th": docs.item(min(9_999, docs.height - 1), "key"),
    }
    for label, key in keys.items():
        print(f"  {label} key {key!r}: {docs.filter(pl.col('key') == key).item(0, 'len'):,} docs")
    section = articles.filter(pl.col("section") == "Section 0").get_column("id")
    print(f"  subset for distinctive: section 'Section 0', {section.len():,} rows")
    print()

    r = args.repeat
    for label, key in keys.items():
        report(f"keyword_trend by section ({label} key)", measure(lambda: keyword_trend(articles, keywords, key), r))
        report(f"keyword_trend by week ({label} key)", measure(lambda: keyword_trend(articles, keywords, key, by="week"), r))
        report(f"keyword_trend by month ({label} key)", measure(lambda: keyword_trend(articles, keywords, key, by="month"), r))
        report(f"cooccurring_keywords ({label} key)", measure(lambda: cooccurring_keywords(keywords, key), r))
    report("distinctive_keywords (one section vs the rest)", measure(lambda: distinctive_keywords(articles, keywords, section, top=200), r))
    report("corpus_overview", measure(lambda: corpus_overview(articles, keywords), r))

    from tui.screens.overview import compute_overview
    from tui.screens.trends import compute_trends
    from tui.widgets.keyword_panel import Subset, compute_distinctive

    print("\nscreen open: the statistics each screen computes in its worker")
    # The app's view builds this for the keyword panel; the trends screen finds and uses it.
    index = KeywordIndex(articles.get_column("id"), keywords)
    index.aggregate(None, top=200)  # what the panel asks for first
    for label, key in keys.items():
        report(f"trends screen ({label} key)", measure(lambda: compute_trends(articles, keywords, key, index), r))
        report(f"  trends screen without the keyword index ({label} key)", measure(lambda: compute_trends(articles, keywords, key), r))
    report("overview screen", measure(lambda: compute_overview(articles, keywords), r))
    rows = articles.with_row_index("row").filter(pl.col("section") == "Section 0").get_column("row")
    report(
        "keyword panel, distinctive mode (one section)",
        measure(lambda: compute_distinctive(Subset(Corpus(articles, keywords), section, index, rows)), r),
    )
    report(
        "  distinctive mode over the ids, without the index",
        measure(lambda: compute_distinctive(Subset(Corpus(articles, keywords), section)), r),
    )
    if not args.no_app:
        runs = args.app_runs
        print(f"\nin the app (headless, 120x40): action to the first paint with the numbers, median of {runs}")
        times = asyncio.run(app_open_times(Corpus(articles, keywords), "Section 0", runs))
        for name, label in APP_SCREENS.items():
            report(label, statistics.median(times[name]), f"range {min(times[name]):.0f}–{max(times[name]):.0f}, first {times[name][0]:.0f}")
    if args.write_docs:
        command = (
            f"uv run python -m bench.insight --articles {args.articles} --per-article {args.per_article} "
            f"--repeat {args.repeat} --app-runs {args.app_runs}{' --no-app' if args.no_app else ''} --write-docs"
        )
        size = f"{articles.height:,} articles, {keywords.height:,} keyword rows"
        write_block("insight", "## Insight screens", f"{docs_table(REPORTED)}\n\n{machine_line(command, size)}")
    return 0


APP_SCREENS = {
    "empty": "empty ModalScreen, first paint (for scale)",
    "t": "t: trends screen",
    "o": "o: overview screen",
    "d": "d: distinctive mode, one section",
}
"""The screens `app_open_times` opens, and how reports name them."""


async def app_open_times(corpus: Corpus, section: str, runs: int = 5) -> dict[str, list[float]]:
    """Open each insight screen `runs` times in the real app (headless, 120x40): milliseconds
    from the action to the first paint that shows the screen's numbers, by APP_SCREENS key, in
    order (the first is the first open in the app's life, once its start-up work is done:
    keywords shown, search columns made). `d` runs on the filter `section:"<section>"`; `t` on
    the keyword under the panel's cursor at start. Each open tells the app's idle collector
    of input, as a key press would.

    A paint is the compositor's update handed to the driver (`App._display`); headless, the
    driver then writes nothing, so a terminal's own cost of drawing the update is not in it.
    Waits with a plain sleep, not `Pilot.pause`, which waits for the whole app to go idle.
    The app keeps its reading state in a temporary directory: it would otherwise restore the
    filter a previous run left for a corpus of no paths (and show no rows)."""
    saved = os.environ.get("NEWSDESK_STATE_DIR")
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-state-") as state:
        os.environ["NEWSDESK_STATE_DIR"] = state
        try:
            return await _open_times(corpus, section, runs)
        finally:
            if saved is None:
                del os.environ["NEWSDESK_STATE_DIR"]
            else:
                os.environ["NEWSDESK_STATE_DIR"] = saved


async def _open_times(corpus: Corpus, section: str, runs: int) -> dict[str, list[float]]:
    from textual.screen import ModalScreen
    from textual.widgets import Static

    from core.view import ROW_COLUMN
    from tui.app import create_app
    from tui.screens.overview import OverviewScreen
    from tui.screens.trends import TrendsScreen

    class Empty(ModalScreen[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("")

    app = create_app([], corpus=corpus, index=False)
    times: dict[str, list[float]] = {name: [] for name in APP_SCREENS}
    shown: Callable[[], bool] = lambda: False  # noqa: E731
    painted: list[float] = []
    display = app._display

    def display_and_note(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None and not painted and shown():
            painted.append(time.perf_counter())

    app._display = display_and_note  # type: ignore[method-assign]

    async with app.run_test(size=(120, 40)) as pilot:

        async def until(predicate: Callable[[], object]) -> None:
            started = time.perf_counter()
            while not predicate():
                await asyncio.sleep(0.002)
                if time.perf_counter() - started > 60:
                    raise TimeoutError("screen did not open in 60 s")

        async def timed(name: str, ready: Callable[[], bool], action: Callable[[], object]) -> None:
            nonlocal shown
            painted.clear()
            shown = ready
            app.idle_collector.note_input()  # what the key press would tell it
            started = time.perf_counter()
            action()
            await until(lambda: painted)
            times[name].append((painted[0] - started) * 1000)
            shown = lambda: False  # noqa: E731

        def screen_shown(kind: type) -> Callable[[], bool]:
            return lambda: isinstance(app.screen, kind) and getattr(app.screen, "stats_shown", kind is Empty)

        async def screen(name: str, kind: type, open_it: Callable[[], object]) -> None:
            await timed(name, screen_shown(kind), open_it)
            app.pop_screen()
            await pilot.pause(0.3)

        # Settled: the first open is not timed against the search columns being made.
        await until(lambda: app.loaded and app.keyword_panel.keywords and app.view.search_ready)
        await pilot.pause(0.5)
        for _ in range(runs):
            await screen("empty", Empty, lambda: app.push_screen(Empty()))
            await screen("t", TrendsScreen, app.action_trends)
            await screen("o", OverviewScreen, app.action_overview)
        query = f'section:"{section}"'
        app.apply_filter(query)
        await until(lambda: app.applied_filter == query)
        await pilot.pause(0.5)
        panel = app.keyword_panel
        for _ in range(runs):
            # The same rows as a new subset (as the app hands them over): the panel computes
            # again instead of reusing.
            frame = app.article_list.frame
            panel.set_subset(app.view.corpus, frame.get_column("id"), app.view.keyword_index, frame.get_column(ROW_COLUMN))
            await timed("d", lambda: panel.mode == "distinctive" and bool(panel.keywords), panel.action_toggle_distinctive)
            panel.action_toggle_distinctive()
            await pilot.pause(0.3)
    return times


def summary(values: list[float]) -> str:
    """`median (min–max), first` of open times in ms."""
    return f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f}), first {values[0]:.0f}"


if __name__ == "__main__":
    sys.exit(main())
