"""Reader: one article, laid out for reading, with its keywords highlighted in the text.

Everything shown is article data, so the text is built as a `rich.text.Text` from plain
strings and styled by span (`Text.stylize`), never parsed as markup: a title such as
`[bold red]x[/]` appears exactly as written.

The reader is a line-API `ScrollView`: showing another article wraps its text once into
strips and repaints only the reader, without a layout pass over the whole screen (a
`Static` of auto height would re-layout every pane on each cursor move).

It follows the list's cursor (`follow`): a large corpus keeps its bodies on disk, and the
reader reads the one it shows from the corpus snapshot in a worker (`BodyRead`).

Two kinds of highlight sit over the text, in styles of their own: the words of the active
filter (where the filter's own patterns match, `core.query.highlight_patterns`) and the matches
of a find in the article (`ctrl+f`, `core.find`), the current one set apart. The find field is
a widget of its own under the reader (`tui.widgets.reader_find`); `n` / `N` step through the
matches only while a find is active (otherwise they fall through to the app's keys). The
header shows the article's URL as a terminal hyperlink (OSC 8) when it is an http(s) URL;
`O` opens it (`tui.widgets.reader_links`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich._wrap import divide_line
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.find import MAX_MATCHES, find_spans, term_spans
from core.links import url_problem
from core.sanitize import for_display
from tui.messages import BodyRead
from tui.widgets import reader_links
from tui.widgets.base_style import BaseStyleCache
from tui.widgets.reader_find import ReaderFind

if TYPE_CHECKING:
    import polars as pl

    from core.view import CorpusView
    from tui.widgets.article_list import ArticleList

MISSING_BODY = "(The text of this article is no longer in the cache; open the folder again to read it.)"
"""What the reader says when an article's body is gone from the snapshot."""

READER_MAX_CHARS = 100_000
READER_MAX_LINES = 2_000
"""The body shown is cut at this many characters or lines: wrapping runs on the UI thread, and
a body of one enormous line (or of a great many short ones) would freeze the app while it wraps."""


