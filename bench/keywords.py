"""Keyword benchmark: quality on public news gold sets, speed per document, and an index run.

    uv run python -m bench.keywords [--data DIR] [--sets 500n,wikinews-fr,pt-bn,ru-wikinews]
                                    [--engines] [--index-docs 2000] [--write-docs]

Gold sets (none is stored in this repository, except the small Russian set labelled for it):

- `500n`: 500N-KPCrowd v1.1 (Marujo et al., LREC 2012), the 449 English news stories that
  have a body, as `500N-KPCrowd/gold.jsonl` (one JSON object a line: title, body,
  keyphrases). The LIAAD zip below holds the same stories (`500N-KPCrowd-v1.1.zip`).
- `wikinews-fr`: WikiNews (Bougouin et al., 2013), 100 French Wikinews articles, and
- `pt-bn`: 110-PT-BN-KP (Marujo et al.), 110 Portuguese broadcast-news transcripts:
  both from github.com/LIAAD/KeywordExtractor-Datasets, `datasets/WikiNews.zip` and
  `datasets/110-PT-BN-KP.zip`, read as they are (the zip, or the folder it unpacks to).
- `ru-wikinews`: 25 Russian Wikinews articles (CC BY 2.5) with keyphrases labelled for
  this project, `tests/data/keywords/ru-wikinews-gold.json`.

Each set is looked for in the `--data` folders, then `$NEWSDESK_BENCH_DATA` (folders
separated by the path separator), then `../shared/data` beside the repository and the
user cache's `newsdesk/bench-data`. A missing set is reported and skipped.

Scores: P@5, P@10 (hits over 5 and 10, however many keywords were given), R@10 and F1@10
(per document, averaged), each under two match rules: exact after lower-casing and deleting
punctuation (the 500N gold's own normalisation: "Grammy-winning" is "Grammywinning"), and
with both sides stemmed word by word by the set's Snowball stemmer (in brackets). docs/s:
one process, text preparation and post-processing included, over CPU time (other jobs on
a shared machine change wall time more than this process's work). `stop` and `dup` count top-10 lists holding
a stopword keyword or two keywords with the same stems (or one inside another).
`--write-docs` replaces the block between `<!-- bench:keywords -->` and
`<!-- /bench:keywords -->` under "## Keywords" in docs/performance.md with the table, and
the index run's when `--index-docs` is given (bench/docs_table.py).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402
import snowballstemmer  # noqa: E402

from bench.docs_table import machine_line, markdown_table, markers, write_block  # noqa: E402
from core.corpus import RawArticle, build_corpus  # noqa: E402
from core.index import run_index  # noqa: E402
from core.keyword_engines import YAKE, YAKE_RUST, make_engine  # noqa: E402
from core.keyword_text import prepare_text  # noqa: E402
from core.keywords import Extractor, ExtractorParams  # noqa: E402
from core.stopwords import stopwords  # noqa: E402

TOP = 10
BLOCK_START, BLOCK_END = markers("keywords")
RU_GOLD = REPO / "tests" / "data" / "keywords" / "ru-wikinews-gold.json"
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_STEMMER_NAMES = {"en": "english", "fr": "french", "pt": "portuguese", "ru": "russian"}


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    body: str
    keyphrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GoldSet:
    name: str
    language: str
    source: str
    documents: list[Document]


def normalise(phrase: str) -> str:
    """Lower-cased, punctuation deleted, single spaces (the gold sets' own normalisation)."""
    return " ".join(_PUNCTUATION.sub("", phrase.lower()).split())


def data_dirs(given: list[Path]) -> list[Path]:
    """Where gold sets are looked for, in order."""
    env = [Path(p) for p in os.environ.get("NEWSDESK_BENCH_DATA", "").split(os.pathsep) if p]
    from platformdirs import user_cache_dir

    return [*given, *env, REPO.parent / "shared" / "data", Path(user_cache_dir("newsdesk")) / "bench-data"]


def _liaad_files(dirs: list[Path], name: str) -> Iterator[tuple[str, str]]:
    """(relative path, text) of every file of the LIAAD set `name`, from its zip or its folder."""
    for folder in dirs:
        archive = folder / f"{name}.zip"
        if archive.is_file():
            with zipfile.ZipFile(archive) as opened:
                for info in opened.infolist():
                    if not info.is_dir():
                        yield info.filename, opened.read(info).decode("utf-8", errors="replace")
            return
        unpacked = folder / name
        if unpacked.is_dir():
            for path in sorted(unpacked.rglob("*")):
                if path.is_file():
                    yield str(path.relative_to(unpacked)), path.read_text(encoding="utf-8", errors="replace")
            return


def _liaad_documents(files: Iterator[tuple[str, str]], titled: bool) -> list[Document]:
    texts: dict[str, str] = {}
    keys: dict[str, tuple[str, ...]] = {}
    for name, content in files:
        stem = Path(name).stem
        if "/docsutf8/" in f"/{name}" and name.endswith(".txt"):
            texts[stem] = content
        elif "/keys/" in f"/{name}" and name.endswith(".key"):
            keys[stem] = tuple(line.strip() for line in content.splitlines() if line.strip())
    documents = []
    for stem in sorted(texts.keys() & keys.keys()):
        lines = [line.strip() for line in io.StringIO(texts[stem]) if line.strip()]
        title = lines[0] if titled and lines else ""
        body_lines = lines[1:] if titled else lines
        if titled and body_lines and body_lines[0] == title:  # the title is repeated as the first line
            body_lines = body_lines[1:]
        documents.append(Document(title, "\n\n".join(body_lines), keys[stem]))
    return documents


def load_sets(dirs: list[Path], names: list[str]) -> list[GoldSet]:
    found: list[GoldSet] = []
    for name in names:
        if name == "500n":
            path = next((d / "500N-KPCrowd" / "gold.jsonl" for d in dirs if (d / "500N-KPCrowd" / "gold.jsonl").is_file()), None)
            if path is None:
                print("500n: 500N-KPCrowd/gold.jsonl not found (give --data DIR)", file=sys.stderr)
                continue
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            documents = [
                Document(str(r["title"]), str(r["body"]), tuple(r["keyphrases"])) for r in rows if str(r.get("body") or "").strip()
            ]
            found.append(GoldSet("500N-KPCrowd", "en", str(path), documents))
        elif name in ("wikinews-fr", "pt-bn"):
            archive, label, language = (
                ("WikiNews", "WikiNews-fr", "fr") if name == "wikinews-fr" else ("110-PT-BN-KP", "110-PT-BN-KP", "pt")
            )
            documents = _liaad_documents(_liaad_files(dirs, archive), titled=name == "wikinews-fr")
            if not documents:
                print(f"{name}: {archive}.zip not found (give --data DIR holding LIAAD's datasets/)", file=sys.stderr)
                continue
            found.append(GoldSet(label, language, f"LIAAD/KeywordExtractor-Datasets {archive}.zip", documents))
        elif name == "ru-wikinews":
            rows = json.loads(RU_GOLD.read_text(encoding="utf-8"))
            documents = [Document(r["title"], "\n\n".join(r["paragraphs"]), tuple(r["keyphrases"])) for r in rows]
            found.append(GoldSet("ru-Wikinews", "ru", str(RU_GOLD.relative_to(REPO)), documents))
        else:
            raise SystemExit(f"unknown set {name!r}")
    return found


class Matcher:
    """Both match rules for one language: exact-normalised and stemmed."""

    def __init__(self, language: str) -> None:
        self._stemmer = snowballstemmer.stemmer(_STEMMER_NAMES.get(language, "english"))

    def stem(self, phrase: str) -> str:
        return " ".join(self._stemmer.stemWords(normalise(phrase).split()))


def _scores(found: list[str], gold: set[str]) -> tuple[float, float, float, float]:
    hits5 = sum(1 for k in found[:5] if k in gold)
    hits10 = sum(1 for k in found[:TOP] if k in gold)
    p10, r10 = hits10 / TOP, hits10 / len(gold) if gold else 0.0
    f1 = 2 * p10 * r10 / (p10 + r10) if hits10 else 0.0
    return hits5 / 5, p10, r10, f1


def _has_duplicate(stems: list[str]) -> bool:
    words = [tuple(s.split()) for s in stems]
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            if a == b or _inside(a, b) or _inside(b, a):
                return True
    return False


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n < len(long) and any(long[i : i + n] == short for i in range(len(long) - n + 1))


Extract = Callable[[Document, str], list[str]]


def evaluate(gold_set: GoldSet, extract: Extract) -> dict[str, float]:
    """Mean scores under both rules, docs/s, and the stopword / duplicate list counts."""
    matcher = Matcher(gold_set.language)
    stops = stopwords(gold_set.language)
    totals = dict.fromkeys(("p5", "p10", "r10", "f10", "p5s", "p10s", "r10s", "f10s", "stop", "dup", "count"), 0.0)
    elapsed = 0.0
    for document in gold_set.documents:
        started = time.process_time()
        keywords = extract(document, gold_set.language)[:TOP]
        elapsed += time.process_time() - started
        exact = [normalise(k) for k in keywords]
        stemmed = [matcher.stem(k) for k in keywords]
        for suffix, found, gold in (
            ("", exact, {normalise(k) for k in document.keyphrases}),
            ("s", stemmed, {matcher.stem(k) for k in document.keyphrases}),
        ):
            for name, value in zip(("p5", "p10", "r10", "f10"), _scores(found, gold)):
                totals[name + suffix] += value
        totals["stop"] += any(k.casefold() in stops for k in keywords)
        totals["dup"] += _has_duplicate(stemmed)
        totals["count"] += len(keywords)
    size = len(gold_set.documents)
    result = {name: value / size for name, value in totals.items() if name not in ("stop", "dup")}
    result["stop"], result["dup"] = totals["stop"], totals["dup"]
    result["docs_per_s"] = size / elapsed if elapsed else 0.0
    return result


def newsdesk_extract(engine: str) -> Extract:
    extractor = Extractor(ExtractorParams(engine=engine))
    return lambda document, language: [k.keyword for k in extractor.extract(document.title, document.body, language)]


def raw_extract(engine: str) -> Extract:
    raw = make_engine(engine)
    return lambda document, language: [k for k, _ in raw.extract(prepare_text(document.title, document.body), language, TOP)]


def table(rows: list[tuple[str, str, dict[str, float]]]) -> str:
    """Markdown: one row per (set, extractor); each score exact, then stemmed in brackets."""
    lines = [
        "| set | docs | extractor | P@5 | P@10 | R@10 | F1@10 | keywords/doc | lists with a stopword / a duplicate | docs/s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for set_name, label, r in rows:
        cells = " | ".join(f"{r[m]:.3f} ({r[m + 's']:.3f})" for m in ("p5", "p10", "r10", "f10"))
        lines.append(
            f"| {set_name} | {int(r['docs'])} | {label} | {cells} | {r['count']:.1f} | "
            f"{int(r['stop'])} / {int(r['dup'])} | {r['docs_per_s']:.0f} |"
        )
    return "\n".join(lines)


def write_docs(
    text: str, path: Path | None = None, size: str = "every set found",
    command: str = "uv run python -m bench.keywords --engines --write-docs",
) -> None:
    """Put `text` and the machine's line between the markers under "## Keywords"."""
    write_block("keywords", "## Keywords", f"{text}\n\n{machine_line(command, size)}", path)


def index_table(count: int, words: int, plain: float, cold: float, warm: float) -> str:
    """The index run as a Markdown table: each time, its ratio and its target."""
    return markdown_table(
        [f"index of {count:,} generated articles ({words} words each)", "time", "ratio", "target"],
        [
            ["floor: plain `yake`, one process (extrapolated)", f"{plain:.1f} s", "", ""],
            ["cold index (`run_index`, every core)", f"{cold:.1f} s", f"**{plain / cold:.1f}x** faster than plain yake", ">= 1.5x"],
            ["warm index (every list cached)", f"{warm:.2f} s", f"**{cold / warm:.0f}x** faster than cold", ">= 20x"],
        ],
    )


def generated_articles(documents: list[Document], count: int) -> pl.DataFrame:
    """`count` distinct articles of 12-24 gold sentences each, the same on every run."""
    sentences = [s for d in documents for s in re.split(r"(?<=[.!?])\s+", d.body) if len(s.split()) >= 5]
    rng = random.Random(2000)
    raw = [
        RawArticle(
            title=" ".join(rng.choice(sentences).split()[:8]),
            body="\n\n".join(" ".join(rng.choice(sentences) for _ in range(3)) for _ in range(rng.randint(4, 8))),
            path="generated",
        )
        for _ in range(count)
    ]
    return build_corpus(raw).articles.with_columns(language=pl.lit("en"))


def index_run(documents: list[Document], count: int, yake_sample: int = 100) -> str:
    """Cold and warm `run_index` over generated articles (the default engine, every core),
    against single-process plain `yake` on a sample of them (extrapolated per document);
    returns the docs table of the run."""
    articles = generated_articles(documents, count)
    with tempfile.TemporaryDirectory() as cache:
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            run_index(articles, cache_dir=Path(cache))
            timings.append(time.perf_counter() - started)
    cold, warm = timings
    plain = Extractor(ExtractorParams(engine=YAKE))
    sample = articles.head(yake_sample).select("title", "body", "language").rows()
    started = time.perf_counter()
    for title, body, language in sample:
        plain.extract(title, body, language)
    yake_total = (time.perf_counter() - started) / len(sample) * count
    words = int(articles["words"].sum()) // count
    print(f"\nindex of {count} generated articles ({words} words each):")
    print(f"  plain yake, 1 process: {yake_total:.1f} s (extrapolated from {len(sample)})")
    print(f"  cold index: {cold:.1f} s, {yake_total / cold:.1f}x faster than plain yake (target >= 1.5x)")
    print(f"  warm index: {warm:.2f} s, {cold / warm:.0f}x faster than cold (target >= 20x)")
    return index_table(count, words, yake_total, cold, warm)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append", default=[], help="folder holding the gold sets")
    parser.add_argument("--sets", default="500n,wikinews-fr,pt-bn,ru-wikinews")
    parser.add_argument("--engines", action="store_true", help="also score raw yake-rust and the yake package")
    parser.add_argument("--index-docs", type=int, default=0, help="also time a cold and warm index of N generated articles")
    parser.add_argument("--write-docs", action="store_true", help="write the table into docs/performance.md")
    args = parser.parse_args()
    sets = load_sets(data_dirs(args.data), [s.strip() for s in args.sets.split(",") if s.strip()])
    if not sets:
        print("no gold set found", file=sys.stderr)
        return 2
    extractors: list[tuple[str, Extract]] = [("newsdesk", newsdesk_extract(YAKE_RUST))]
    if args.engines:
        extractors += [("yake-rust raw", raw_extract(YAKE_RUST)), ("yake raw", raw_extract(YAKE))]
    rows = []
    for gold_set in sets:
        for label, extract in extractors:
            result = evaluate(gold_set, extract)
            result["docs"] = len(gold_set.documents)
            rows.append((gold_set.name, label, result))
            print(table([rows[-1]]).splitlines()[-1], flush=True)
    text = table(rows)
    print("\n" + text)
    size = ", ".join(f"{s.name} ({len(s.documents)})" for s in sets)
    if args.index_docs:
        english = next((s.documents for s in sets if s.language == "en"), sets[0].documents)
        text += "\n\n" + index_run(english, args.index_docs)
        size += f"; index of {args.index_docs:,} articles"
    if args.write_docs:
        flags = (" --engines" if args.engines else "") + (f" --index-docs {args.index_docs}" if args.index_docs else "")
        write_docs(text, size=size, command=f"uv run python -m bench.keywords{flags} --write-docs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
