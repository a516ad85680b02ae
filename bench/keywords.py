"""Keyword benchmark: engine speed (single process and pooled), quality on a gold set, cold vs warm index.

    uv run python bench/keywords.py [--gold PATH] [--docs 2000] [--yake-sample 200]

Quality: P@10 and R@10 on the 500N-KPCrowd news stories that have a body, exact match after
lower-casing and deleting punctuation (the gold set's own normalisation: "Grammy-winning" is
"Grammywinning", "Argentina (AP)" is "Argentina AP"), before and after post-processing.
Cold vs warm: `run_index` on a deterministic 2,000-article corpus of gold sentences, against
single-process plain `yake` on a sample of the same articles (extrapolated per document).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import polars as pl  # noqa: E402

from core.corpus import RawArticle, build_corpus  # noqa: E402
from core.index import run_index  # noqa: E402
from core.keywords import (  # noqa: E402
    CANDIDATE_FACTOR,
    ENGINES,
    YAKE,
    Extractor,
    ExtractorParams,
    postprocess,
    prepare_text,
)

DEFAULT_GOLD = REPO.parent / "shared" / "data" / "500N-KPCrowd" / "gold.jsonl"
TOP = 10
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def normalise(phrase: str) -> str:
    return " ".join(_PUNCTUATION.sub("", phrase.lower()).split())


def load_gold(path: Path) -> list[dict[str, object]]:
    stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s for s in stories if str(s.get("body") or "").strip()]


def evaluate(engine: str, stories: list[dict[str, object]]) -> dict[str, float]:
    """P@10 / R@10 before and after post-processing, and single-process docs/s (after)."""
    extractor = Extractor(ExtractorParams(engine=engine))
    scores = {"p_raw": 0.0, "r_raw": 0.0, "p_post": 0.0, "r_post": 0.0}
    started = time.perf_counter()
    for story in stories:
        text = prepare_text(str(story["title"]), str(story["body"]))
        pairs = extractor.engine.extract(text, "en", TOP * CANDIDATE_FACTOR)
        gold = {normalise(str(k)) for k in story["keyphrases"]}  # type: ignore[attr-defined]
        raw = [normalise(k) for k, _ in pairs[:TOP]]
        post = [normalise(k.keyword) for k in postprocess(pairs, text, TOP)]
        for name, found in (("raw", raw), ("post", post)):
            hits = sum(1 for k in found if k in gold)
            scores[f"p_{name}"] += hits / TOP
            scores[f"r_{name}"] += hits / len(gold)
    elapsed = time.perf_counter() - started
    result = {name: value / len(stories) for name, value in scores.items()}
    result["docs_per_s"] = len(stories) / elapsed
    return result


def gold_articles(stories: list[dict[str, object]]) -> pl.DataFrame:
    raw = (RawArticle(str(s["title"]), str(s["body"]), "gold") for s in stories)
    return build_corpus(raw).articles.with_columns(language=pl.lit("en"))


def generated_articles(stories: list[dict[str, object]], count: int) -> pl.DataFrame:
    """`count` distinct articles of 12-24 gold sentences each, the same on every run."""
    sentences = [
        s
        for story in stories
        for s in re.split(r"(?<=[.!?])\s+", str(story["body"]))
        if len(s.split()) >= 5
    ]
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


def timed_index(articles: pl.DataFrame, engine: str, cache: Path, processes: int | None) -> float:
    started = time.perf_counter()
    run_index(articles, engine=engine, cache_dir=cache, processes=processes)
    return time.perf_counter() - started


def plain_yake_seconds_per_doc(articles: pl.DataFrame) -> float:
    extractor = Extractor(ExtractorParams(engine=YAKE))
    started = time.perf_counter()
    for title, body, language in articles.select("title", "body", "language").iter_rows():
        extractor.extract(title, body, language)
    return (time.perf_counter() - started) / articles.height


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="500N-KPCrowd gold.jsonl")
    parser.add_argument("--docs", type=int, default=2000, help="size of the generated corpus")
    parser.add_argument("--yake-sample", type=int, default=200, help="articles timed with plain yake")
    args = parser.parse_args()
    if not args.gold.is_file():
        print(f"gold set not found: {args.gold} (give --gold PATH)", file=sys.stderr)
        return 2
    stories = load_gold(args.gold)
    cores = os.cpu_count() or 1
    print(f"gold: {len(stories)} stories with a body; {cores} cores\n")
    print(f"{'engine':<10} {'P@10 raw':>9} {'P@10 post':>10} {'R@10 raw':>9} {'R@10 post':>10} {'docs/s 1p':>10} {'docs/s pool':>12}")
    gold_frame = gold_articles(stories)
    for engine in ENGINES:
        quality = evaluate(engine, stories)
        with tempfile.TemporaryDirectory() as cache:
            pooled = gold_frame.height / timed_index(gold_frame, engine, Path(cache), None)
        print(
            f"{engine:<10} {quality['p_raw']:>9.3f} {quality['p_post']:>10.3f} {quality['r_raw']:>9.3f} "
            f"{quality['r_post']:>10.3f} {quality['docs_per_s']:>10.1f} {pooled:>12.1f}"
        )

    articles = generated_articles(stories, args.docs)
    words = int(articles["words"].sum())
    print(f"\nindex of {articles.height} generated articles ({words / articles.height:.0f} words each, default engine):")
    with tempfile.TemporaryDirectory() as cache:
        cold = timed_index(articles, ExtractorParams().engine, Path(cache), None)
        warm = timed_index(articles, ExtractorParams().engine, Path(cache), None)
    yake_per_doc = plain_yake_seconds_per_doc(articles.head(args.yake_sample))
    yake_total = yake_per_doc * articles.height
    print(f"  plain yake, 1 process : {yake_total:7.2f} s (extrapolated from {args.yake_sample} articles, {1 / yake_per_doc:.1f} docs/s)")
    print(f"  cold index            : {cold:7.2f} s ({articles.height / cold:.0f} docs/s)  {yake_total / cold:5.1f}x faster than plain yake (target >= 1.5x)")
    print(f"  warm index            : {warm:7.2f} s ({articles.height / warm:.0f} docs/s)  {cold / warm:5.1f}x faster than cold (target >= 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
