"""The messages the dashboard's workers post to the app, in one place.

Workers run in threads and never touch a widget: they post one of these, and the app routes
it on the UI thread (`NewsdeskApp.on_*`). Each message says what happened and carries what
the receiver needs; attributes are documented where they are set. The panes' own messages
(`ArticleList.Highlighted`, `FilterBar.Changed`, ...) stay with their widgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    import polars as pl

    from core.corpus import Corpus
    from core.progress import LoadProgress
    from core.state import CorpusState, StateStore
    from tui.screens.computed import ComputedScreen
    from core.live_update import Delta
    from core.view import FilterError


class StateRead(Message):
    """The corpus's reading state was read (before any of its rows are reported)."""

    def __init__(self, store: StateStore, state: CorpusState) -> None:
        super().__init__()
        self.store = store
        """Where the state is saved."""
        self.state = state
        """Marks, bookmarks, last filter and sort."""


class CorpusLoaded(Message):
    """The corpus was read from disk."""

    def __init__(self, corpus: Corpus, skipped: list[tuple[str, str]]) -> None:
        super().__init__()
        self.corpus = corpus
        """The loaded corpus."""
        self.skipped = skipped
        """(path, reason) of files that could not be read."""


class LoadProgressed(Message):
    """The corpus load made progress; `report.partial` is the corpus found so far, when new."""

    def __init__(self, report: LoadProgress) -> None:
        super().__init__()
        self.report = report
        """Files and bytes done, rate, and maybe the corpus so far."""

    def can_replace(self, message: Message) -> bool:
        # Textual asks this (older, pending) report whether the newer `message` may take
        # its place: yes when this one carries no rows, or the newer one carries rows too.
        if not isinstance(message, LoadProgressed):
            return False
        return self.report.partial is None or message.report.partial is not None


class ViewComputed(Message):
    """A filter/sort request finished: the rows and their aggregated keywords, painted together."""

    def __init__(
        self,
        generation: int,
        text: str,
        sort: str,
        result: pl.DataFrame | FilterError,
        keep_place: bool,
        keywords: pl.DataFrame | None = None,
    ) -> None:
        super().__init__()
        self.generation = generation
        """Which request this answers (older ones are dropped)."""
        self.text = text
        """The filter text."""
        self.sort = sort
        """The sort order."""
        self.result = result
        """The rows, or why the filter is wrong."""
        self.keep_place = keep_place
        """Keep the cursor on the article it is on when the rows arrive (else the first row)."""
        self.keywords = keywords
        """The rows' aggregated keywords (keyword, key, docs, score); None with an error."""


class IndexProgress(Message):
    """Keyword indexing made progress."""

    def __init__(self, done: int, total: int, docs_per_s: float | None) -> None:
        super().__init__()
        self.done = done
        """Articles indexed so far."""
        self.total = total
        """Articles to index."""
        self.docs_per_s = docs_per_s
        """Current rate."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgress)


class KeywordsUpdated(Message):
    """The view's keywords frame changed (a batch arrived or indexing finished)."""

    def __init__(self, finished: bool) -> None:
        super().__init__()
        self.finished = finished
        """Indexing is complete."""


class BodiesDropped(Message):
    """The corpus's bodies were dropped from memory: they are read from the snapshot now."""


class BodyRead(Message):
    """An article's body was read from the corpus snapshot."""

    def __init__(self, article: dict[str, Any], body: str | None) -> None:
        super().__init__()
        self.article = article
        """The list row the body belongs to."""
        self.body = body
        """The body, or None when the snapshot no longer has it."""


class StatisticsComputed(Message):
    """A screen's numbers were computed before it opens."""

    def __init__(self, screen: ComputedScreen[Any, Any], result: object) -> None:
        super().__init__()
        self.screen = screen
        """The screen they are for."""
        self.result = result
        """What its `compute()` returned."""


class KwicReady(Message):
    """Concordance lines were computed."""

    def __init__(self, term: str, lines: pl.DataFrame) -> None:
        super().__init__()
        self.term = term
        """The term looked up."""
        self.lines = lines
        """id, left, match, right, title."""


class LiveBatch(Message):
    """A batch of changed files was merged into the view: the list's rows for the filter and
    sort asked for, computed after the merge (`tui.live`)."""

    def __init__(self, computed: ViewComputed, delta: Delta, keep_id: str | None) -> None:
        super().__init__()
        self.computed = computed
        """The rows and their keywords, as a filter request would have them."""
        self.delta = delta
        """What the batch did to the corpus's rows."""
        self.keep_id = keep_id
        """The article the cursor goes to because its own left (None: it stays on its own)."""
