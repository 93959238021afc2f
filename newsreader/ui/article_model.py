"""The article list: a table model over article ids whose rows are fetched lazily in pages.

Holding only ids (8 bytes each in a Python list, ~1 MB for 100k articles) and fetching the
light `ArticleRow` columns a page at a time, for the rows the view actually paints, is what lets
a 100k-article library open and scroll without a stall. The id list is fetched off the UI
thread by the window, and so is each page (`PageStarter`): a read on the UI thread can wait
on the disk for a second while an import commits (SQLite drops a connection's page cache on
every other connection's commit; bench/README.md). A row whose page has not landed yet
paints as it did before (the same article's last-read columns), or blank for a moment if it
was never read, and fills in when its page arrives; pages around the one painted, and ahead
of the scroll, are asked for before they are needed.
"""

from __future__ import annotations

import html
import itertools
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from newsreader.core.models import ArticleRow
from newsreader.core.storage import SortKey
from newsreader.ui import icons

_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_DECORATION = int(Qt.ItemDataRole.DecorationRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_ROLES = frozenset({_DISPLAY, _FONT, _DECORATION, _FOREGROUND, _TOOLTIP, _ACCESSIBLE, _USER})

PAGE_SIZE = 200
#: What the date column shows for an article without a publication date (as the CLI does).
UNDATED = "—"
#: Pages kept in memory; enough for several screens either side of the viewport.
MAX_PAGES = 50

#: Pages asked for ahead of the one painted, in the direction the list last moved (one is
#: always asked for behind): a page is about seven screens, so a steady scroll meets a page
#: that has landed already.
PREFETCH_AHEAD = 2

ModelIndex = QModelIndex | QPersistentModelIndex
RowFetcher = Callable[[Sequence[int]], list[ArticleRow]]
#: Runs a page read off the UI thread: (a name for the job, the read, what to call with its
#: rows, or None if it failed or was skipped, on the UI thread). The window's is a `JobRunner`
#: job; without one the model reads in place (the synchronous reference the tests compare
#: against).
PageStarter = Callable[
    [str, Callable[[], list[ArticleRow] | None], Callable[[list[ArticleRow] | None], None]],
    None,
]


def format_date(value: datetime | None) -> str:
    """A compact, unambiguous date for the list ("24 Nov 2026")."""
    return value.strftime("%d %b %Y").lstrip("0") if value else ""


def short_source(source: str) -> str:
    """A source as the list shows it: a folder or file path by its last part ("bbc-sample"),
    anything else as it is; the full name stays in tooltips."""
    if "/" in source or "\\" in source:
        return PurePath(source.rstrip("/\\")).name or source
    return source


def snippet_html(snippet: str) -> str:
    """The core's plain snippet (matches wrapped in « ») as rich text with the matches bold."""
    escaped = html.escape(snippet)
    return escaped.replace("«", "<b>").replace("»", "</b>")


#: Above this many separate runs of new rows, an insert-only change reaches the view as one
#: layout change instead of one `rowsInserted` per run: each insertion makes the header and
#: the view redo work in proportion to the whole list (100 runs into 100k rows held the UI
#: thread ~50 ms, and the next paint as long again; one layout change ~2 ms; bench/README.md).
MAX_INSERT_RUNS = 16


@dataclass(frozen=True, slots=True)
class Growth:
    """A new id list worked out (off the UI thread) as the model's list, as it was at
    `version`, with ids inserted: where (`insertion_runs`), and each id's row in it (None:
    the model shifts the rows it knows by the runs instead, see `RowIndex`)."""

    version: int
    runs: list[tuple[int, list[int]]]
    row_of: dict[int, int] | None


#: Insertion layers a `RowIndex` stacks before it rebuilds its table from the ids.
MAX_LAYERS = 512


class RowIndex:
    """Each id's row in a list that grows by insertions, without a new id → row table per
    growth: a table built once (lazily, from the ids), and for each growth since, where its
    runs went in and the rows of the ids it added. A lookup shifts the row it finds through
    the later growths (a bisection each), so an import that grows a 100k list every second
    never rebuilds a 100k-entry dict, on the UI thread or off it (bench/README.md).
    """

    def __init__(self, ids: list[int], table: dict[int, int] | None = None) -> None:
        self._ids = ids
        self._table = table
        #: Per growth: the old row before which each run went, the ids inserted up to and
        #: including each run, and the added ids' rows in the list as that growth left it.
        self._layers: list[tuple[list[int], list[int], dict[int, int]]] = []

    def grew(self, ids: list[int], runs: Sequence[tuple[int, Sequence[int]]]) -> None:
        """`ids` is the list now, the old one with `runs` (from `insertion_runs`) inserted."""
        self._ids = ids
        if self._table is None or len(self._layers) >= MAX_LAYERS:
            self._table, self._layers = None, []  # built from `ids` when next asked
            return
        starts: list[int] = []
        totals: list[int] = []
        added: dict[int, int] = {}
        inserted = 0
        for row, run in runs:
            starts.append(row - inserted)
            inserted += len(run)
            totals.append(inserted)
            for offset, article_id in enumerate(run):
                added[article_id] = row + offset
        self._layers.append((starts, totals, added))

    def get(self, article_id: int) -> int | None:
        if self._table is None:
            self._table = {a: r for r, a in enumerate(self._ids)}
            self._layers = []
        row = self._table.get(article_id)
        first = 0
        if row is None:
            for number, (_starts, _totals, added) in enumerate(self._layers):
                row = added.get(article_id)
                if row is not None:
                    first = number + 1
                    break
            else:
                return None
        for starts, totals, _added in self._layers[first:]:
            before = bisect_right(starts, row)
            if before:
                row += totals[before - 1]
        return row


def insertion_runs(old: Sequence[int], new: Sequence[int]) -> list[tuple[int, list[int]]] | None:
    """`new` as `old` with ids inserted: (row in `new`, the ids inserted there) for each run
    of new ids, in order; None if `new` is not that (an id removed or moved). Ids are unique,
    as article ids are. One pass over `new` (an import re-lists 100k ids every second)."""
    if len(new) < len(old):
        return None
    old_set = set(old)
    runs: list[tuple[int, list[int]]] = []
    position, total = 0, len(old)
    for row, article_id in enumerate(new):
        if position < total and article_id == old[position]:
            position += 1
        elif article_id in old_set:
            return None  # an old id out of its old order
        elif runs and runs[-1][0] + len(runs[-1][1]) == row:
            runs[-1][1].append(article_id)
        else:
            runs.append((row, [article_id]))
    return runs if position == total else None


def prepare_growth(old: Sequence[int], version: int, new: Sequence[int]) -> Growth | None:
    """The `Growth` from `old` (the model's ids at `version`) to `new`, or None when `new` is
    not `old` with insertions (for a listing job, in its thread)."""
    runs = insertion_runs(old, new) if old else None
    if runs is None:
        return None
    return Growth(version, runs, dict(zip(new, range(len(new)), strict=True)))


def shifted_rows(runs: Sequence[tuple[int, Sequence[int]]], rows: Sequence[int]) -> list[int]:
    """Where rows of the old list are once `runs` (as from `insertion_runs`) are inserted."""
    starts: list[int] = []  # the old row before which each run goes
    totals: list[int] = []  # ids inserted up to and including each run
    inserted = 0
    for row, added in runs:
        starts.append(row - inserted)
        inserted += len(added)
        totals.append(inserted)
    shifted = []
    for row in rows:
        before = bisect_right(starts, row)
        shifted.append(row + (totals[before - 1] if before else 0))
    return shifted


class ArticleTableModel(QAbstractTableModel):
    """Columns: star, title, source, date. Unread rows are bold.

    Sorting is done by the library (the model never sees all rows), so `sort()` only emits
    `sort_requested`; the window fetches the ids in the new order and calls `set_ids`.
    """

    STAR, TITLE, SOURCE, DATE = range(4)
    HEADERS: ClassVar[tuple[str, ...]] = ("", "Title", "Source", "Date")
    SORT_KEYS: ClassVar[tuple[SortKey, ...]] = ("starred", "title", "source", "published")

    #: The user clicked a header: (sort key, descending).
    sort_requested = Signal(str, bool)

    def __init__(
        self, fetch_rows: RowFetcher, parent: Any = None, *, start_page: PageStarter | None = None
    ) -> None:
        """`fetch_rows` reads rows by id; `start_page` runs it off the UI thread (None: in
        place, when a row is first asked for)."""
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._start_page = start_page
        self._ids: list[int] = []
        self._version = 0
        self._rows = RowIndex(self._ids)
        #: Pages read since the list last changed, by page number (most recently used last).
        self._pages: OrderedDict[int, list[ArticleRow | None]] = OrderedDict()
        #: Rows read before the list last changed (or evicted), by article id: what a row
        #: paints until its page is read again, so rows on screen do not blink blank when an
        #: import grows the list. Always the same article's columns, never another's.
        self._stale: dict[int, ArticleRow] = {}
        #: Moves whenever `_pages` is dropped: a read started before answers for a list that
        #: is no longer there, so its rows only go to `_stale`.
        self._epoch = 0
        #: Moves whenever a flag write is settled: a read in flight may predate that write.
        self._settled = 0
        #: Pages being read at this epoch: page number -> the read's token.
        self._loading: dict[int, int] = {}
        self._token = 0
        #: The page last painted, and which way the list last moved (+1 down, -1 up).
        self._last_page = -1
        self._direction = 1
        self._snippets: dict[int, str] = {}
        #: Asked for a row's snippet that is not here yet (see `ui.search_snippets`).
        self.snippet_requester: Callable[[int], None] | None = None
        #: Flags shown before their write reached the database (see `update_row`).
        self._overrides: dict[int, dict[str, bool]] = {}
        self._holds: dict[int, int] = {}
        self._star_on = icons.icon("star-filled", QColor("#e0a100"))
        self._star_off = icons.icon("star")
        self.sort_column = self.DATE
        self.sort_order = Qt.SortOrder.DescendingOrder
        self._bold = QFont()
        self._muted = QColor()
        self.palette_changed()

    # -- contents ------------------------------------------------------------------------------

    @property
    def ids(self) -> list[int]:
        return self._ids

    @property
    def version(self) -> int:
        """Changes whenever the id list does: a `Growth` worked out for an older list is not
        applied to a newer one."""
        return self._version

    def set_ids(
        self,
        ids: Sequence[int],
        snippets: dict[int, str] | None = None,
        growth: Growth | None = None,
    ) -> None:
        """Show these ids; keeps rows on screen in place when the change is only insertions.

        `growth` is the change worked out off the UI thread (`prepare_growth` on the list as
        it was at `version`); without it, or when the list changed since, it is worked out
        here."""
        new = list(ids)
        self._snippets = dict(snippets or {})
        if new == self._ids:
            self._drop_pages()
            if new:
                self.dataChanged.emit(self.index(0, 0), self.index(len(new) - 1, 3))
            return
        if growth is not None and growth.version == self._version:
            runs: list[tuple[int, list[int]]] | None = growth.runs
            row_of: dict[int, int] | None = growth.row_of
        else:
            runs = insertion_runs(self._ids, new) if self._ids else None
            row_of = None
        if runs is not None:
            self._insert(new, runs, row_of)
            return
        self.beginResetModel()
        self._ids = new
        self._version += 1
        self._rows = RowIndex(new)
        self._drop_pages()
        self.endResetModel()

    def _insert(
        self, new: list[int], runs: list[tuple[int, list[int]]], row_of: dict[int, int] | None
    ) -> None:
        """Apply `new`, the list with `runs` inserted: as row insertions when they are few,
        else as one layout change that moves the selection and current row with their ids."""
        self._drop_pages()
        self._version += 1
        if len(runs) <= MAX_INSERT_RUNS:
            for row, added in runs:
                self.beginInsertRows(QModelIndex(), row, row + len(added) - 1)
                self._ids[row:row] = added
                self.endInsertRows()
            # Rows read between two insertions (the view asks as each lands) have moved since.
            self._drop_pages()
            self._grew(runs, row_of)
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        moved = shifted_rows(runs, [index.row() for index in persistent])
        self._ids = new
        self._grew(runs, row_of)
        # Rows read while the layout was about to change were read at their old places.
        self._drop_pages()
        self.changePersistentIndexList(
            persistent,
            [self.index(row, index.column()) for row, index in zip(moved, persistent, strict=True)],
        )
        self.layoutChanged.emit()

    def _grew(self, runs: list[tuple[int, list[int]]], row_of: dict[int, int] | None) -> None:
        if row_of is not None:
            self._rows = RowIndex(self._ids, row_of)
        else:
            self._rows.grew(self._ids, runs)

    def remove_ids(self, ids: Sequence[int]) -> None:
        """Remove rows (deleted articles) without resetting the view."""
        rows = sorted((r for r in (self.row_of(i) for i in ids) if r is not None), reverse=True)
        for row in rows:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._stale.pop(self._ids[row], None)
            del self._ids[row]
            self._version += 1
            self._rows = RowIndex(self._ids)
            self._drop_pages()
            self.endRemoveRows()

    def update_row(
        self, article_id: int, *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Show a flag change (read, starred) at once, before the library has stored it.

        The change is kept as an override until `settle` says the write landed, so that a
        page re-read from the database in between does not flip the row back.
        """
        flags = self._overrides.setdefault(article_id, {})
        if read is not None:
            flags["read"] = read
        if starred is not None:
            flags["starred"] = starred
        row = self.row_of(article_id)
        if row is None:
            return

        def changed(current: ArticleRow) -> ArticleRow:
            return replace(
                current,
                read=current.read if read is None else read,
                starred=current.starred if starred is None else starred,
            )

        page = self._pages.get(row // PAGE_SIZE)
        if page is not None:
            current = page[row % PAGE_SIZE]
            if current is not None:
                page[row % PAGE_SIZE] = changed(current)
        stale = self._stale.get(article_id)
        if stale is not None:
            self._stale[article_id] = changed(stale)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def hold(self, ids: Sequence[int]) -> None:
        """A write for these articles is on its way: keep their overrides until `settle`."""
        for article_id in ids:
            self._holds[article_id] = self._holds.get(article_id, 0) + 1

    def settle(self, ids: Sequence[int]) -> None:
        """A write for these articles landed; once none is pending, trust the database again."""
        for article_id in ids:
            left = self._holds.get(article_id, 0) - 1
            if left > 0:
                self._holds[article_id] = left
            else:
                self._holds.pop(article_id, None)
                if self._overrides.pop(article_id, None) is not None:
                    self._settled += 1

    def _drop_pages(self) -> None:
        """The pages no longer match the list (or the library): read them again when next
        painted, painting their rows as they were meanwhile."""
        for page in self._pages.values():
            self._keep_stale(page)
        self._pages.clear()
        self._loading.clear()
        self._epoch += 1
        self._last_page = -1

    def _keep_stale(self, rows: Sequence[ArticleRow | None]) -> None:
        stale = self._stale
        for found in rows:
            if found is not None:
                stale.pop(found.id, None)
                stale[found.id] = found
        excess = len(stale) - MAX_PAGES * PAGE_SIZE
        if excess > 0:
            for article_id in list(itertools.islice(stale, excess)):
                del stale[article_id]

    def article_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, article_id: int) -> int | None:
        return self._rows.get(article_id)

    def snippet(self, article_id: int) -> str:
        found = self._snippets.get(article_id)
        if found is None:
            if self.snippet_requester is not None:
                self.snippet_requester(article_id)
            return ""
        return found

    def add_snippets(self, snippets: dict[int, str]) -> None:
        """Snippets that arrived for some rows: store them and repaint those rows."""
        self._snippets.update(snippets)
        for article_id in snippets:
            row = self.row_of(article_id)
            if row is not None:
                index = self.index(row, self.TITLE)
                self.dataChanged.emit(index, index)

    def row(self, row: int) -> ArticleRow | None:
        """The list columns of one row: as read now, or as last read while its page is read
        again off the UI thread, or None until it has been read once (see the module
        docstring)."""
        if not 0 <= row < len(self._ids):
            return None
        number = row // PAGE_SIZE
        if number != self._last_page:
            self._want(number)
        page = self._pages.get(number)
        if page is not None:
            return page[row % PAGE_SIZE]
        return self._stale.get(self._ids[row])

    def is_loaded(self, row: int) -> bool:
        """Whether this row's columns are as read since the list last changed."""
        return row // PAGE_SIZE in self._pages

    def ensure_rows(self, first: int, last: int) -> bool:
        """Ask for the pages of rows `first`..`last` (those not read yet); True when all of
        them have landed (for callers, tests among them, that must read exact rows)."""
        last = min(last, len(self._ids) - 1)
        if first > last:
            return True
        numbers = range(max(first, 0) // PAGE_SIZE, last // PAGE_SIZE + 1)
        for number in numbers:
            self._request(number, always=True)
        return all(number in self._pages for number in numbers)

    @property
    def loading(self) -> bool:
        """Whether a page read is on its way."""
        return bool(self._loading)

    def _want(self, number: int) -> None:
        """The view paints a row of page `number`: make sure it is read, and that the pages
        beside it (more of them ahead of the scroll) are read before the view gets there."""
        if self._last_page >= 0 and number != self._last_page:
            self._direction = 1 if number > self._last_page else -1
        self._last_page = number
        if number in self._pages:
            self._pages.move_to_end(number)
        else:
            self._request(number)
        if self._start_page is None:
            return  # the synchronous reference reads only what it is asked for
        for step in range(1, PREFETCH_AHEAD + 1):
            self._request(number + step * self._direction)
        self._request(number - self._direction)

    def _request(self, number: int, *, always: bool = False) -> None:
        """Read page `number` unless it is read or being read (in place without a starter).

        A read that has not started by the time the view has moved on (a drag of the scroll
        bar through 100k rows asks for a page every frame) is skipped, unless `always`, so
        the page on screen does not wait behind pages scrolled past; it is asked for again
        if the view comes back."""
        if not 0 <= number * PAGE_SIZE < len(self._ids):
            return
        if number in self._pages or number in self._loading:
            return
        ids = self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        self._token += 1
        token, epoch, settled = self._token, self._epoch, self._settled
        self._loading[number] = token
        fetch = self._fetch_rows

        def deliver(rows: list[ArticleRow] | None) -> None:
            self._landed(number, token, epoch, settled, ids, rows)

        def read() -> list[ArticleRow] | None:
            # In the pool thread: reads two ints the UI thread sets (under the GIL).
            if not always and abs(self._last_page - number) > PREFETCH_AHEAD + 1:
                return None
            return fetch(ids)

        if self._start_page is None:
            deliver(fetch(ids))
        else:
            self._start_page(f"rows-{number}", read, deliver)

    def _landed(
        self,
        number: int,
        token: int,
        epoch: int,
        settled: int,
        ids: list[int],
        rows: list[ArticleRow] | None,
    ) -> None:
        """A page read arrived (None: it failed; the page is asked for again when painted)."""
        mine = epoch == self._epoch and self._loading.get(number) == token
        if mine:
            del self._loading[number]
            # The list cannot have changed within an epoch; a page read for other rows
            # than these would show other articles' columns, so it is not trusted.
            mine = ids == self._ids[number * PAGE_SIZE : (number + 1) * PAGE_SIZE]
        if rows is None:
            return
        by_id = {r.id: r for r in rows}
        for article_id, flags in self._overrides.items():
            found = by_id.get(article_id)
            if found is not None:
                by_id[article_id] = replace(
                    found,
                    read=flags.get("read", found.read),
                    starred=flags.get("starred", found.starred),
                )
        if mine and settled == self._settled:
            page: list[ArticleRow | None] = [by_id.get(i) for i in ids]
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._keep_stale(self._pages.popitem(last=False)[1])
            if self._start_page is not None:
                first = number * PAGE_SIZE
                last = min(first + PAGE_SIZE, len(self._ids)) - 1
                self.dataChanged.emit(self.index(first, 0), self.index(last, 3))
            return
        # Read for a list that has changed since, or before a flag write was settled: still
        # these articles' columns, to paint until the page is read again (a row whose flag
        # write has settled meanwhile keeps what it shows, the write's outcome).
        if settled != self._settled:
            by_id = {i: r for i, r in by_id.items() if i not in self._stale}
        self._keep_stale(list(by_id.values()))
        shown = [r for r in (self._rows.get(i) for i in by_id) if r is not None]
        if shown:
            self.dataChanged.emit(self.index(min(shown), 0), self.index(max(shown), 3))
        if self._last_page >= 0:
            self._want(self._last_page)

    # -- Qt model interface --------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.DecorationRole and section == self.STAR:
            return self._star_off
        if role == Qt.ItemDataRole.ToolTipRole:
            return ("Starred", "Title", "Source", "Published")[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each repaint: roles the model never
        # answers return before any work, and role numbers are compared as plain ints.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        row = self.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == _DISPLAY:
            return self._display(row, column)
        if role == _FONT:
            return None if row.read else self._bold
        if role == _DECORATION:
            if column == self.STAR:
                return self._star_on if row.starred else self._star_off
            return None
        if role == _FOREGROUND:
            # Read rows are muted; so is the dash of an unknown publication date.
            undated = column == self.DATE and row.published is None
            return self._muted if undated or (row.read and column != self.TITLE) else None
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == _ACCESSIBLE:
            if column == self.STAR:
                return "starred" if row.starred else "not starred"
            return None
        return row.id  # _USER

    def palette_changed(self) -> None:
        """Take the new palette's colours and font (the window calls this on a theme change)."""
        self._bold = QFont(QGuiApplication.font())
        self._bold.setBold(True)
        self._muted = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, 3))

    def _display(self, row: ArticleRow, column: int) -> str | None:
        if column == self.TITLE:
            return row.title
        if column == self.SOURCE:
            return short_source(row.source)
        if column == self.DATE:
            # As the CLI shows it: an import time is not when the story ran (tooltip).
            return format_date(row.published) if row.published else UNDATED
        return None

    def _tooltip(self, row: ArticleRow, column: int) -> str | None:
        if column == self.STAR:
            return "Starred (s to toggle)" if row.starred else "Star this article (s)"
        if column == self.SOURCE:
            return html.escape(row.source)
        if column == self.DATE:
            when = row.published
            if when is None:
                return f"No publication date; imported {row.imported:%d %b %Y %H:%M}"
            return f"Published {when:%A %d %B %Y %H:%M}"
        text = f"<b>{html.escape(row.title)}</b>"
        snippet = self._snippets.get(row.id)
        if snippet:
            text += f"<br/>{snippet_html(snippet)}"
        return text

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.SORT_KEYS):
            return
        if (column, order) == (self.sort_column, self.sort_order):
            return  # the view re-applies its sort indicator on set-up: nothing to re-list
        self.sort_column = column
        self.sort_order = order
        self.sort_requested.emit(self.SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
