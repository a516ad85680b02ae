"""Benchmark of one large table: the dashboard's first and all rows, `parse`, memory, and visidata.

    uv run python -m bench.tables [--mb 1000] [--runs 3] [--real] [--keep DIR] [--vd PATH] [--write-docs]

Writes a JSONL export of articles (a scraper database's dump: title, body, section, source,
date, url) of about `--mb` megabytes, with article text drawn from the bundled seed page's
vocabulary (bench/corpus_gen.py), or with `--real` the real news the tests hold (Wikinews in
English and Russian, and news in four more languages: `write_real_table`), then measures,
each in a fresh process with a cold cache:

- the dashboard, spawned as bench/tui.py spawns it (headless, `App.run(auto_pilot=...)`),
  spawn to the first paint with rows (the rows found so far, while the table is read) and
  spawn to the paint of all rows, with the process's peak RSS;
- `newsdesk parse FILE` (JSONL to stdout, thrown away): wall time, MB/s and peak RSS
  (the child's own, from wait4), and that RSS over the file's size (the budget is 3x);
- visidata's full load of the same file, when `vd` is installed (found on PATH or given
  with `--vd`; it is not a dependency: `uv tool install visidata`): the Python that runs `vd`
  is spawned to import visidata, open the file as `vd` would, and wait for its loader thread
  (`sheet.reload(); vd.sync()`), so spawn to all rows loaded, interpreter start and imports
  included as they are for the dashboard. No screen is drawn, which favours visidata a little.
  Both run with their installed packages' bytecode written first (`compile_installs`), as pip
  installs them;
- when tmux is installed, both again in a real terminal, as they are used (bench/terminal.py):
  the `newsdesk` script and `vd` each started in a tmux pane and their screens read until they
  show all rows, so each pays for drawing its own screen while it loads.

Each timing is the median of `--runs` spawns, and each child's CPU seconds (user and system,
from the rusage of waited children) are shown beside. The machine may be shared: numbers move with
its load, so the ratios (newsdesk over visidata, RSS over text) are the thing to read.
`--write-docs` puts the table of the run in docs/performance.md (block `bench:tables`, or
`bench:tables-real` with `--real`).
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

from bench import terminal
from bench.corpus_gen import PARTNERS, SECTIONS, _paragraph, _title, vocabulary
from bench.docs_table import machine_line, markdown_table, write_block
from bench.tui import _spawn, compile_sources

ROOT = Path(__file__).resolve().parents[1]

_VISIDATA_LOAD = """
import sys, time
import visidata
from visidata import vd
sheet = vd.openSource(visidata.Path(sys.argv[1]))
sheet.reload()
vd.sync()
print(len(sheet.rows), time.time())
"""


Article = Callable[[int], tuple[str, str]]
"""The title and body of the export's article number n."""


