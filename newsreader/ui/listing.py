"""What the article list shows, and which article in it is current: the listing controller.

It owns the list model and its selection model, the view (a sidebar choice), the sort, and
the search session (the query, its results, and where the user was before, for Esc). Every
listing (ids of a view, or of a search) is fetched off the UI thread through one job kind
("list"), so whatever the user asked for last is what the list shows.

The selection policy lives here, so that the selection, the list and the reading pane always
agree: the pane shows the current row, or nothing when no row is current.
- After a new listing, the article that was open (or the one asked for) stays current if the
  list holds it.
- Otherwise a view (All, Unread, a source, an entity) opens its first article; a search
  selects nothing until the user picks a result, so that typing a query never marks
  articles read behind the user's back.
- Esc leaves the search for the view before it, on the article opened from the results
  (or, if none was, on the one open before the search).

The controller only emits signals; the window connects them to the widgets.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from newsreader.core.library import Library, SearchCancelled
from newsreader.core.models import ArticleRow, SearchResults
from newsreader.core.storage import ArticleFilter, SortKey
from newsreader.ui.article_model import ArticleTableModel, Growth, prepare_growth
from newsreader.ui.jobs import JobRunner
from newsreader.ui.live_list import LiveList, serves
from newsreader.ui.reader_activity import Hold, ReaderActivity, never_held
from newsreader.ui.sidebar import ALL, View

#: Hits whose snippets come with the search (a screenful); the rest of the matches are
#: listed by id and their snippets fetched as they are painted (`ui/search_snippets.py`).
SEARCH_HITS = 40

#: The list's growth during an import takes at most this share of the wall time: after a
#: growth that took `t` seconds, the next waits `t / GROWTH_SHARE - t` (a full re-listing of
#: 100k ids is spaced out; adding one second's new rows, a few ms, is not held back).
GROWTH_SHARE = 0.1

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class Listing:
    """What a listing job produced: ids in display order, snippets, and search results."""

    ids: list[int]
    snippets: dict[int, str] = field(default_factory=dict)
    results: SearchResults | None = None
    #: The ids as the list's ids with some inserted (an import re-listing), worked out in
    #: the job's thread so that the UI thread only applies it.
    growth: Growth | None = None
    #: The ids with their sort keys, for the next growth (`ui/live_list.py`); None when the
    #: listing cannot grow by what an import adds (a search, an entity, a sort by title).
    live: LiveList | None = None
    #: How long the job took (seconds), to space the next growth by.
    cost_s: float = 0.0


@dataclass(slots=True)
class SearchSession:
    """A search in progress: its query, its results once in, and where to go back to."""

    query: str
    previous_view: View
    previous_article: int | None
    results: SearchResults | None = None


def search_listing(
    library: Library,
    query: str,
    *,
    sort: str = "relevance",
    cancelled: Callable[[], bool] = lambda: False,
) -> Listing | None:
    """Run a search for the list (in a worker thread) in one pass: every match's id in order,
    the total, and snippets for the first screenful (the rest come lazily as rows are
    painted). None when `cancelled` said so first (a newer keystroke made it stale)."""
    try:
        results = library.search_all(query, limit=SEARCH_HITS, sort=sort, cancelled=cancelled)
    except SearchCancelled:
        return None
    return Listing(list(results.ids), {h.article_id: h.snippet for h in results.hits}, results)


def view_listing(library: Library, view: View, sort: SortKey, descending: bool) -> Listing:
    """The ids of a view in the chosen order (in a worker thread)."""
    if view.kind == "entity":
        ids = library.entity_article_ids(view.entity_id)
        return Listing(library.ids(ArticleFilter(ids=tuple(ids)), sort, descending))
    where = {
        "all": ArticleFilter(),
        "unread": ArticleFilter(unread=True),
        "starred": ArticleFilter(starred=True),
        "source": ArticleFilter(source=view.value),
    }.get(view.kind, ArticleFilter())
    return Listing(library.ids(where, sort, descending))


class ListingController(QObject):
    """See the module docstring."""

    #: The current article changed: its id, or None (nothing current; the pane clears).
    current_changed = Signal(object)
    #: A listing is on screen (Listing): the window updates row heights, the empty message.
    listing_shown = Signal(object)
    #: The search session changed: SearchResults (a placeholder while it runs) or None.
    search_changed = Signal(object)
    #: The view changed (View), or the search's pseudo-view ("saved", query).
    view_changed = Signal(object)
    #: The sort changed: (sort key, descending).
    sort_changed = Signal(str, bool)
    #: A listing or search failed: a one-line message.
    failed = Signal(str)
    search_failed = Signal(str)

    def __init__(
        self,
        library: Library,
        jobs: JobRunner,
        parent: QObject | None = None,
        *,
        sort: SortKey = "published",
        descending: bool = True,
        activity: ReaderActivity | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.jobs = jobs
        #: The reader's opens and scrolls: growths and the import's last listing wait for a
        #: still moment (`ui/reader_activity.py`). Alone (tests), nothing is held.
        self.activity = activity if activity is not None else never_held()
        self.model = ArticleTableModel(library.rows, self, start_page=self._start_page)
        self.model.sort_requested.connect(self._on_sort_requested)
        self.selection = QItemSelectionModel(self.model, self)
        self.selection.currentRowChanged.connect(self._on_current_row)
        self.view: View = ALL
        self.sort_key: SortKey = sort
        self.sort_descending = descending
        self.session: SearchSession | None = None
        #: How search results are ordered: "relevance" or "date" (the core's `SEARCH_SORTS`).
        self.search_sort = "relevance"
        self._current: int | None = None
        self._pending: list[int] = []
        #: What the list shows with its sort keys, while it can grow by an import's new rows.
        self._live: LiveList | None = None
        self._grow_again = False
        self._next_growth = 0.0
        self._growth_timer = QTimer(self)
        self._growth_timer.setSingleShot(True)
        self._growth_timer.timeout.connect(self.grow)
        #: A growth and the import's last listing, held back while the reader is busy.
        self._growth_hold = Hold(self.activity)
        self._catch_up_hold = Hold(self.activity)
        self._catch_up_timer = QTimer(self)
        self._catch_up_timer.setSingleShot(True)
        self._catch_up_timer.timeout.connect(self.catch_up)
        self._sync_model_sort()

    def _start_page(
        self,
        kind: str,
        read: Callable[[], list[ArticleRow] | None],
        deliver: Callable[[list[ArticleRow] | None], None],
    ) -> None:
        """A page of list rows, read off the UI thread (`ArticleTableModel`)."""
        self.jobs.start(
            kind,
            lambda progress, cancel: read(),
            on_result=deliver,
            on_error=lambda _message: deliver(None),
            reads=True,
        )

    # -- state -----------------------------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        """The article the list has current (and the pane shows), or None."""
        return self._current

    @property
    def searching(self) -> bool:
        return self.session is not None

    @property
    def search_results(self) -> SearchResults | None:
        """The search's results; a placeholder with no hits while it runs; None outside."""
        if self.session is None:
            return None
        return self.session.results or SearchResults(query=self.session.query, total=0, hits=())

    def selected_ids(self) -> list[int]:
        """The selected articles in list order, or the current one if none is selected."""
        rows = sorted({index.row() for index in self.selection.selectedRows()})
        ids = [i for i in (self.model.article_id(r) for r in rows) if i is not None]
        if not ids and self._current is not None:
            ids = [self._current]
        return ids

    # -- what the list shows ----------------------------------------------------------------------

    def load_view(self, view: View, *, select: int | None = None) -> None:
        """List a view's articles; leaves a search running in the list, if any."""
        if self.session is not None:
            self.session = None
            self.search_changed.emit(None)
        self._list_view(view, [select] if select is not None else [])

    def _list_view(self, view: View, keep: Sequence[int], *, again: bool = False) -> None:
        self._stop_held()
        self.view = view
        self.view_changed.emit(view)
        self._pending = list(keep)
        library, sort, descending = self.library, self.sort_key, self.sort_descending
        # What the list holds now, for the job to work out an import's new rows against.
        shown, version = tuple(self.model.ids), self.model.version
        # Listed again (an import's end, another program's change), a view keeps the open
        # article even if it left the view's filter (read in Unread), and can grow after.
        keyed = again and serves(view, sort)
        also = [self._current] if self._current is not None else []

        def run(progress: Any, cancel: Any) -> Listing:
            if keyed:
                live = LiveList.read(library, view, sort, descending, also=also)
                listing = Listing(live.ids, live=live)
            else:
                listing = view_listing(library, view, sort, descending)
            listing.growth = prepare_growth(shown, version, listing.ids)
            return listing

        self.jobs.start("list", run, on_result=self._show, on_error=self.failed.emit)

    def _stop_held(self) -> None:
        """A full listing or search is on its way: what was held back is in it."""
        self._growth_timer.stop()
        self._growth_hold.clear()
        self._catch_up_timer.stop()
        self._catch_up_hold.clear()

    def catch_up(self) -> None:
        """`reload`, once the reader is still (`ui/reader_activity.py`): at an import's end
        the list is listed again in full (100k ids), which need not land between two of the
        reader's opens."""
        wait = self._catch_up_hold.wait_s()
        if wait > 0:
            self._catch_up_timer.start(math.ceil(wait * 1000))
            return
        self.reload()

    def reload(self) -> None:
        """List again what is shown (after an import, a delete, another process's change),
        keeping the current article."""
        if self.session is not None:
            self.run_search(self.session.query)
        else:
            self._list_view(self.view, [], again=True)

    def grow(self) -> None:
        """An import stored more articles: add those the view shows, keeping the selection,
        the current article and the rows on screen (`ui/live_list.py`: the library is asked
        only for what was stored since the last growth). A search is searched again, and a
        view a live list cannot serve is listed again in full. Growths are spaced so that
        they take at most `GROWTH_SHARE` of the time, one waits for a listing running, and
        one waits while the reader opens articles or scrolls (at most `MAX_HOLD_S`)."""
        wait = max(self._next_growth - time.monotonic(), self._growth_hold.wait_s())
        if wait > 0:
            if not self._growth_timer.isActive():
                self._growth_timer.start(math.ceil(wait * 1000))
            return
        if self.session is not None:
            self.reload()
            return
        if any(self.jobs.is_current(job) for job in self.jobs.running("list")):
            # Its result asks again (`_show_growth`, `_show`); a stale one's never arrives.
            self._grow_again = True
            return
        self._growth_hold.clear()
        view, sort, descending = self.view, self.sort_key, self.sort_descending
        live = self._live
        if live is not None and (live.view, live.sort, live.descending) != (view, sort, descending):
            live = None
        library, version = self.library, self.model.version
        shown: Sequence[int] = live.ids if live is not None else tuple(self.model.ids)
        keep = [self._current] if self._current is not None else []

        def run(progress: Any, cancel: Any) -> Listing:
            started = time.perf_counter()
            grown = live.grow(library) if live is not None else None
            if grown is not None:
                more, runs = grown
                listing = Listing(more.ids, growth=Growth(version, runs, None), live=more)
            else:
                if serves(view, sort):
                    fresh = LiveList.read(library, view, sort, descending, also=keep)
                    listing = Listing(fresh.ids, live=fresh)
                else:
                    listing = view_listing(library, view, sort, descending)
                listing.growth = prepare_growth(shown, version, listing.ids)
            listing.cost_s = time.perf_counter() - started
            return listing

        self.jobs.start(
            "list",
            run,
            on_result=lambda listing: self._show_growth(listing, live, version),
            on_error=self.failed.emit,
        )

    def _show_growth(self, listing: Listing, live: LiveList | None, version: int) -> None:
        cost = listing.cost_s
        self._next_growth = time.monotonic() + cost / GROWTH_SHARE - cost
        again, self._grow_again = self._grow_again, False
        if self.model.version != version or (live is not None and self._live is not live):
            # The list changed while the job ran (a delete): work the growth out again.
            self._grow_soon()
            return
        growth = listing.growth
        if growth is not None and not growth.runs:
            self._live = listing.live  # nothing new for this view
        elif growth is not None:
            # Insertions only: the selection and the current row move with their articles.
            self.model.set_ids(listing.ids, {}, growth)
            self._live = listing.live
            self.listing_shown.emit(listing)
        else:
            self._show(listing)  # a full listing that also lost rows
        if again:
            self._grow_soon()

    def _grow_soon(self) -> None:
        """`grow` from the event loop: a job delivering its result is still running until
        its callback returns, and `grow` would only ask again after it, which nothing does."""
        self._growth_timer.start(0)

    def run_search(self, query: str, *, select: int | None = None) -> None:
        """Search off the UI thread; a newer search or view makes this one's results stale."""
        query = query.strip()
        if not query:
            self.clear_search()
            return
        if self.session is None:
            self.session = SearchSession(query, self.view, self._current)
            changed = True
        else:
            # The same query again is a refresh (new articles): the results on screen stay
            # until the new ones arrive, so the pane does not flicker.
            changed = self.session.query != query
            if changed:
                self.session.query = query
                self.session.results = None
        self._pending = [select] if select is not None else []
        self._stop_held()
        if changed:
            self.search_changed.emit(self.search_results)
            self.view_changed.emit(View("saved", query, query))
        library, sort = self.library, self.search_sort
        # A newer keystroke makes the running search stale: stop it rather than finish it.
        for job in self.jobs.running("list"):
            job.cancel()

        def run(progress: Any, cancel: Any) -> Listing | None:
            return search_listing(library, query, sort=sort, cancelled=lambda: cancel.cancelled)

        self.jobs.start("list", run, on_result=self._show_search, on_error=self.search_failed.emit)

    def set_search_sort(self, sort: str) -> None:
        """Best match or newest first: the same matches, searched again in that order, with
        the open article kept."""
        self.search_sort = sort
        if self.session is not None:
            self.run_search(self.session.query, select=self._current)

    def clear_search(self) -> bool:
        """Esc: back to the view before the search; False if there was no search to leave."""
        session = self.session
        if session is None:
            return False
        self.session = None
        self.search_changed.emit(None)
        keep = [i for i in (self._current, session.previous_article) if i is not None]
        self._list_view(session.previous_view, keep)
        return True

    def set_sort(self, key: SortKey, descending: bool) -> None:
        """Sort by a column; a search's results are re-ordered, not searched again."""
        self.sort_key, self.sort_descending = key, descending
        self._sync_model_sort()
        self.sort_changed.emit(key, descending)
        if self.session is None:
            self._list_view(self.view, [])
            return
        library, ids = self.library, list(self.model.ids)
        snippets = {i: self.model.snippet(i) for i in ids if self.model.snippet(i)}
        results = self.session.results

        def run(progress: Any, cancel: Any) -> Listing:
            ordered = library.ids(ArticleFilter(ids=tuple(ids)), key, descending)
            return Listing(ordered, snippets, results)

        self._pending = []
        self.jobs.start("list", run, on_result=self._show, on_error=self.failed.emit)

    def _on_sort_requested(self, key: str, descending: bool) -> None:
        for known in ArticleTableModel.SORT_KEYS:
            if known == key:
                self.set_sort(known, descending)

    def _sync_model_sort(self) -> None:
        if self.sort_key in ArticleTableModel.SORT_KEYS:
            self.model.sort_column = ArticleTableModel.SORT_KEYS.index(self.sort_key)
        self.model.sort_order = (
            Qt.SortOrder.DescendingOrder if self.sort_descending else Qt.SortOrder.AscendingOrder
        )

    # -- listings arriving -------------------------------------------------------------------------

    def _show_search(self, listing: Listing | None) -> None:
        if listing is None:  # cancelled by a newer search
            return
        if self.session is not None:
            self.session.results = listing.results
            self.search_changed.emit(listing.results)
        self._show(listing)

    def _show(self, listing: Listing) -> None:
        keep = [*self._pending, *([self._current] if self._current is not None else [])]
        self._pending = []
        self._live = listing.live
        self.model.set_ids(listing.ids, listing.snippets, listing.growth)
        self.listing_shown.emit(listing)
        row = next((r for r in (self.model.row_of(i) for i in keep) if r is not None), None)
        if row is None and self.session is None and self.model.rowCount():
            row = 0
        if row is None:
            self.clear_current()
        else:
            self.select_row(row)
        if self._grow_again:
            # A growth asked for while this listing ran: what was stored after it read.
            self._grow_again = False
            self._grow_soon()

    # -- selection ---------------------------------------------------------------------------------

    def select_row(self, row: int) -> None:
        """Make a row current and the only one selected (the pane follows)."""
        if not 0 <= row < self.model.rowCount():
            self.clear_current()
            return
        index = self.model.index(row, ArticleTableModel.TITLE)
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.selection.setCurrentIndex(index, flags)
        # Re-selecting the current row emits nothing; the article may still need showing.
        self._set_current(self.model.article_id(row))

    def select_id(self, article_id: int) -> bool:
        row = self.model.row_of(article_id)
        if row is None:
            return False
        self.select_row(row)
        return True

    def clear_current(self) -> None:
        self.selection.clearSelection()
        self.selection.clearCurrentIndex()
        self._set_current(None)

    def step(self, delta: int) -> None:
        """Next (+1) or previous (-1) article; from nothing current, the first."""
        count = self.model.rowCount()
        if not count:
            return
        current = self.selection.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        self.select_row(max(0, min(count - 1, row)))

    def remove(self, ids: Sequence[int]) -> None:
        """Take deleted articles out of the list; the next one becomes current."""
        rows = sorted(r for r in (self.model.row_of(i) for i in ids) if r is not None)
        removed_current = self._current in set(ids)
        if self._live is not None:
            self._live = self._live.without(ids)
        self.model.remove_ids(ids)
        if removed_current or not self.selection.currentIndex().isValid():
            next_row = rows[0] if rows else 0
            self.select_row(min(next_row, self.model.rowCount() - 1))

    def _on_current_row(self, current: ModelIndex, _previous: ModelIndex) -> None:
        self._set_current(self.model.article_id(current.row()) if current.isValid() else None)

    def _set_current(self, article_id: int | None) -> None:
        if article_id != self._current:
            self.activity.note()  # an article opens (or the pane clears): hold re-reads
            self._current = article_id
            self.current_changed.emit(article_id)
