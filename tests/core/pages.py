"""Builders for pages in the scraped listing template, for tests that write their own pages."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageArticle:
    section: str | None
    title: str
    paragraphs: list[str]
    caption: str | None = None
    source_line: str | None = None
    author_bio: str | None = None
    continue_reading: bool = True
    comments: bool = False


@dataclass
class PageTeaser:
    section: str
    age: str
    title: str
    text: str


@dataclass
class Page:
    articles: list[PageArticle] = field(default_factory=list)
    teasers: list[PageTeaser] = field(default_factory=list)
    header: bool = True
    sidebar_markers: bool = True
    trending: bool = True

    def render(self, newline: str = "\n") -> str:
        lines: list[str] = []
        if self.header:
            lines.append("Connect with us")
        for article in self.articles:
            if article.section is not None:
                lines.append(article.section)
            lines += [article.title, "Published", "on"]
            if article.caption:
                lines.append(article.caption)
            lines += article.paragraphs
            if article.source_line:
                lines.append(article.source_line)
            if article.author_bio:
                lines.append(article.author_bio)
            if article.continue_reading:
                lines.append("Continue Reading")
            if article.comments:
                lines.append("Comments")
        if self.teasers and self.sidebar_markers:
            lines += ["Publications", "Latest"]
        for teaser in self.teasers:
            lines += [f"{teaser.section}{teaser.age}", teaser.title, teaser.text]
        if self.trending:
            lines.append("Trending")
        return (newline * 2).join(lines) + newline
