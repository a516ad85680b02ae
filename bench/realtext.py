"""How the real ingest reads real news: English and Russian articles in varied listing pages and plain files.

    uv run python -m bench.realtext [--en 449] [--ru 400] [--seed 7] [--nerel PATH] [--kpcrowd PATH] [--show 40]

The articles are real news text read at run time, never kept in the repository:

- English: the 500N-KPCrowd stories (`--kpcrowd`, a JSONL of `title` and `body`; the body is one
  run of sentences, cut here into paragraphs of two to four sentences) and the Wikinews
  articles of tests/data/realtext;
- Russian: the Russian Wikinews texts of the NEREL corpus (`--nerel`, a folder holding its
  `*_text.txt` files, or the corpus's git mirror): first line the title, a photo caption line
  when the page had one (a short line without sentence punctuation right after the title),
  then the paragraphs.

Each article is written into listing pages in the site template with choices drawn at random
(0-5 articles a page, a caption after `on` or none, a section line or none, the three source
line forms, an author bio, `Continue Reading` or none, `Comments`, the `Latest` sidebar with
its teasers and `Trending`, CRLF, indented lines, a page cut in the middle of its last
article) and as a plain text file (title, blank line, paragraphs; some with trailing
`Comments` / `Advertisements` lines, some with a chrome word or an age-looking line inside).
Both folders are read with `core.ingest.load_corpus`, and the run prints: the share of
articles found, the first six words of the body right (EN / RU), articles losing more than 2%
of their words, plain files dropped, the language right (EN / RU), then the failures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.ingest import load_corpus  # noqa: E402
from tests.data.realtext import render  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
KPCROWD = Path(os.environ.get("NEWSDESK_KPCROWD", REPO.parent / "shared" / "data" / "500N-KPCrowd" / "gold.jsonl"))
"""The 500N-KPCrowd stories (not openly licensed: read where they are, never copied here)."""
NEREL = Path(os.environ.get("NEWSDESK_NEREL", REPO.parent / "shared" / "data" / "NEREL"))
"""A git mirror (or a plain folder) of the NEREL corpus: Russian Wikinews, CC BY 2.5."""
EDGE_WORDS = 6
MAX_LOSS = 0.02
_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”»]))\s+(?=[\"“«]?[A-ZА-ЯЁ])")
_SECTIONS = {"en": ("World", "Business", "Energy", "Politics", "Sports"), "ru": ("Мир", "Экономика", "Политика", "Спорт")}
_BIO = {
    "en": "The author is a staff writer covering politics and the economy.",
    "ru": "Автор — корреспондент отдела политики и экономики.",
}
_ATTRIBUTION = {
    "en": "This story was first published by our partner news agency",
    "ru": "Материал впервые опубликован на сайте партнёра",
}
_INSIDE_PAGE = ("Latest", "Comments", "Updated 3 hours ago", "Robert Fastiggi • 13 hours ago", "Trending")
_INSIDE = ("Latest", "Comments", "Published", "Trending", "Updated 3 hours ago", "Continue Reading")


@dataclass(frozen=True)
class Article:
    language: str
    title: str
    paragraphs: tuple[str, ...]
    caption: str | None


@dataclass(frozen=True)
class Want:
    file: str
    kind: str  # "page" or "plain"
    language: str
    title: str
    body: str


def _paragraphs_of(run: str, rng: random.Random) -> tuple[str, ...]:
    sentences = [s for s in _SENTENCE.split(run.strip()) if s]
    paragraphs: list[str] = []
    while sentences:
        take = rng.randint(2, 4)
        paragraphs.append(" ".join(sentences[:take]))
        sentences = sentences[take:]
    return tuple(paragraphs)


def english(path: Path, rng: random.Random) -> list[Article]:
    articles = [
        Article("en", a["title"], tuple(a["paragraphs"]), a["image_caption"]) for a in render.load_articles("en")
    ]
    if not path.exists():
        print(f"(no {path}: English is the Wikinews fixtures only)")
        return articles
    bodies: set[str] = set()  # the same story filed twice is one article (the ingest keeps one)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = " ".join(row.get("body", "").split())
        if body and row.get("title", "").strip() and body not in bodies:
            bodies.add(body)
            articles.append(Article("en", " ".join(row["title"].split()), _paragraphs_of(row["body"], rng), None))
    return articles


def _nerel_texts(path: Path) -> list[str]:
    if (path / "HEAD").exists() or (path / ".git").exists():
        names = subprocess.run(
            ["git", "-C", str(path), "ls-tree", "-r", "--name-only", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.split()
        names = sorted(n for n in names if n.endswith("_text.txt"))
        return [
            subprocess.run(["git", "-C", str(path), "show", f"HEAD:{n}"], capture_output=True, text=True, check=True).stdout
            for n in names
        ]
    return [p.read_text(encoding="utf-8") for p in sorted(path.rglob("*_text.txt"))]


def russian(path: Path, limit: int) -> list[Article]:
    if not path.exists():
        print(f"(no {path}: Russian is the Wikinews fixtures only)")
        return [Article("ru", a["title"], tuple(a["paragraphs"]), a["image_caption"]) for a in render.load_articles("ru")]
    articles: list[Article] = []
    seen: set[str] = set()  # the corpus files some texts in more than one release or split
    for text in _nerel_texts(path):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) < 3 or len(articles) >= limit or "\n".join(lines) in seen:
            continue
        seen.add("\n".join(lines))
        title, rest = lines[0], lines[1:]
        # The page's photo captions come first, one a line: the template has room for one.
        captions: list[str] = []
        while len(rest) >= 2 and len(rest[0]) < 100 and not rest[0].endswith((".", "!", "?", "…", ":")):
            captions.append(rest.pop(0))
        articles.append(Article("ru", title, tuple(rest), captions[0] if captions else None))
    return articles


def _cut(paragraphs: list[str], rng: random.Random) -> list[str]:
    """The paragraphs of an article cut off in its middle, mid-paragraph."""
    words = "\n\n".join(paragraphs).split(" ")
    kept = " ".join(words[: max(8, len(words) // 2 + rng.randint(-3, 3))])
    return [p for p in kept.split("\n\n") if p.strip()]


def pages(articles: list[Article], rng: random.Random, prefix: str) -> tuple[dict[str, str], list[Want]]:
    files: dict[str, str] = {}
    wants: list[Want] = []
    at = number = 0
    while at < len(articles):
        chunk = articles[at : at + rng.randint(0, 5)]
        at += len(chunk)
        name = f"{prefix}-page-{number:04d}.txt"
        number += 1
        truncated = bool(chunk) and rng.random() < 0.1
        lines: list[str] = ["Connect with us"] if rng.random() < 0.5 else []
        for k, article in enumerate(chunk):
            last = k == len(chunk) - 1
            if rng.random() < 0.8:
                lines.append(rng.choice(_SECTIONS[article.language]))
            lines += [article.title, "Published", "on"]
            if article.caption and rng.random() < 0.6:
                lines.append(article.caption)
            paragraphs = list(article.paragraphs)
            lead = rng.random()
            if lead < 0.08:  # the headline said again as the first line
                paragraphs.insert(0, article.title)
            elif lead < 0.16:  # an attribution line first
                paragraphs.insert(0, _ATTRIBUTION[article.language])
            if len(paragraphs) >= 3 and rng.random() < 0.2:  # a chrome word, age line or comment header inside
                paragraphs.insert(rng.randint(1, len(paragraphs) - 1), rng.choice(_INSIDE_PAGE))
            if truncated and last:
                paragraphs = _cut(paragraphs, rng)
                lines += paragraphs
                wants.append(Want(name, "page", article.language, article.title, "\n\n".join(paragraphs)))
                break
            lines += paragraphs
            wants.append(Want(name, "page", article.language, article.title, "\n\n".join(paragraphs)))
            source = rng.random()
            if source < 0.2:
                lines.append("First published in our partner Reuters")
            elif source < 0.4:
                lines.append("From our partner The Moscow Times")
            elif source < 0.6:
                lines.append("Source: Wikinews")
            if source < 0.6 and rng.random() < 0.5:
                lines.append(_BIO[article.language])
            if rng.random() < 0.85 or (last and rng.random() < 0.5):
                lines.append("Continue Reading")
            if rng.random() < 0.5:
                lines.append("Comments")
        if not truncated:
            teasers = rng.sample(articles, min(len(articles), rng.randint(0, 4)))
            if teasers and rng.random() < 0.8:
                lines += ["Publications", "Latest"] if rng.random() < 0.5 else ["Latest"]
            for teaser in teasers:
                section = rng.choice(_SECTIONS[teaser.language])
                lead = " ".join(teaser.paragraphs[-1].split()[:15])
                lines += [f"{section}{rng.randint(1, 23)} hours ago", teaser.title, lead + "..."]
            if rng.random() < 0.5:
                lines.append("Trending")
        if not chunk and not lines:
            continue
        indent = rng.choice(("", "", "  ", "\t"))
        newline = "\r\n" if rng.random() < 0.3 else "\n"
        gap = newline * rng.choice((1, 2, 2))
        files[name] = gap.join(indent + line for line in lines) + newline
    return files, wants


def plain(articles: list[Article], rng: random.Random, prefix: str) -> tuple[dict[str, str], list[Want]]:
    files: dict[str, str] = {}
    wants: list[Want] = []
    for number, article in enumerate(articles):
        name = f"{prefix}-plain-{number:04d}.txt"
        body = ([article.caption] if article.caption else []) + list(article.paragraphs)
        roll = rng.random()
        if roll < 0.15:
            body.append("Comments")
        elif roll < 0.3:
            body += ["Advertisements", "comments"]
        elif roll < 0.5 and len(body) >= 3:
            body.insert(rng.randint(1, len(body) - 1), rng.choice(_INSIDE))
        newline = "\r\n" if rng.random() < 0.3 else "\n"
        files[name] = (newline * 2).join([article.title, *body]) + newline
        wants.append(Want(name, "plain", article.language, article.title, "\n\n".join(body)))
    return files, wants


def _load(files: dict[str, str]) -> dict[str, list[dict]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        corpus = load_corpus([folder], use_snapshot=False, workers=1)
        by_file: dict[str, list[dict]] = {}
        for row in corpus.articles.filter(corpus.articles["kind"] == "article").iter_rows(named=True):
            by_file.setdefault(Path(row["path"]).name, []).append(row)
    return by_file


def _lost(want: list[str], got: list[str]) -> float:
    return sum((Counter(want) - Counter(got)).values()) / max(1, len(want))


def evaluate(wants: list[Want], found: dict[str, list[dict]]) -> tuple[dict[str, list[int]], list[str]]:
    """Per language counts [total, found, first six right, lost > 2%, language right], and the failures."""
    stats: dict[str, list[int]] = {}
    failures: list[str] = []
    for want in wants:
        s = stats.setdefault(f"{want.kind}-{want.language}", [0, 0, 0, 0, 0])
        s[0] += 1
        rows = found.get(want.file, [])
        row = next((r for r in rows if r["title"] == want.title), None)
        if row is not None:
            rows.remove(row)  # two stories under one headline on a page are matched in order
        else:
            titles = [r["title"][:40] for r in found.get(want.file, [])]
            failures.append(f"{want.file} {want.title[:60]!r}: not found (titles {titles})")
            continue
        s[1] += 1
        words, expected = (row["body"] or "").split(), want.body.split()
        if words[:EDGE_WORDS] == expected[:EDGE_WORDS]:
            s[2] += 1
        else:
            failures.append(f"{want.file} {want.title[:60]!r}: starts {' '.join(words[:8])!r}, want {' '.join(expected[:8])!r}")
        lost = _lost(expected, words)
        if lost > MAX_LOSS:
            s[3] += 1
            failures.append(f"{want.file} {want.title[:60]!r}: lost {lost:.1%} of {len(expected)} words")
        if row["language"] == want.language:
            s[4] += 1
        else:
            failures.append(f"{want.file} {want.title[:60]!r}: language {row['language']}, want {want.language}")
    return stats, failures


@dataclass
class Result:
    articles: int
    pages: int
    stats: dict[str, list[int]]
    """Per `page-en`, `plain-ru`...: [articles, found, first six words right, lost > 2%, language right]."""
    failures: list[str]


def run(en: int, ru: int, seed: int, kpcrowd: Path = KPCROWD, nerel: Path = NEREL) -> Result:
    """Render, read and score `en` English and `ru` Russian articles (at most)."""
    rng = random.Random(seed)
    corpus = english(kpcrowd, rng)[:en] + russian(nerel, ru)
    page_files, page_wants = pages(corpus, rng, "p")
    plain_files, plain_wants = plain(corpus, rng, "t")
    stats, failures = evaluate(page_wants, _load(page_files))
    plain_stats, plain_failures = evaluate(plain_wants, _load(plain_files))
    return Result(len(corpus), len(page_files), stats | plain_stats, failures + plain_failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--en", type=int, default=10_000, help="at most this many English articles")
    parser.add_argument("--ru", type=int, default=400, help="at most this many Russian articles")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--kpcrowd", type=Path, default=KPCROWD)
    parser.add_argument("--nerel", type=Path, default=NEREL)
    parser.add_argument("--show", type=int, default=40, help="failures to list")
    args = parser.parse_args()
    result = run(args.en, args.ru, args.seed, args.kpcrowd, args.nerel)
    stats = result.stats
    print(f"{result.articles} articles, {result.pages} listing pages, {result.articles} plain files")
    print(f"{'rendering':<10} {'articles':>8} {'found':>7} {'first 6':>8} {'lost>2%':>8} {'language':>9}")
    for key in sorted(stats):
        total, got, first, lost, language = stats[key]
        print(f"{key:<10} {total:>8} {got / total:>7.1%} {first / total:>8.1%} {lost:>8} {language / total:>9.1%}")
    dropped = sum(stats[key][0] - stats[key][1] for key in stats if key.startswith("plain"))
    print(f"plain files dropped: {dropped}; failures: {len(result.failures)}")
    for line in result.failures[: args.show]:
        print("  " + line)


if __name__ == "__main__":
    main()
