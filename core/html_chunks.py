"""An article body a page splits into several containers, put back together.

Some sites cut an article's body into chunks of the same kind (`<div class="article__body">`
three times, with an advertisement row between them). Extraction picks the container
that holds the most text, so the other chunks' paragraphs were lost without a trace: two
real pages kept 35% and 45% of their words. Here the container the extracted paragraphs
came from is found, and its siblings of the same element and class, wherever they stand
in the page, give their paragraphs back in document order.

Only containers whose class names a body or a chunk count, at the container's depth and
under one of its three nearest ancestors: a class shared by components all over the page
(`component-content`, `text`) or by other articles' teasers is not one article's body.
"""

from __future__ import annotations

import re
from typing import Any

_BODY_CLASS = re.compile(r"body|chunk", re.IGNORECASE)
_NEAR_LEVELS = 3
"""Chunks of one body share an ancestor at most this many levels above them (the article's
wrapper); containers of the same class further apart are other articles' teasers."""
_MAX_CHUNKS = 64
"""More elements of the container's class than this are a listing's cards, not one body
(real chunked bodies have a handful); a hostile page of thousands is not walked."""
_SPACES = re.compile(r"\s+")
_PARAGRAPH_TAGS = ("p", "h2", "h3", "h4", "blockquote", "li")
_ANCHOR_MIN_CHARS = 80
"""A paragraph this long is matched to find where the extracted text came from (a short
one, a date or a one-word heading, could stand anywhere)."""


def _text(element: Any) -> str:
    return _SPACES.sub(" ", "".join(element.itertext())).strip()


def whole_body(tree: Any, paragraphs: list[str]) -> list[str]:
    """`paragraphs` (the extracted body of the page `tree`) with the paragraphs of the other
    chunks of its container, in document order; `paragraphs` as they are when the page
    has no such chunks."""
    container = _container(tree, paragraphs)
    if container is None:
        return paragraphs
    same_class = [element for element in tree.iter(container.tag) if element.get("class") == container.get("class")]
    if len(same_class) > _MAX_CHUNKS:
        return paragraphs  # a class on every card of a listing, not one body's chunks
    depth = _depth(container)
    near = [parent for _, parent in zip(range(_NEAR_LEVELS), container.iterancestors(), strict=False)]
    chunks = [
        element
        for element in same_class
        if not _nested(element, container)
        and _depth(element) == depth
        and any(parent in near for parent in element.iterancestors())
    ]
    if len(chunks) < 2:
        return paragraphs
    kept = set(paragraphs)
    whole: list[str] = []
    for chunk in chunks:
        if chunk is container:
            whole.extend(paragraphs)
            continue
        for element in chunk.iter(*_PARAGRAPH_TAGS):
            if any(parent.tag in _PARAGRAPH_TAGS for parent in element.iterancestors()):
                continue  # its text is its enclosing paragraph's
            text = _text(element)
            if text and text not in kept:
                kept.add(text)
                whole.append(text)
    return whole


def _container(tree: Any, paragraphs: list[str]) -> Any | None:
    """The nearest element with a body-like class around the first long extracted paragraph."""
    anchor = next((p for p in paragraphs if len(p) >= _ANCHOR_MIN_CHARS), None)
    if anchor is None:
        return None
    for element in tree.iter("p"):
        if _text(element) != anchor:
            continue
        for parent in element.iterancestors():
            classes = parent.get("class")
            if classes and _BODY_CLASS.search(classes):
                return parent
        return None
    return None


def _depth(element: Any) -> int:
    return sum(1 for _ in element.iterancestors())


def _nested(element: Any, container: Any) -> bool:
    """Whether `element` is inside `container` or holds it (one chunk, not two)."""
    if element is container:
        return False
    return any(parent is container for parent in element.iterancestors()) or any(
        parent is element for parent in container.iterancestors()
    )