class Reader(BaseStyleCache, ScrollView, can_focus=True):
    """The article under the list cursor.

    | Key | Action |
    | :- | :- |
    | `j`, `down` | Scroll down. |
    | `k`, `up` | Scroll up. |
    | `g`, `home` | Top of the article. |
    | `G`, `end` | End of the article. |
    | `pageup` / `pagedown`, `space` | Scroll a page. |
    | `ctrl+f` | Find in the article. |
    | `n` / `N` | Next / previous match, while a find is active (otherwise `n` is the next article). |
    | `escape` | Clear the find. |
    | `O` | Open the article's URL in the browser. |
    """

    DEFAULT_CSS = """
    Reader > .reader--find {
        background: $warning 35%;
    }
    Reader > .reader--find-current {
        background: $warning;
        color: $background;
        text-style: bold;
    }
    Reader > .reader--filter {
        background: $secondary 30%;
        text-style: underline;
    }
    Reader > .reader--link {
        color: $text-muted;
        text-style: underline;
    }
    """

    WHILE_FINDING: ClassVar[frozenset[str]] = frozenset({"reader.find_next", "reader.find_previous", "reader.find_clear"})
    """Binding ids that apply only while a find is active (`check_action`): otherwise their keys
    are the app's (`n` the next article), so they shadow no app key (`tui.keymap`)."""
    BINDINGS: list[BindingType] = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="reader.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="reader.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader.top"),
        Binding("G,end", "scroll_end", "End", show=False, id="reader.end"),
        Binding("pageup", "page_up", "Page up", show=False, id="reader.page_up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="reader.page_down"),
        # priority: the field has focus before the next key is forwarded (the needle typed in one burst)
        Binding("ctrl+f", "find", "Find in the article", show=False, priority=True, id="reader.find"),
        # Only while a find is active (`check_action`): otherwise `n` is the app's next article.
        Binding("n", "find_next", "Next match (while a find is active; otherwise n is the next article)", show=False, id="reader.find_next"),
        Binding("N", "find_previous", "Previous match (while a find is active)", show=False, id="reader.find_previous"),
        Binding("escape", "clear_find", "Clear the find (while one is active)", show=False, id="reader.find_clear"),
        Binding("O", "open_link", "Open the article's URL in the browser (over SSH: a terminal link)", show=False, id="reader.open_link"),
    ]

    COMPONENT_CLASSES = {
        "reader--title",
        "reader--meta",
        "reader--caption",
        "reader--subheading",
        "reader--keyword",
        "reader--bio",
        "reader--find",
        "reader--find-current",
        "reader--filter",
        "reader--link",
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
    | `reader--find` | Matches of the find in the article. |
    | `reader--find-current` | The match `n` / `N` is on. |
    | `reader--filter` | The words of the active filter. |
    | `reader--link` | The article's URL in the header. |
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article_id: str | None = None
        """Id of the article shown, None when empty."""
        self._article: Mapping[str, Any] | None = None
        self._keywords: tuple[str, ...] = ()
        self._strips: list[Strip] = []
        self._wrapped_width = -1
        self._wanted: str | None = None
        self._wanted_keywords: list[str] = []
        self._line_starts: list[int] = []
        self._lines: list[Text] = []
        self._plain = ""
        self._regions: list[tuple[int, int]] = []
        self._match_ends: list[int] = []
        self.needle = ""
        """What the find looks for ("" when no find is active)."""
        self.matches: list[tuple[int, int]] = []
        """(start, end) in `plain_text` of every match of the find in the article shown."""
        self.current = 0
        """Index in `matches` of the current match."""
        self._filter: tuple[str, tuple[re.Pattern[str], ...]] = ("", ())

    def show(self, article: Mapping[str, Any] | None, keywords: Sequence[str] = ()) -> None:
        """Show `article` (a row of the articles frame as a dict) with `keywords` highlighted."""
        same = article is not None and article.get("id") == self.article_id
        self._article = article
        self._keywords = tuple(keywords)
        self.article_id = None if article is None else str(article.get("id"))
        if not same:
            self.current = 0
            if self.scroll_y:
                self.scroll_to(0, 0, animate=False, immediate=True)
        self._rewrap()
        if self.needle:
            self._found(scroll=not same)

    def follow(self, articles: ArticleList, view: CorpusView) -> pl.DataFrame | None:
        """Show the article under the list's cursor with its body (from memory, from the
        view's cache, or read from the snapshot in a worker: a few milliseconds) and its
        keywords highlighted; returns its ranked keywords (None when it has none)."""
        article_id = articles.article_id_at(articles.cursor)
        article = None if article_id is None else articles.frame.row(articles.cursor, named=True)
        own = view.article_keywords(article_id) if article_id else None
        keywords = [] if own is None else own.get_column("keyword").to_list()
        self._wanted, self._wanted_keywords = article_id, keywords
        if article is None or "body" in article:
            self.show(article, keywords)
            return own
        body = view.cached_body(article)
        if body is not None:
            self.show({**article, "body": body}, keywords)
            return own
        self.run_worker(
            lambda: self.post_message(BodyRead(article, view.body(article))),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            group="body",
            description="reading the article",
        )
        return own

    def on_body_read(self, message: BodyRead) -> None:
        message.stop()
        if self._wanted != str(message.article["id"]):
            return  # the cursor moved on; its own read is on its way
        body = message.body if message.body is not None else MISSING_BODY
        self.show({**message.article, "body": body}, self._wanted_keywords)

    @property
    def lines(self) -> list[str]:
        """The wrapped lines as shown, plain text."""
        return [strip.text for strip in self._strips]

    def _rewrap(self) -> None:
        """Wrap the article to the current width into strips and repaint the lines that changed.

        Only changed rows are refreshed: moving between two short articles repaints their
        text, not the blank rows below it (bytes on the wire matter over SSH).
        """
        width = self.scrollable_content_region.width or self.size.width
        if width <= 0:
            self._strips, self._wrapped_width = [], -1
            return
        article = self._article_text()
        lines = article.wrap(self.app.console, width, justify="left", overflow="fold")
        self._plain, self._lines = article.plain, list(lines)
        self._line_starts = _line_starts(article.plain, width, len(lines))
        self._match()
        old = self._strips
        self._strips = [self._strip(line, width) for line in lines]
        same_width = width == self._wrapped_width
        self._wrapped_width = width
        size = Size(width, len(self._strips))
        if size != self.virtual_size:
            # Assigning `virtual_size` asks for a layout pass over the whole screen; the
            # reader's box does not change, only its scroll range, so update that alone.
            # (A scrollbar appearing or going still triggers the layout it needs.)
            self.set_reactive(Reader.virtual_size, size)
            self._scroll_update(size)
        if not same_width:
            self.refresh()
            return
        top = round(self.scroll_y)
        for y in range(self.scrollable_content_region.height):
            index = top + y
            before = old[index] if index < len(old) else None
            after = self._strips[index] if index < len(self._strips) else None
            if before is None and after is None:
                continue
            if before is None or after is None or list(before) != list(after):
                self.refresh_line(index)

    def _strip(self, line: Text, width: int) -> Strip:
        base = self.base_style
        segments = Segment.apply_style(line.render(self.app.console), base)
        return Strip(list(segments), line.cell_len).extend_cell_length(width, base)

    def _line_with_matches(self, index: int, width: int) -> Strip | None:
        """Line `index` with the find's matches on it styled (None when it has none).

        The matches are laid over the wrapped lines as they are painted, not wrapped into the
        text: typing a needle or stepping with `n` repaints the lines in view, with no new wrap
        of the whole article (which takes a third of a second at READER_MAX_CHARS)."""
        starts = self._line_starts
        if not self.matches or index >= len(starts):
            return None
        start = starts[index]
        end = starts[index + 1] if index + 1 < len(starts) else len(self._plain)
        first = bisect.bisect_right(self._match_ends, start)
        if first >= len(self.matches) or self.matches[first][0] >= end:
            return None
        line = self._lines[index].copy()
        style = self.get_component_rich_style
        found, current = style("reader--find"), style("reader--find-current")
        for number in range(first, len(self.matches)):
            match_start, match_end = self.matches[number]
            if match_start >= end:
                break
            line.stylize(current if number == self.current else found, max(match_start, start) - start, min(match_end, end) - start)
        return self._strip(line, width)

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if width != self._wrapped_width:
            self._rewrap()

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if 0 <= index < len(self._strips):
            strip = self._line_with_matches(index, self._wrapped_width) or self._strips[index]
            return strip.crop_extend(0, width, self.base_style)
        return Strip.blank(width, self.base_style)

    # -- find in the article -------------------------------------------------------------------

    @property
    def find_bar(self) -> ReaderFind | None:
        """The find field under the reader (None when the reader stands alone)."""
        bars = self.parent.query_children(ReaderFind) if self.parent is not None else None
        return bars.first() if bars else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("find_next", "find_previous", "clear_find"):
            return bool(self.needle)  # otherwise the key falls through (n: the next article)
        return True

    def action_find(self) -> None:
        if (bar := self.find_bar) is not None:
            bar.open(self)

    def leave_find_field(self) -> None:
        """Back from the find field to the reader, the find kept (`enter`)."""
        self.screen.set_focus(self)

    def find(self, needle: str) -> None:
        """Highlight every match of `needle` (literal, case-insensitive) and go to the first."""
        self.needle, self.current = needle, 0
        self._match()
        self.refresh()
        self._found(scroll=True)
        self.refresh_bindings()

    def clear_find(self) -> None:
        """End the find: no highlights, the field hidden, the reader focused."""
        self.needle, self.matches, self.current = "", [], 0
        self.border_subtitle = ""
        if (bar := self.find_bar) is not None:
            bar.close()
        self.screen.set_focus(self)
        self._match()
        self.refresh()
        self.refresh_bindings()

    def action_clear_find(self) -> None:
        self.clear_find()

    def action_find_next(self) -> None:
        self._step(1)

    def action_find_previous(self) -> None:
        self._step(-1)

    def _step(self, by: int) -> None:
        if not self.matches:
            self.app.notify(f"No matches for {self.needle!r} in this article.", severity="warning", markup=False)
            return
        self.current = (self.current + by) % len(self.matches)
        self.refresh()
        self._found(scroll=True)

    @property
    def find_count(self) -> str:
        """`3 of 12`, `no matches`, or "" with no find."""
        if not self.needle:
            return ""
        if not self.matches:
            return "no matches"
        more = "+" if len(self.matches) >= MAX_MATCHES else ""
        return f"{self.current + 1} of {len(self.matches):,}{more}"

    def _found(self, *, scroll: bool) -> None:
        """Show the count, and scroll the current match into view (`scroll`)."""
        if (bar := self.find_bar) is not None:
            bar.show_count(Content(self.find_count))
        self.border_subtitle = Content(f"find: {self.find_count}") if self.needle else ""
        if scroll and self.matches:
            self._scroll_to_offset(self.matches[self.current][0])

    def _scroll_to_offset(self, offset: int) -> None:
        """Scroll so the wrapped line holding character `offset` is in view (a third down)."""
        line = max(0, bisect.bisect_right(self._line_starts, offset) - 1)
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if not top <= line < top + max(1, height):
            self.scroll_to(y=max(0, line - height // 3), animate=False, immediate=True)

    def action_open_link(self) -> None:
        reader_links.open_link(self.app, self.url)

    @property
    def url(self) -> str:
        """The URL of the article shown ("" when it has none)."""
        return "" if self._article is None else str(self._article.get("url") or "")

    @property
    def plain_text(self) -> str:
        """What the reader shows, as plain text."""
        return self.render_article().plain

    def on_mount(self) -> None:
        self.border_title = "Reader"

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._rewrap()

    def render_article(self) -> Text:
        """The article as styled text (built from plain strings, never markup), the find's
        matches styled too."""
        text = self._article_text()
        style = self.get_component_rich_style
        found, current = style("reader--find"), style("reader--find-current")
        for number, (start, end) in enumerate(find_spans(text.plain, self.needle, self._regions)):
            text.stylize(current if number == self.current else found, start, end)
        return text

    def _article_text(self) -> Text:
        """The article as styled text, the filter's words highlighted; `_regions` set to where
        its title and body are."""
        article = self._article
        self._regions = []
        if article is None:
            return Text("No article selected.")
        style = self.get_component_rich_style
        text = Text()
        text.append(_plain(article.get("title")) or "(untitled)", style("reader--title"))
        title_end = len(text)
        text.append("\n")
        meta = [
            _plain(article.get(field))
            for field in ("section", "source")
            if article.get(field)
        ]
        if article.get("date"):
            meta.append(_plain(str(article.get("date"))))
        elif article.get("age"):  # relative to a scrape nobody dated: not a date
            meta.append(f"{_plain(article.get('age'))} (age)")
        if article.get("language"):
            meta.append(_plain(article.get("language")))
        meta.append(f"{article.get('words') or 0} words")
        if article.get("kind") == "teaser":
            meta.insert(0, "teaser")
        text.append(" · ".join(meta), style("reader--meta"))
        text.append("\n")
        if url := _plain(article.get("url")):
            link = None if url_problem(url) else url
            text.append(url, style("reader--link") + Style(link=link))
            text.append("\n")
        if article.get("caption"):
            text.append("\n")
            text.append(_plain(article.get("caption")), style("reader--caption"))
            text.append("\n")
        subheadings = {_plain(h).strip() for h in article.get("subheadings") or ()}
        body_start = len(text)
        body = _plain(article.get("body"))
        shown = _cut_body(body)
        for paragraph in shown.split("\n\n"):
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
        if len(shown) < len(body):
            text.append(f"\n… {len(body) - len(shown):,} more characters not shown\n", style("reader--meta"))
        if article.get("author_bio"):
            text.append("\n")
            text.append(_plain(article.get("author_bio")), style("reader--bio"))
            text.append("\n")
        highlight_keywords(text, self._keywords, style("reader--keyword"), body_start, body_end)
        text.rstrip()
        self._regions = [(0, title_end), (body_start, min(body_end, len(text)))]
        filtered = style("reader--filter")
        for start, end in term_spans(text.plain, self._filter_patterns(), self._regions):
            text.stylize(filtered, start, end)
        return text

    def _match(self) -> None:
        """Find the needle in the text as last wrapped (`matches`; `current` kept in range)."""
        self.matches = find_spans(self._plain, self.needle, self._regions) if self.needle else []
        self._match_ends = [end for _, end in self.matches]
        if self.current >= len(self.matches):
            self.current = 0

    def _filter_patterns(self) -> tuple[re.Pattern[str], ...]:
        """The active filter's word and phrase patterns (parsed once per filter text)."""
        applied = str(getattr(self.app, "applied_filter", "") or "")
        if applied != self._filter[0]:
            # Polars comes with the query module: imported once a filter is on, not before the
            # first screen is painted.
            from core.query import Query, highlight_patterns, parse_filter

            query = parse_filter(applied)
            self._filter = (applied, highlight_patterns(query) if isinstance(query, Query) else ())
        return self._filter[1]


def _cut_body(body: str) -> str:
    """`body`, or its first READER_MAX_CHARS characters / READER_MAX_LINES lines."""
    cut = body[:READER_MAX_CHARS]
    if cut.count("\n") < READER_MAX_LINES:
        return cut
    return "\n".join(cut.split("\n", READER_MAX_LINES)[:READER_MAX_LINES])


def _plain(value: object) -> str:
    # Tabs expanded here, as wrapping would expand them, so offsets in the text are offsets in
    # the lines shown (the find scrolls to a match by its offset).
    return for_display(value).expandtabs()


def _line_starts(plain: str, width: int, count: int) -> list[int]:
    """The offset in `plain` where each of the `count` wrapped lines starts, wrapped as
    `Text.wrap` wraps (at `width` cells, long words folded); [] if that gives another count."""
    starts: list[int] = []
    position = 0
    for line in plain.split("\n"):
        starts.append(position)
        starts.extend(position + offset for offset in divide_line(line, width, fold=True))
        position += len(line) + 1
    return starts if len(starts) == count else []


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