def _write_export(path: Path, megabytes: int, article: Article, rng: random.Random) -> tuple[int, int]:
    """Write JSONL rows of `article`s, with a section, source, date and url each, to `path`
    until it holds about `megabytes` MB; returns (articles, text bytes)."""
    target = megabytes * 1_000_000
    count = text_bytes = 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < target:
            title, body = article(count)
            row = {
                "title": title,
                "body": body,
                "section": rng.choice(SECTIONS),
                "source": rng.choice(PARTNERS),
                "date": f"20{rng.randint(15, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "url": f"https://news.example.org/{count}",
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            text_bytes += len(title.encode()) + len(body.encode())
            count += 1
    return count, text_bytes


def write_table(path: Path, megabytes: int, seed: int = 5) -> tuple[int, int]:
    """Write about `megabytes` MB of JSONL articles to `path`; returns (articles, text bytes).

    Paragraphs come from a pool of seeded ones, as articles on one site share wording; each
    article has its own title, so none is a duplicate of another."""
    rng = random.Random(seed)
    words = vocabulary()
    pool = [_paragraph(rng, words) for _ in range(20_000)]

    def article(count: int) -> tuple[str, str]:
        return f"{_title(rng, words)} {count}", "\n\n".join(rng.choices(pool, k=rng.randint(6, 14)))

    return _write_export(path, megabytes, article, rng)


REAL_TEXT = (ROOT / "tests" / "data" / "realtext" / "wikinews-en.json", ROOT / "tests" / "data" / "realtext" / "wikinews-ru.json")
REAL_LANGUAGES = ROOT / "tests" / "data" / "language" / "articles.jsonl"


def real_articles() -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of the real news the tests hold: Wikinews in English and Russian
    (tests/data/realtext) and the language fixtures' news in six languages."""
    articles = [
        (article["title"], list(article["paragraphs"]))
        for source in REAL_TEXT
        for article in json.loads(source.read_text(encoding="utf-8"))
    ]
    for line in REAL_LANGUAGES.read_text(encoding="utf-8").splitlines():
        article = json.loads(line)
        articles.append((article["title"], [p for p in article["body"].split("\n\n") if p.strip()]))
    return articles


def write_real_table(path: Path, megabytes: int, seed: int = 5) -> tuple[int, int]:
    """Write about `megabytes` MB of JSONL rows of real news (`real_articles`, 48 of the
    105 Russian) to `path`; returns (articles, text bytes). A scraper's export holds each
    article once; the hundred real ones here come round again and again, each time under a
    numbered title and turned to start at another of its sentences (`_turned`), so that
    the openings language detection reads are nearly all distinct within a batch, as in a
    real export: repeated ones are judged once a batch, and made the load look quicker."""
    articles = [(title, _sentences(paragraphs)) for title, paragraphs in real_articles()]

    def article(count: int) -> tuple[str, str]:
        title, sentences = articles[count % len(articles)]
        return f"{title} ({count})", _turned(sentences, count // len(articles))

    return _write_export(path, megabytes, article, random.Random(seed))


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def _sentences(paragraphs: list[str]) -> list[tuple[str, bool]]:
    """Each sentence of `paragraphs`, and whether it ends its paragraph."""
    found: list[tuple[str, bool]] = []
    for paragraph in paragraphs:
        parts = [part for part in _SENTENCE_END.split(paragraph.strip()) if part]
        found.extend((part, at == len(parts) - 1) for at, part in enumerate(parts))
    return found


def _turned(sentences: list[tuple[str, bool]], turn: int) -> str:
    """The text of `sentences` starting at sentence `turn`, paragraphs kept apart by a
    blank line; each round through the sentences, the first one also loses a word more
    (a short article has few sentences to open with). Both count round."""
    start = turn % len(sentences)
    first, ends = sentences[start]
    words = first.split(" ")
    first = " ".join(words[(turn // len(sentences)) % len(words) :])
    text = ""
    for sentence, ends in [(first, ends), *sentences[start + 1 :], *sentences[:start]]:
        text += sentence + ("\n\n" if ends else " ")
    return text.strip()


def _timed_child(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) and stdout's last line of a child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    last = b""
    assert child.stdout is not None
    for line in child.stdout:  # read as it comes: a full pipe would stall the child
        last = line or last
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed with {child.returncode}")
    return seconds, usage.ru_maxrss / 1024, last.decode("utf-8", "replace").strip()


def parse_run(table: Path, cache: Path) -> tuple[float, float, float]:
    """Seconds, peak RSS (MB) and CPU seconds of a cold `newsdesk parse` of `table`."""
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, NEWSDESK_CACHE_DIR=str(cache), NEWSDESK_STATE_DIR=str(cache / "state"))
    before = _children_cpu()
    seconds, rss, _ = _timed_child([sys.executable, "-m", "tui.cli", "parse", str(table)], env)
    return seconds, rss, _children_cpu() - before


def _children_cpu() -> float:
    """CPU seconds (user and system) of the children waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dashboard_run(table: Path, cache: Path) -> dict[str, object]:
    """A cold open of the dashboard on `table` (bench/tui.py's child): first rows, all rows,
    RSS, and the CPU seconds of the whole child (to its exit after the paint of all rows)."""
    shutil.rmtree(cache, ignore_errors=True)
    before = _children_cpu()
    result = _spawn(["paint", str(table)], cache)
    result["cpu_s"] = _children_cpu() - before
    return result


def _visidata_python(vd: str) -> str | None:
    """The interpreter that runs the `vd` script (its shebang)."""
    try:
        with open(vd, "rb") as script:
            first = script.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    return first[2:].split()[0] if first.startswith("#!") and "python" in first else None


_SITE_PACKAGES = "import sysconfig; print(sysconfig.get_paths()['purelib'])"


def compile_installs(pythons: list[str]) -> None:
    """Write the bytecode of every package installed for each interpreter, as pip does when
    it installs them: uv does not, and where PYTHONDONTWRITEBYTECODE is set neither program
    would ever have it, each start compiling its imports (Textual and Polars, visidata) again."""
    for python in pythons:
        folder = subprocess.run([python, "-c", _SITE_PACKAGES], capture_output=True, text=True, check=True).stdout.strip()
        subprocess.run([python, "-m", "compileall", "-q", "-j", "0", folder], stdout=subprocess.DEVNULL, check=False)


def _visidata_version(python: str) -> str:
    """visidata's version as its interpreter reports it ("?" when it cannot say)."""
    try:
        done = subprocess.run([python, "-c", "import visidata; print(visidata.__version__)"],
                              capture_output=True, text=True, timeout=60, check=True)
    except (OSError, subprocess.SubprocessError):
        return "?"
    return done.stdout.strip() or "?"


def visidata_run(python: str, table: Path) -> tuple[float, float, int, float]:
    """Spawn to all rows loaded by visidata, its peak RSS (MB), its row count and CPU seconds."""
    started = time.time()
    before = _children_cpu()
    _, rss, last = _timed_child([python, "-c", _VISIDATA_LOAD, str(table)])
    rows, finished = last.split()
    return float(finished) - started, rss, int(rows), _children_cpu() - before


def terminal_runs(table: Path, cache: Path, vd: str | None, total: int) -> tuple[terminal.Watched, terminal.Watched | None]:
    """The dashboard (cold) and visidata in a tmux pane each, first and all rows as seen on screen."""
    shutil.rmtree(cache, ignore_errors=True)
    env = {"NEWSDESK_CACHE_DIR": str(cache), "NEWSDESK_STATE_DIR": str(cache / "state")}
    script = str(Path(sys.executable).with_name("newsdesk"))
    dashboard = terminal.watch([script, str(table)], terminal.dashboard_rows, total, env)
    visidata = terminal.watch([vd, str(table)], terminal.visidata_rows, total) if vd else None
    return dashboard, visidata


FIRST_ROWS_TARGET_S = 1.0
ALL_ROWS_TARGET_X = 2.0
RSS_TARGET_X = 3.0


def docs_table(measured: dict[str, float], visidata: dict[str, float] | None,
               screens: dict[str, float] | None = None) -> str:
    """The run as a Markdown table: one measure a row, its value and its target.

    `measured` holds the file (`megabytes`, `articles`) and the medians of the dashboard and
    of `parse`; `visidata` its load's medians, or None when it was not measured; `screens`
    the medians seen in a terminal (`first_rows_s` and `all_rows_s` of the dashboard, and
    `vd_` ones of visidata when it ran), or None when tmux is not installed."""
    megabytes = measured["megabytes"]
    missing = "not measured (no `vd`)"

    def over_visidata(value: float, key: str) -> str:
        return f"{value / visidata[key]:.2f}x" if visidata else missing

    rss_x = measured["rss_mb"] / megabytes
    parse_rss_x = measured["parse_rss_mb"] / megabytes
    rows = [
        ["file", f"{megabytes:.0f} MB of JSONL, {measured['articles']:,.0f} articles", ""],
        ["dashboard, first rows (spawn to first paint with rows)", f"{measured['first_rows_s']:.2f} s",
         f"<= {FIRST_ROWS_TARGET_S:.0f} s after launch"],
        ["dashboard, all rows (spawn to paint of all rows)",
         f"{measured['all_rows_s']:.2f} s ({megabytes / measured['all_rows_s']:.0f} MB/s)", ""],
        ["all rows / visidata's all rows", over_visidata(measured["all_rows_s"], "all_rows_s"),
         f"<= {ALL_ROWS_TARGET_X:.0f}x"],
        ["dashboard, languages all detected (spawn to the load's end)", f"{measured['loaded_s']:.2f} s", ""],
        ["dashboard, CPU (launch to exit)", f"{measured['cpu_s']:.2f} s", ""],
        ["CPU / visidata's CPU", over_visidata(measured["cpu_s"], "cpu_s"), ""],
        ["`newsdesk parse`, wall / CPU",
         f"{measured['parse_s']:.2f} s ({megabytes / measured['parse_s']:.0f} MB/s) / {measured['parse_cpu_s']:.2f} s", ""],
        ["peak RSS over the file's size, dashboard / parse",
         f"{rss_x:.1f}x ({measured['rss_mb']:.0f} MB) / {parse_rss_x:.1f}x ({measured['parse_rss_mb']:.0f} MB)",
         f"<= {RSS_TARGET_X:.0f}x the text"],
        ["visidata, all rows (spawn to its loader's end)",
         f"{visidata['all_rows_s']:.2f} s, CPU {visidata['cpu_s']:.2f} s, peak RSS {visidata['rss_mb']:.0f} MB"
         if visidata else missing, ""],
    ]
    if screens is not None:
        rows.append(["in a terminal (tmux): dashboard, first rows / all rows",
                     f"{screens['first_rows_s']:.2f} s / {screens['all_rows_s']:.2f} s", ""])
        if "vd_all_rows_s" in screens:
            rows.append(["in a terminal (tmux): visidata, first rows / all rows",
                         f"{screens['vd_first_rows_s']:.2f} s / {screens['vd_all_rows_s']:.2f} s", ""])
            rows.append(["in a terminal: all rows / visidata's all rows",
                         f"{screens['all_rows_s'] / screens['vd_all_rows_s']:.2f}x", f"<= {ALL_ROWS_TARGET_X:.0f}x"])
    return markdown_table(["measure", "value (median)", "target"], rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1000, help="size of the JSONL file in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the table here (default: a temp dir); reused if present")
    parser.add_argument("--vd", help="the visidata `vd` script (default: `vd` on PATH)")
    parser.add_argument("--real", action="store_true",
                        help="rows of the real news the tests hold (English, Russian and four more) rather than generated text")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args(argv)
    compile_sources()
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-tables-") as scratch:
        base = args.keep or Path(scratch)
        base.mkdir(parents=True, exist_ok=True)
        table = base / (f"export-real-{args.mb}mb.jsonl" if args.real else f"export-{args.mb}mb.jsonl")
        if not table.exists():
            started = time.perf_counter()
            count, text_bytes = (write_real_table if args.real else write_table)(table, args.mb)
            print(f"wrote {table.name}: {count:,} articles, {table.stat().st_size / 1e6:.0f} MB"
                  f" ({text_bytes / 1e6:.0f} MB of title and body text) in {time.perf_counter() - started:.0f} s")
        size = table.stat().st_size
        megabytes = size / 1e6
        print(f"\n{table.name}: {megabytes:.0f} MB; medians of {args.runs} cold runs")

        vd = args.vd or shutil.which("vd")
        python = _visidata_python(vd) if vd else None
        compile_installs([sys.executable, *([python] if python else [])])
        # Each run spawns the three in turn, so that all see the machine of the same minutes.
        opens, parses, loads, watched = [], [], [], []
        for _ in range(args.runs):
            opens.append(dashboard_run(table, base / "cache-dashboard"))
            parses.append(parse_run(table, base / "cache-parse"))
            if python is not None:
                loads.append(visidata_run(python, table))
            if terminal.tmux() is not None:
                watched.append(terminal_runs(table, base / "cache-terminal", vd if python else None, int(opens[0]["rows"])))  # type: ignore[arg-type]
        first_rows = statistics.median(float(o["first_rows_s"]) for o in opens)  # type: ignore[arg-type]
        all_rows = statistics.median(float(o["first_paint_s"]) for o in opens)  # type: ignore[arg-type]
        loaded = statistics.median(float(o["loaded_s"]) for o in opens)  # type: ignore[arg-type]
        rss = max(float(o["rss_mb"]) for o in opens)  # type: ignore[arg-type]
        print(f"  dashboard, first rows:  {first_rows:7.2f} s  (spawn to the first paint with rows; target <= 1 s)")
        print(f"  dashboard, all rows:    {all_rows:7.2f} s  ({opens[0]['rows']:,} rows; {megabytes / all_rows:.0f} MB/s)")
        print(f"  dashboard, languages:   {loaded:7.2f} s  (all detected: the load's end)")
        open_cpu = statistics.median(float(o["cpu_s"]) for o in opens)  # type: ignore[arg-type]
        print(f"  dashboard, peak RSS:    {rss:7.0f} MB  ({rss * 1e6 / size:.1f}x the file; budget <= 3x)")
        print(f"  dashboard, CPU:         {open_cpu:7.2f} s  (user and system, launch to exit, all threads)")
        parse_s = statistics.median(s for s, _, _ in parses)
        parse_rss = max(r for _, r, _ in parses)
        parse_cpu = statistics.median(c for _, _, c in parses)
        print(f"  parse:                  {parse_s:7.2f} s  ({megabytes / parse_s:.0f} MB/s, JSONL out to a pipe)")
        print(f"  parse, peak RSS:        {parse_rss:7.0f} MB  ({parse_rss * 1e6 / size:.1f}x the file; budget <= 3x)")
        print(f"  parse, CPU:             {parse_cpu:7.2f} s")
        visidata: dict[str, float] | None = None
        if not loads:
            print("  visidata: not found (uv tool install visidata, or --vd PATH)")
        else:
            vd_s = statistics.median(s for s, _, _, _ in loads)
            vd_rss = max(r for _, r, _, _ in loads)
            vd_cpu = statistics.median(c for _, _, _, c in loads)
            visidata = {"all_rows_s": vd_s, "rss_mb": vd_rss, "cpu_s": vd_cpu}
            print(f"  visidata, all rows:     {vd_s:7.2f} s  ({loads[0][2]:,} rows; spawn to its loader's end; peak RSS {vd_rss:.0f} MB)")
            print(f"  visidata, CPU:          {vd_cpu:7.2f} s")
            print(f"  ratio all rows / visidata: dashboard {all_rows / vd_s:.2f}x (target <= 2x), parse {parse_s / vd_s:.2f}x")
            print(f"  ratio CPU / visidata's:    dashboard {open_cpu / vd_cpu:.2f}x, parse {parse_cpu / vd_cpu:.2f}x"
                  " (steadier than wall time on a shared machine)")
        screens: dict[str, float] | None = None
        if not watched:
            print("  in a terminal: not measured (no tmux)")
        else:
            screens = {
                "first_rows_s": statistics.median(d.first_rows_s for d, _ in watched),
                "all_rows_s": statistics.median(d.all_rows_s for d, _ in watched),
            }
            print(f"  in a terminal, dashboard: first rows {screens['first_rows_s']:.2f} s, all rows {screens['all_rows_s']:.2f} s")
            seen = [v for _, v in watched if v is not None]
            if seen:
                screens["vd_first_rows_s"] = statistics.median(v.first_rows_s for v in seen)
                screens["vd_all_rows_s"] = statistics.median(v.all_rows_s for v in seen)
                print(f"  in a terminal, visidata:  first rows {screens['vd_first_rows_s']:.2f} s, all rows {screens['vd_all_rows_s']:.2f} s")
                print(f"  in a terminal, ratio all rows / visidata: {screens['all_rows_s'] / screens['vd_all_rows_s']:.2f}x (target <= 2x)")
        if args.write_docs:
            measured = {
                "megabytes": megabytes, "articles": float(opens[0]["rows"]),  # type: ignore[arg-type]
                "first_rows_s": first_rows, "all_rows_s": all_rows, "loaded_s": loaded, "cpu_s": open_cpu, "rss_mb": rss,
                "parse_s": parse_s, "parse_cpu_s": parse_cpu, "parse_rss_mb": parse_rss,
            }
            vd_flag = f" --vd {args.vd}" if args.vd else ""
            real_flag = " --real" if args.real else ""
            command = f"uv run python -m bench.tables --mb {args.mb} --runs {args.runs}{real_flag}{vd_flag} --write-docs"
            size = f"{megabytes:.0f} MB, {opens[0]['rows']:,} articles, medians of {args.runs} cold runs"
            if visidata is None:
                size += "; visidata not found, not measured"
            else:
                size += f"; visidata {_visidata_version(python)}"  # type: ignore[arg-type]
            write_block("tables-real" if args.real else "tables", "## Large tables", f"{docs_table(measured, visidata, screens)}\n\n{machine_line(command, size)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
