"""Search-result snippets fetched lazily, for the rows the list actually paints.

A broad search matches tens of thousands of articles; building a snippet for each (reading
and marking its text) would cost more than the search itself. The window gets the first
screenful with the search, and this asks the library for the rest a batch at a time, off
the UI thread, as rows are painted; a new search makes outstanding batches stale.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer

from newsreader.core.library import Library
from newsreader.core.models import Highlight
from newsreader.ui.article_model import ArticleTableModel
from newsreader.ui.jobs import JobRunner

#: Snippets asked for in one background job (about two screens of rows).
BATCH = 60


class LazySnippets(QObject):
    """Feeds `ArticleTableModel` the snippets of one search's rows, as they are painted."""

    def __init__(
        self, library: Library, jobs: JobRunner, model: ArticleTableModel, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._library = library
        self._jobs = jobs
        self._model = model
        self._highlight: Highlight | None = None
        self._generation = 0
        self._pending: dict[int, None] = {}
        self._asked: set[int] = set()
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._fetch)

    def start(self, highlight: Highlight | None) -> None:
        """A new search: forget what was pending and fetch for its rows from now on."""
        self._generation += 1
        self._highlight = highlight
        self._pending.clear()
        self._asked.clear()
        self._model.snippet_requester = self.request

    def stop(self) -> None:
        """Not a search any more: no snippets to fetch."""
        self._generation += 1
        self._pending.clear()
        self._model.snippet_requester = None

    def request(self, article_id: int) -> None:
        """A row without a snippet was painted: fetch it (with its neighbours) soon."""
        if article_id in self._asked:
            return
        self._asked.add(article_id)
        self._pending[article_id] = None
        if not self._busy:
            self._timer.start()

    def _fetch(self) -> None:
        if self._busy or not self._pending:
            return
        ids = list(self._pending)[:BATCH]
        for article_id in ids:
            del self._pending[article_id]
        library, highlight, generation = self._library, self._highlight, self._generation
        self._busy = True

        def body(progress: Any, cancel: Any) -> tuple[int, dict[int, str]]:
            return generation, library.search_snippets(highlight, ids)

        self._jobs.start(
            f"snippets-{generation}-{ids[0]}",
            body,
            on_result=self._arrived,
            on_done=self._done,
        )

    def _arrived(self, result: tuple[int, dict[int, str]]) -> None:
        generation, snippets = result
        if generation == self._generation:
            self._model.add_snippets(snippets)

    def _done(self) -> None:
        self._busy = False
        if self._pending:
            self._timer.start()
