"""HTML pages built around real Wikinews reports (tests/data/html, see its README): every
word of the article is kept, results tables included, and the title is the headline, not
the site's name or a `<title>` wrapped in the site's name and slogan."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from core.corpus import id_and_word_count
from core.html import read_html
from core.ingest import load_corpus

DATA = Path(__file__).resolve().parents[1] / "data" / "html"
PAGES = sorted(DATA.glob("*.html"))
HEADLINES = {
    "cyclone-phailin-chunked.html": "Wikinews interviews meteorological experts on Cyclone Phalin",
    "kosgei-chicago-marathon.html": "Kenya's Brigid Kosgei sets new world record at Chicago Marathon",
    "magnitogorsk-collapse.html": "Magnitogorsk apartment building collapses after explosion, dozens dead",
    "ru-kigeli-v.html": "Умер последний король Руанды Кигели V",
    "warholm-400m-hurdles.html": "Norway's Warholm wins gold in 400 m hurdles at World Championships in Doha",
}
SOURCES = {"ru-kigeli-v.html": "Викиновости", "cyclone-phailin-chunked.html": "The Weather Desk"}
WARHOLM = DATA / "warholm-400m-hurdles.html"
CHUNKED = DATA / "cyclone-phailin-chunked.html"


def _article(page: Path) -> lxml.html.HtmlElement:
    article = lxml.html.fromstring(page.read_text(encoding="utf-8")).xpath("//article")[0]
    for heading in article.xpath(".//h1"):
        heading.drop_tree()
    return article


def _visible_words(page: Path) -> list[str]:
    """The words a reader sees in the article below its headline, table cells included."""
    return " ".join(_article(page).itertext()).split()


def test_the_fixtures_are_all_there() -> None:
    assert [page.name for page in PAGES] == sorted(HEADLINES)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_title_is_the_headline_without_the_site_name(page: Path) -> None:
    article = read_html(page.read_text(encoding="utf-8"), str(page))[0]
    assert article.title == HEADLINES[page.name]
    assert article.source == SOURCES.get(page.name, "Wikinews")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_word_of_the_article_is_kept(page: Path) -> None:
    article = read_html(page.read_text(encoding="utf-8"), str(page))[0]
    _, words = id_and_word_count(article.title, article.body)
    visible = len(_visible_words(page))
    assert abs(words - visible) <= 0.02 * visible, (words, visible)
    assert Counter(article.body.split()) == Counter(_visible_words(page))


@pytest.mark.parametrize("page", [p for p in PAGES if "<table" in p.read_text(encoding="utf-8")], ids=lambda p: p.stem)
def test_each_table_row_is_a_line_of_its_cells(page: Path) -> None:
    article = read_html(page.read_text(encoding="utf-8"), str(page))[0]
    lines = [" ".join(line.split()) for line in article.body.splitlines()]
    rows = _article(page).xpath(".//tr")
    assert rows
    for row in rows:
        cells = [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        assert " ".join(cells) in lines


def test_results_table_words_reach_the_corpus(tmp_path: Path) -> None:
    page = tmp_path / "kosgei.html"
    page.write_bytes((DATA / "kosgei-chicago-marathon.html").read_bytes())
    row = load_corpus([tmp_path]).articles.row(0, named=True)
    assert row["title"] == HEADLINES["kosgei-chicago-marathon.html"]
    assert row["words"] == len(_visible_words(DATA / "kosgei-chicago-marathon.html"))
    assert "Lawrence Cherono Kenya 2:05:45" in " ".join(row["body"].split())
    assert row["language"] == "en"


def _with_head(page: Path, head: str) -> str:
    """`page` with its <title> and meta tags replaced by `head`."""
    text = page.read_text(encoding="utf-8")
    return re.sub(r"<title>.*?(?=<link rel=\"canonical\")", head + "\n", text, count=1, flags=re.DOTALL)


_WARHOLM_HEADLINE = HEADLINES["warholm-400m-hurdles.html"]
_ESCAPED = _WARHOLM_HEADLINE.replace("'", "&#x27;")


@pytest.mark.parametrize(
    "head",
    [
        # The site's name in og:title too (a Korean site's name, as some sites send it).
        '<title>엔터 미디어</title><meta property="og:title" content="엔터 미디어">'
        '<meta property="og:site_name" content="엔터 미디어">',
        # Headline then site name, in both <title> and og:title.
        f'<title>{_ESCAPED} | Wikinews</title><meta property="og:title" content="{_ESCAPED} | Wikinews">'
        '<meta property="og:site_name" content="Wikinews">',
        # Site name, then slogan and colon, then headline; the site's name only in application-name.
        f'<title>Wikinews — The free news source: {_ESCAPED}</title>'
        f'<meta property="og:title" content="Wikinews — The free news source: {_ESCAPED}">'
        '<meta name="application-name" content="Wikinews">',
        # The site's name as <title> and og:title, the headline in JSON-LD.
        '<title>Wikinews</title><meta property="og:title" content="Wikinews"><script type="application/ld+json">'
        f'{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{_WARHOLM_HEADLINE}"}}</script>',
    ],
    ids=["site-name-everywhere", "headline-pipe-site", "site-slogan-colon-headline", "json-ld-headline"],
)
def test_headline_found_whatever_the_head_says(head: str) -> None:
    article = read_html(_with_head(WARHOLM, head), "warholm.html")[0]
    assert article.title == _WARHOLM_HEADLINE


def test_the_body_agrees_with_trafilaturas_own_extraction() -> None:
    import trafilatura

    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        ours = Counter(read_html(text, str(page))[0].body.split())
        # trafilatura's own text, less its table markup (| cells | and |---| rules).
        theirs = Counter(word for word in (trafilatura.extract(text) or "").split() if word.strip("|-:"))
        theirs -= Counter(HEADLINES[page.name].split())
        if page == CHUNKED:  # trafilatura keeps the first chunk of the body; every word of it is here
            assert not theirs - ours and sum(ours.values()) > 2 * sum(theirs.values())
            continue
        common = sum((ours & theirs).values())
        f1 = 2 * common / (sum(ours.values()) + sum(theirs.values()))
        assert f1 >= 0.98, (page.name, f1)


def test_a_bar_inside_a_cell_stays_in_its_cell() -> None:
    page = WARHOLM.read_text(encoding="utf-8").replace("<td>United States</td>", "<td>United States | USA</td>")
    lines = read_html(page, "warholm.html")[0].body.splitlines()
    assert "Silver  Rai Benjamin  United States | USA  47.66" in lines


def test_a_site_name_heading_is_not_the_headline() -> None:
    # The site's name as the page's <h1> (its logo), the headline in an <h2>, and a
    # <title> of headline and site name.
    page = _with_head(WARHOLM, f"<title>{_ESCAPED} - Daily Sport</title>")
    page = page.replace('<header class="site-header">', '<header class="site-header"><h1 class="logo">Daily Sport</h1>')
    page = page.replace(f'<h1 id="firstHeading">{_ESCAPED}</h1>', f"<h2>{_ESCAPED}</h2>")
    assert read_html(page, "warholm.html")[0].title == _WARHOLM_HEADLINE


def test_a_title_that_is_only_the_site_name_gives_way_to_the_h1() -> None:
    page = _with_head(WARHOLM, "<title>엔터 미디어</title>")
    assert read_html(page, "warholm.html")[0].title == _WARHOLM_HEADLINE
