"""Deterministic generator of large corpora in the scraped listing template, for benchmarks.

Pages look like the bundled seed: a header, article blocks (section, title, Published/on,
paragraphs, a source line, Continue Reading) and a Latest sidebar of teasers. Words are
drawn from the seed page so the text has a realistic vocabulary; the sidebar repeats
across pages, as it does on a real site, so de-duplication has work to do.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_f28cf99939672350.txt"
SECTIONS = ["World", "Economy", "Energy", "Defense", "Science", "Health", "Culture", "Tech", "Europe", "Asia"]
SOURCES = ["First published in our partner {}", "From our partner {}", "Source: {}"]
PARTNERS = ["Daily Wire Service", "Harbour Gazette", "Policy Review", "Northern Times", "Civic Monitor"]


def vocabulary() -> list[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]+", SEED.read_text(encoding="utf-8"))
    return sorted(set(words))


def _sentence(rng: random.Random, words: list[str]) -> str:
    chosen = rng.choices(words, k=rng.randint(8, 24))
    return " ".join(chosen).capitalize() + "."


def _paragraph(rng: random.Random, words: list[str]) -> str:
    return " ".join(_sentence(rng, words) for _ in range(rng.randint(2, 5)))


def _title(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choices(words, k=rng.randint(4, 10))).capitalize()


def make_page(rng: random.Random, words: list[str], articles_per_page: int, sidebar: list[str]) -> str:
    lines = ["Connect with us"]
    for _ in range(articles_per_page):
        lines += [rng.choice(SECTIONS), _title(rng, words), "Published", "on"]
        lines += [_paragraph(rng, words) for _ in range(rng.randint(4, 10))]
        lines.append(rng.choice(SOURCES).format(rng.choice(PARTNERS)))
        lines.append("Continue Reading")
    lines += ["Publications", "Latest", *sidebar, "Trending"]
    return "\n\n".join(lines) + "\n"


def make_sidebar(rng: random.Random, words: list[str], teasers: int = 7) -> list[str]:
    lines: list[str] = []
    for hour in range(teasers):
        lines += [f"{rng.choice(SECTIONS)}{hour + 1} hours ago", _title(rng, words), _sentence(rng, words)[:-1] + "..."]
    return lines


def write_corpus(directory: Path, articles: int, articles_per_page: int = 5, seed: int = 7) -> list[Path]:
    """Write pages holding about `articles` articles into `directory`; returns the files."""
    rng = random.Random(seed)
    words = vocabulary()
    directory.mkdir(parents=True, exist_ok=True)
    sidebars = [make_sidebar(rng, words) for _ in range(20)]
    files = []
    for number in range(max(1, articles // articles_per_page)):
        path = directory / f"{number:06d}.txt"
        path.write_text(make_page(rng, words, articles_per_page, sidebars[number // 50 % 20]), encoding="utf-8")
        files.append(path)
    return files
