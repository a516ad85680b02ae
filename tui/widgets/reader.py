"""Reader: one article, laid out for reading, with its keywords highlighted in the text.

Everything shown is article data, so the text is built as a `rich.text.Text` from plain
strings and styled by span (`Text.stylize`), never parsed as markup: a title such as
`[bold red]x[/]` appears exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.sanitize import clean_text


class Reader(VerticalScroll, can_focus=True):
    """The article under the list cursor.

    | Key | Action |
    | :- | :- |
    | `j`, `down` | Scroll down. |
    | `k`, `up` | Scroll up. |
    | `g`, `home` | Top of the article. |
    | `G`, `end` | End of the article. |
    | `pageup` / `pagedown`, `space` | Scroll a page. |
    """

    BINDINGS: list[BindingType] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="reader.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "End", show=False, id="reader.end"),
        Binding("pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reader.page_down"),
    ]

    COMPONENT_CLASSES = {
        "reader--title",
        "reader--meta",
        "reader--caption",
        "reader--subheading",
        "reader--keyword",
        "reader--bio",
    }
    """
    | Class | Description |
    | :- | :- |
    | `reader--title` | The headline. |
    | `reader--meta` | Section, source, date, language and length line. |
    | `reader--caption` | The image caption. |
    | `reader--subheading` | In-body subheadings. |
    | `reader--keyword` | The article's keywords where they occur in the text. |
    | `reader--bio` | The author bio at the end. |
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article_id: str | None = None
        """Id of the article shown, None when empty."""
        self._article: Mapping[str, Any] | None = None
        self._keywords: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Text("No article selected."), id="reader-text")

    def show(self, article: Mapping[str, Any] | None, keywords: Sequence[str] = ()) -> None:
        """Show `article` (a row of the articles frame as a dict) with `keywords` highlighted."""
        same = article is not None and article.get("id") == self.article_id
        self._article = article
        self._keywords = tuple(keywords)
        self.article_id = None if article is None else str(article.get("id"))
        self.query_one("#reader-text", Static).update(self.render_article())
        if not same:
            self.scroll_home(animate=False, immediate=True)

    @property
    def plain_text(self) -> str:
        """What the reader shows, as plain text."""
        return self.render_article().plain

    def on_mount(self) -> None:
        self.border_title = "Reader"

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted and self._article is not None:
            self.query_one("#reader-text", Static).update(self.render_article())

    def render_article(self) -> Text:
        """The article as styled text (built from plain strings, never markup)."""
        article = self._article
        if article is None:
            return Text("No article selected.")
        style = self.get_component_rich_style
        text = Text()
        text.append(_plain(article.get("title")) or "(untitled)", style("reader--title"))
        text.append("\n")
        meta = [
            _plain(article.get(field))
            for field in ("section", "source")
            if article.get(field)
        ]
        when = article.get("date") or article.get("age")
        if when:
            meta.append(_plain(str(when)))
        if article.get("language"):
            meta.append(_plain(article.get("language")))
        meta.append(f"{article.get('words') or 0} words")
        if article.get("kind") == "teaser":
            meta.insert(0, "teaser")
        text.append(" · ".join(meta), style("reader--meta"))
        text.append("\n")
        if article.get("caption"):
            text.append("\n")
            text.append(_plain(article.get("caption")), style("reader--caption"))
            text.append("\n")
        subheadings = {_plain(h).strip() for h in article.get("subheadings") or ()}
        body_start = len(text)
        for paragraph in _plain(article.get("body")).split("\n\n"):
            paragraph = paragraph.strip()
            if not paragraph:
                continue
            text.append("\n")
            if paragraph in subheadings:
                text.append(paragraph, style("reader--subheading"))
            else:
                text.append(paragraph)
            text.append("\n")
        body_end = len(text)
        if article.get("author_bio"):
            text.append("\n")
            text.append(_plain(article.get("author_bio")), style("reader--bio"))
            text.append("\n")
        highlight_keywords(text, self._keywords, style("reader--keyword"), body_start, body_end)
        text.rstrip()
        return text


def _plain(value: object) -> str:
    return clean_text("" if value is None else str(value))


def keyword_pattern(keywords: Sequence[str]) -> re.Pattern[str] | None:
    """A case-insensitive whole-word pattern for any of `keywords` (longest first)."""
    words = sorted({k.strip() for k in keywords if k and k.strip()}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, k.split())) for k in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def highlight_keywords(text: Text, keywords: Sequence[str], style: Any, start: int, end: int) -> None:
    """Stylize every occurrence of `keywords` in `text[start:end]` (spans, not markup)."""
    pattern = keyword_pattern(keywords)
    if pattern is None:
        return
    for match in pattern.finditer(text.plain, start, end):
        text.stylize(style, match.start(), match.end())
